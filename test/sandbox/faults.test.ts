// Injected faults (each kind), their validation, and latency.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { FaultRule, Sandbox } from '../../src/sandbox/server.js';
import { api } from './helpers.js';

const S = sandboxFixtures.sunrise;
const contactPath = `/contacts/${S.richContactId}`;
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ rateLimit: 0 });
});
afterEach(() => {
  sb.setFaults([]);
  sb.configure({ latencyMs: 0 });
});
afterAll(async () => {
  await sb.close();
});

async function statuses(n: number, path = contactPath): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await api(sb, 'GET', path)).status);
  return out;
}

describe('faults', () => {
  it('error500 fires `count` times on its route only', async () => {
    sb.setFaults([{ kind: 'error500', route: 'GET /contacts/{contactId}', count: 2 }]);
    expect((await api(sb, 'GET', `${contactPath}/tasks`)).status).toBe(200);
    expect(await statuses(3)).toEqual([500, 500, 200]);
    expect((await api(sb, 'GET', contactPath)).status).toBe(200);
  });

  it('share picks a deterministic fraction of calls', async () => {
    sb.setFaults([{ kind: 'error500', share: 0.5 }]);
    expect(await statuses(6)).toEqual([500, 200, 500, 200, 500, 200]);
    sb.setFaults([{ kind: 'error500', share: 0.25 }]);
    expect(await statuses(8)).toEqual([500, 200, 200, 200, 500, 200, 200, 200]);
  });

  it('rate429 sends Retry-After when asked and counts as rate limited', async () => {
    sb.resetStats();
    sb.setFaults([
      { kind: 'rate429', count: 1, retryAfterSeconds: 7 },
      { kind: 'rate429', count: 1 },
    ]);
    const first = await api(sb, 'GET', contactPath);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(first.body).toMatchObject({ statusCode: 429, message: 'Too Many Requests' });
    const second = await api(sb, 'GET', contactPath);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBeNull();
    expect(sb.stats().rateLimited).toBe(2);
  });

  it('slow delays, then answers normally', async () => {
    sb.setFaults([{ kind: 'slow', delayMs: 250, count: 1 }]);
    const started = Date.now();
    const res = await api(sb, 'GET', contactPath);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(res.status).toBe(200);
    expect(res.body.contact.id).toBe(S.richContactId);
  });

  it('malformedJson answers 200 with a truncated JSON body', async () => {
    sb.setFaults([{ kind: 'malformedJson', count: 1 }]);
    const res = await api(sb, 'GET', contactPath);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.text.startsWith('{"contact":')).toBe(true);
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it('badShape answers 200 with the wrong shape for the route', async () => {
    sb.setFaults([{ kind: 'badShape' }]);
    expect((await api(sb, 'GET', contactPath)).body).toEqual({ contact: 'oops' });
    expect((await api(sb, 'GET', `${contactPath}/tasks`)).body).toEqual({ tasks: {} });
    expect((await api(sb, 'GET', `${contactPath}/appointments`)).body).toEqual({ events: {} });
  });

  it('faults come after auth: a bad token is still a 401', async () => {
    sb.setFaults([{ kind: 'error500' }]);
    expect((await api(sb, 'GET', contactPath, { token: null })).status).toBe(401);
  });

  it('hang never answers, and close() still returns promptly', async () => {
    const own = await startSandbox({ rateLimit: 0 });
    own.setFaults([{ kind: 'hang' }]);
    const pending = api(own, 'GET', contactPath).then(
      () => 'answered',
      () => 'dropped',
    );
    const raced = await Promise.race([pending, new Promise((r) => setTimeout(() => r('still waiting'), 200))]);
    expect(raced).toBe('still waiting');
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBe('dropped');
  });

  it('close() also ends requests waiting on latency or slow faults', async () => {
    const own = await startSandbox({ rateLimit: 0, latencyMs: 60_000 });
    const pending = api(own, 'GET', contactPath).catch(() => 'dropped');
    await new Promise((r) => setTimeout(r, 50));
    await own.close();
    expect(await pending).toBe('dropped');
  });
});

describe('fault rules are validated', () => {
  it('setFaults throws a clear message', () => {
    expect(() => sb.setFaults([{ kind: 'explode' } as unknown as FaultRule])).toThrow(/rules?.*kind|kind/);
    expect(() => sb.setFaults([{ kind: 'error500', route: 'GET /contacts/{id}' }])).toThrow(
      /unknown route .*GET \/contacts\/\{id\}/,
    );
    expect(() => sb.setFaults([{ kind: 'error500', share: 2 }])).toThrow(/share/);
  });

  it('PUT /__sandbox/faults answers 400 on bad input and applies good rules', async () => {
    const put = (body: unknown) =>
      fetch(`${sb.url}/__sandbox/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await put({ rules: [{ kind: 'error500', count: 0 }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/rules\.0\.count/);
    expect((await put({ rule: [] })).status).toBe(400);
    const good = await put({ rules: [{ kind: 'error500', route: 'GET /contacts/{contactId}/notes', count: 1 }] });
    expect(good.status).toBe(200);
    expect((await api(sb, 'GET', `${contactPath}/notes`)).status).toBe(500);
    expect((await api(sb, 'GET', `${contactPath}/notes`)).status).toBe(200);
  });
});

describe('latency', () => {
  it('is added to API calls, not to control calls', async () => {
    sb.configure({ latencyMs: 150 });
    let started = Date.now();
    await api(sb, 'GET', contactPath);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    started = Date.now();
    await fetch(`${sb.url}/__sandbox/stats`);
    expect(Date.now() - started).toBeLessThan(140);
  });
});
