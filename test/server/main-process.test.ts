// The gateway as `npm start` runs it: a real process with nothing configured starts the sandbox,
// prints where to go and which tokens to use, answers, and on SIGTERM lets an in-flight request
// finish before it exits. A bad setting, or a port already taken, stops it with a message naming
// the variable, and so does a CREDENTIALS_KEY that does not open the credentials file an earlier
// start made.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Starts the gateway, waits until it is ready, stops it, and returns what it printed. */
async function startAndStop(env: Record<string, string>): Promise<string> {
  const { child, output } = start({ PORT: '0', SANDBOX_PORT: '0', ...env });
  try {
    await waitFor(output, /GraphQL and GraphiQL: /);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    return output();
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'gateway-main-'));
}

describe('the gateway process and its credentials key', () => {
  it('refuses a second start with another CREDENTIALS_KEY, saying how to recover', async () => {
    const dir = await tempDir();
    try {
      const file = join(dir, 'credentials.json');
      await startAndStop({ CREDENTIALS_FILE: file, CREDENTIALS_KEY: randomBytes(32).toString('base64') });
      const made = await readFile(file, 'utf8');

      const { child, output } = start({
        PORT: '0',
        SANDBOX_PORT: '0',
        CREDENTIALS_FILE: file,
        CREDENTIALS_KEY: randomBytes(32).toString('base64'),
      });
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(1);
      const text = output();
      expect(text).toContain(`gateway failed to start: CREDENTIALS_KEY does not open the credentials in ${file}`);
      expect(text).toContain('CREDENTIALS_PREVIOUS_KEYS');
      expect(text).toContain(`CREDENTIALS_FILE=${file} npm run credentials -- reset-key --yes`);
      expect(text).not.toContain('GHL gateway ready');
      expect(await readFile(file, 'utf8')).toBe(made);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('CREDENTIALS_KEY=local creates a 0600 key beside the data once, says it is for local use, and reuses it', async () => {
    const dir = await tempDir();
    try {
      const env = { CREDENTIALS_FILE: join(dir, 'data', 'credentials.json'), CREDENTIALS_KEY: 'local' };
      const keyFile = join(dir, 'data', 'credentials.key');
      const first = await startAndStop(env);
      expect(first).toContain(`sealed with the local key in ${keyFile} (created now)`);
      expect(first).toContain('FOR LOCAL USE ONLY');
      expect(first).toContain(
        `CREDENTIALS_FILE=${env.CREDENTIALS_FILE} CREDENTIALS_KEY=local npm run credentials -- keys create`,
      );
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      const key = await readFile(keyFile, 'utf8');

      const second = await startAndStop(env);
      expect(second).toContain(`sealed with the local key in ${keyFile}`);
      expect(second).not.toContain('(created now)');
      expect(await readFile(keyFile, 'utf8')).toBe(key);

      // Started without CREDENTIALS_KEY=local, on the same data: refused, pointing at the local key.
      const { child, output } = start({
        ...env,
        PORT: '0',
        SANDBOX_PORT: '0',
        CREDENTIALS_KEY: randomBytes(32).toString('hex'),
      });
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(1);
      expect(output()).toContain(`start with CREDENTIALS_KEY=local: the local key in ${keyFile} sealed them`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses CREDENTIALS_KEY=local against real GHL', async () => {
    const { child, output } = start({ CREDENTIALS_KEY: 'local', GHL_BASE_URL: 'https://services.leadconnectorhq.com' });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(output()).toMatch(/CREDENTIALS_KEY=local .* for the embedded sandbox only/);
  }, 20_000);
});
