// GHL's rate-limit headers and 429s, per location, with a sliding burst window.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { api, tokensOf } from './helpers.js';

const path = `/contacts/${sandboxFixtures.sunrise.richContactId}`;
const harborPath = `/contacts/${sandboxFixtures.harbor.richContactId}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.close();
});

describe('rate limits', () => {
  it("sends GHL's headers on every API response, defaulting to GHL's limits", async () => {
    const first = await api(sb, 'GET', path);
    const second = await api(sb, 'GET', '/contacts/AAAAAAAAAAAAAAAAAAAA');
    expect(second.status).toBe(404);
    expect(Object.fromEntries([...first.headers].filter(([k]) => k.startsWith('x-ratelimit')))).toEqual({
      'x-ratelimit-max': '100',
      'x-ratelimit-remaining': '99',
      'x-ratelimit-interval-milliseconds': '10000',
      'x-ratelimit-limit-daily': '200000',
      'x-ratelimit-daily-remaining': '199999',
    });
    expect(second.headers.get('x-ratelimit-remaining')).toBe('98');
  });

  it('answers 429 over the limit, per location, and counts it', async () => {
    sb.configure({ rateLimit: { max: 3, intervalMs: 60_000 } });
    sb.resetStats();
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await api(sb, 'GET', path)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await api(sb, 'GET', path);
    expect(limited.body).toMatchObject({ statusCode: 429, message: 'Too Many Requests' });
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    // Another location has its own budget.
    expect((await api(sb, 'GET', harborPath, { token: tokensOf(sb, 1).readOnly })).status).toBe(200);
    // Requests without a valid token use no location's budget.
    expect((await api(sb, 'GET', path, { token: null })).status).toBe(401);
    expect(sb.stats()).toMatchObject({ rateLimited: 3, total: 8 });
    // Control routes are never limited.
    expect((await fetch(`${sb.url}/__sandbox/stats`)).status).toBe(200);
  });

  it('slides the window: a slot frees when the oldest request leaves it', async () => {
    sb.configure({ rateLimit: { max: 2, intervalMs: 1000 } });
    expect((await api(sb, 'GET', path)).status).toBe(200); // t ≈ 0
    await sleep(500);
    expect((await api(sb, 'GET', path)).status).toBe(200); // t ≈ 500
    expect((await api(sb, 'GET', path)).status).toBe(429);
    await sleep(700); // t ≈ 1200: the first has left the window, the second has not
    expect((await api(sb, 'GET', path)).status).toBe(200);
    expect((await api(sb, 'GET', path)).status).toBe(429);
  });

  it('enforces the daily limit', async () => {
    sb.configure({ rateLimit: { max: 100, intervalMs: 10_000, dailyMax: 2 } });
    await api(sb, 'GET', path);
    const last = await api(sb, 'GET', path);
    expect(last.headers.get('x-ratelimit-daily-remaining')).toBe('0');
    const over = await api(sb, 'GET', path);
    expect(over.status).toBe(429);
    expect(over.headers.get('x-ratelimit-limit-daily')).toBe('2');
  });

  it('can be switched off (no limit, no headers), also over HTTP', async () => {
    const res = await fetch(`${sb.url}/__sandbox/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimit: 0 }),
    });
    expect(await res.json()).toMatchObject({ rateLimit: 0 });
    const answer = await api(sb, 'GET', path);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-ratelimit-max')).toBeNull();
    sb.configure({ rateLimit: { max: 100, intervalMs: 10_000 } });
  });
});
