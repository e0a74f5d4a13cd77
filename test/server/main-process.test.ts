// The gateway as `npm start` runs it: a real process with nothing configured starts the sandbox,
// prints where to go and which tokens to use, answers, and on SIGTERM lets an in-flight request
// finish before it exits. A bad setting, or a port already taken, stops it with a message naming
// the variable.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';

const TSX = 'node_modules/.bin/tsx';

function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(TSX, ['src/server/main.ts'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitFor(read: () => string, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const match = read().match(pattern);
    if (match) return match;
    if (Date.now() > until) throw new Error(`timed out waiting for ${pattern} in:\n${read()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the gateway process', () => {
  it('starts on the sandbox, prints URL and tokens, and drains in-flight requests on SIGTERM', async () => {
    // Port 0 everywhere, so the test never collides with a running gateway; 800 ms of sandbox
    // latency keeps a request in flight while SIGTERM arrives.
    const { child, output } = start({ PORT: '0', SANDBOX_PORT: '0', SANDBOX_LATENCY_MS: '800' });
    try {
      const [, url] = await waitFor(output, /GraphQL and GraphiQL: (http:\/\/\S+)/);
      const [, token] = await waitFor(output, /read-only : (\S+)/);
      const inFlight = fetch(url!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ contacts(first: 1) { nodes { id name } } }' }),
      });
      await new Promise((r) => setTimeout(r, 200));
      child.kill('SIGTERM');
      const response = await inFlight;
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data?: { contacts: { nodes: unknown[] } } };
      expect(body.data?.contacts.nodes).toHaveLength(1);
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(output()).toContain('finishing in-flight requests');
      expect(output()).not.toMatch(/"message":"operation".*eyJ/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 40_000);

  it('refuses to start with a bad setting, naming it', async () => {
    const { child, output } = start({ PORT: 'eighty', GHL_BASE_URL: 'not a url' });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(output()).toMatch(/PORT must be a number \(got "eighty"\)/);
    expect(output()).toMatch(/GHL_BASE_URL must be a URL/);
  }, 20_000);

  it.each([
    ['SANDBOX_PORT', 'the embedded GHL sandbox', { PORT: '0' }],
    ['PORT', 'the gateway', { SANDBOX_PORT: '0' }],
  ] as const)(
    'a taken %s is named, and what could not listen',
    async (setting, what, others) => {
      const holder = createServer();
      await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
      const port = String((holder.address() as { port: number }).port);
      try {
        const { child, output } = start({ ...others, [setting]: port });
        const [code] = (await once(child, 'exit')) as [number | null];
        expect(code).toBe(1);
        expect(output()).toContain(
          `Port ${port} is already in use, so ${what} cannot listen: stop what holds it (another npm start?) or set ${setting} to a free port`,
        );
        expect(output()).not.toMatch(/gateway failed/);
      } finally {
        holder.close();
      }
    },
    20_000,
  );
});
