// Call counting and the /__sandbox/* control routes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { api, tokensOf } from './helpers.js';

const S = sandboxFixtures.sunrise;
const H = sandboxFixtures.harbor;
const NO_OAUTH = {
  codesIssued: 0,
  tokenExchanges: 0,
  refreshes: 0,
  refreshReuseRejected: 0,
  locationTokens: 0,
  rejected: 0,
};
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ rateLimit: { max: 100, intervalMs: 10_000 } });
});
afterAll(async () => {
  await sb.close();
});

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sb.url}/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('stats', () => {
  it('counts every API request by spec route and by token location, but not control calls', async () => {
    sb.resetStats();
    await api(sb, 'GET', `/contacts/${S.richContactId}`);
    await api(sb, 'GET', '/contacts/AAAAAAAAAAAAAAAAAAAA'); // 404
    await api(sb, 'GET', `/contacts/${H.richContactId}`); // 403
    await api(sb, 'GET', `/contacts/${S.richContactId}`, { token: null }); // 401, no location
    await api(sb, 'GET', `/contacts?locationId=${S.locationId}`); // no trailing slash
    await api(sb, 'POST', '/contacts/search', { body: { locationId: S.locationId, pageLimit: 1 } });
    await api(sb, 'DELETE', `/contacts/${S.richContactId}/tags`, { body: { tags: ['nope'] } });
    await api(sb, 'GET', `/contacts/${S.richContactId}/tasks`);
    await api(sb, 'GET', `/contacts/${H.richContactId}/notes`, { token: tokensOf(sb, 1).privateIntegration });
    await api(sb, 'GET', '/nowhere');
    await control('GET', '/stats');
    await control('GET', '/tokens');

    expect(sb.stats()).toEqual({
      total: 10,
      byRoute: {
        'GET /contacts/{contactId}': 4,
        'GET /contacts/': 1,
        'POST /contacts/search': 1,
        'DELETE /contacts/{contactId}/tags': 1,
        'GET /contacts/{contactId}/tasks': 1,
        'GET /contacts/{contactId}/notes': 1,
        'GET (no route)': 1,
      },
      rateLimited: 0,
      byLocation: { [S.locationId]: 7, [H.locationId]: 1 },
      oauth: NO_OAUTH,
    });
    expect((await control('GET', '/stats')).body).toEqual(sb.stats());
  });

  it('counts 429s', async () => {
    sb.configure({ rateLimit: { max: 1, intervalMs: 60_000 } });
    sb.resetStats();
    await api(sb, 'GET', `/contacts/${S.richContactId}`);
    await api(sb, 'GET', `/contacts/${S.richContactId}`);
    expect(sb.stats()).toMatchObject({ total: 2, rateLimited: 1, byRoute: { 'GET /contacts/{contactId}': 2 } });
    sb.configure({ rateLimit: { max: 100, intervalMs: 10_000 } });
  });

  it('resets, in code and over HTTP', async () => {
    await api(sb, 'GET', `/contacts/${S.richContactId}`);
    expect((await control('POST', '/stats/reset')).body).toEqual({
      total: 0,
      byRoute: {},
      rateLimited: 0,
      byLocation: {},
      oauth: NO_OAUTH,
    });
    await api(sb, 'GET', `/contacts/${S.richContactId}`);
    sb.resetStats();
    expect(sb.stats().total).toBe(0);
  });
});

describe('control routes', () => {
  it('GET /__sandbox/tokens lists every location', async () => {
    expect((await control('GET', '/tokens')).body).toEqual({ locations: sb.tokens });
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('PUT /__sandbox/config validates and applies', async () => {
    const bad = await control('PUT', '/config', { latencyMs: -5, rateLimit: { max: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/latencyMs/);
    expect((await control('PUT', '/config', { speed: 1 })).status).toBe(400);
    const good = await control('PUT', '/config', { rateLimit: { max: 5, intervalMs: 1000 } });
    expect(good.body).toEqual({
      latencyMs: 0,
      rateLimit: { max: 5, intervalMs: 1000, dailyMax: 200_000 },
      oauth: {
        clientId: 'sandbox-client-id',
        clientSecret: 'sandbox-client-secret',
        accessTokenTtlSeconds: 86_399,
        authorizationCodeTtlSeconds: 600,
        redirectUris: null,
      },
    });
    expect((await api(sb, 'GET', `/contacts/${S.richContactId}`)).headers.get('x-ratelimit-max')).toBe('5');
    expect((await control('GET', '/config')).body).toEqual(good.body);
    sb.configure({ rateLimit: { max: 100, intervalMs: 10_000 } });
  });

  it('PUT /__sandbox/faults, GET /__sandbox/faults and unknown routes', async () => {
    await control('PUT', '/faults', { rules: [{ kind: 'slow', delayMs: 1, route: 'POST /contacts/' }] });
    expect((await control('GET', '/faults')).body).toEqual({
      rules: [{ kind: 'slow', delayMs: 1, route: 'POST /contacts/' }],
      webhooks: null,
    });
    await control('PUT', '/faults', { rules: [] });
    expect((await control('GET', '/faults')).body).toEqual({ rules: [], webhooks: null });
    const unknown = await control('GET', '/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/GET \/__sandbox\/tokens/);
  });

  it('startSandbox and configure reject bad options', async () => {
    await expect(startSandbox({ latencyMs: -1 })).rejects.toThrow(/latencyMs/);
    expect(() => sb.configure({ rateLimit: { max: 1.5, intervalMs: 10 } })).toThrow(/rateLimit/);
  });
});
