import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WritePoint } from '../../src/storage/atomic-file.js';
import { createLogger } from '../../src/log.js';
import { CredentialError, InstallError } from '../../src/credentials/errors.js';
import { createOAuthClient, type OAuthClient } from '../../src/credentials/oauth-client.js';
import type { Credential, OAuthCredential } from '../../src/credentials/records.js';
import type { CredentialStore } from '../../src/credentials/store.js';
import { createTokenManager, type TokenManager } from '../../src/credentials/token-manager.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  REDIRECT_URI,
  startFakeTokenEndpoint,
  type FakeTokenEndpoint,
} from './fake-token-endpoint.js';
import { fileStore, oauthCredential, pitCredential, testSealer, until, withTempDir } from './helpers.js';

const MINUTE = 60_000;
const sealer = testSealer();
let endpoint: FakeTokenEndpoint;
let oauth: OAuthClient;
let cleanup: () => Promise<void>;
let path: string;
let now: number;
let crashAt: WritePoint | undefined;
let store: CredentialStore;
let manager: TokenManager;

beforeAll(async () => {
  endpoint = await startFakeTokenEndpoint();
  oauth = createOAuthClient({
    baseUrl: endpoint.baseUrl,
    marketplaceUrl: 'https://marketplace.example',
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    scopes: ['contacts.readonly'],
    timeoutMs: 1_000,
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  });
});
afterAll(() => endpoint.close());

beforeEach(async () => {
  const temp = await withTempDir();
  cleanup = temp.cleanup;
  path = join(temp.dir, 'credentials.json');
  now = 1_700_000_000_000;
  crashAt = undefined;
  endpoint.fault(undefined);
  endpoint.delayMs = 0;
  endpoint.calls.length = 0;
  endpoint.presentedRefreshTokens.length = 0;
  endpoint.events.length = 0;
  store = fileStore(path, sealer, {
    onWritePoint: (point) => {
      if (point === crashAt) throw new Error(`simulated crash at ${point}`);
    },
  });
  manager = createTokenManager({ store, oauth, now: () => now, refreshMarginMs: 5 * MINUTE });
});
afterEach(() => cleanup());

/** A stored grant whose refresh token the fake endpoint knows. */
async function storeGrant(overrides: Partial<OAuthCredential> = {}): Promise<OAuthCredential> {
  const credential = oauthCredential({
    locationId: 'locA',
    refreshToken: endpoint.grant('locA'),
    expiresAt: now - 1,
    ...overrides,
  });
  await store.putCredential(credential);
  return credential;
}

/** What a restarted process would read. */
function onDisk(locationId = 'locA'): Promise<Credential | undefined> {
  return fileStore(path, sealer).getCredential(locationId);
}

async function credentialError(promise: Promise<unknown>): Promise<CredentialError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CredentialError);
  return error as CredentialError;
}

describe('token manager', () => {
  it('returns a PIT as it is, with its scopes', async () => {
    await store.putCredential(pitCredential());
    expect(await manager.accessToken('locP')).toEqual({
      locationId: 'locP',
      token: pitCredential().token,
      kind: 'pit',
      scopes: ['contacts.readonly'],
      expiresAt: undefined,
    });
  });

  it('returns a fresh OAuth token without refreshing', async () => {
    const grant = await storeGrant({ expiresAt: now + 5 * MINUTE });
    expect(await manager.accessToken('locA')).toMatchObject({
      token: grant.accessToken,
      kind: 'oauth',
      expiresAt: grant.expiresAt,
    });
    expect(endpoint.refreshCount()).toBe(0);
  });

  it('refreshes inside the margin, before the token expires', async () => {
    const grant = await storeGrant({ expiresAt: now + 5 * MINUTE - 1 });
    const result = await manager.accessToken('locA');
    expect(result.token).not.toBe(grant.accessToken);
    expect(result.expiresAt).toBe(now + 86_399_000);
    expect(endpoint.refreshCount()).toBe(1);
  });

  it('50 concurrent callers on an expired grant cause exactly one refresh and all get the new token', async () => {
    const grant = await storeGrant();
    endpoint.delayMs = 30;
    const results = await Promise.all(Array.from({ length: 50 }, () => manager.accessToken('locA')));
    expect(endpoint.refreshCount()).toBe(1);
    const tokens = new Set(results.map((r) => r.token));
    expect(tokens.size).toBe(1);
    expect(tokens.has(grant.accessToken)).toBe(false);
    const stored = await onDisk();
    expect(stored).toMatchObject({ kind: 'oauth', accessToken: results[0]?.token, status: 'active' });
    expect(stored?.kind === 'oauth' && stored.refreshToken).toBe(endpoint.events[0]?.replace('issued:', ''));
    // And then it is simply used.
    await manager.accessToken('locA');
    expect(endpoint.refreshCount()).toBe(1);
  });

  it('never sends a refresh token twice across expiries, rejections and concurrency', async () => {
    await storeGrant();
    endpoint.delayMs = 10;
    for (let round = 0; round < 5; round += 1) {
      const current = await manager.accessToken('locA');
      await Promise.all([
        ...Array.from({ length: 10 }, () => manager.rejected('locA', current.token)),
        ...Array.from({ length: 10 }, () => manager.accessToken('locA')),
      ]);
      now += 24 * 60 * MINUTE; // expired again
    }
    const sent = endpoint.presentedRefreshTokens;
    expect(sent.length).toBeGreaterThanOrEqual(5);
    expect(new Set(sent).size).toBe(sent.length);
    expect(endpoint.calls.every((call) => call.grantType === 'refresh_token')).toBe(true);
  });

  it('rejected() refreshes once for concurrent rejections, and not again for a stale token', async () => {
    const grant = await storeGrant({ expiresAt: now + 60 * MINUTE });
    endpoint.delayMs = 20;
    const results = await Promise.all(Array.from({ length: 20 }, () => manager.rejected('locA', grant.accessToken)));
    expect(endpoint.refreshCount()).toBe(1);
    const fresh = results[0]?.token;
    expect(fresh).not.toBe(grant.accessToken);
    expect(results.every((r) => r.token === fresh)).toBe(true);
    // A slow request that still held the old token: the stored one is already another, use it.
    expect((await manager.rejected('locA', grant.accessToken)).token).toBe(fresh);
    expect(endpoint.refreshCount()).toBe(1);
    // GHL refusing the token that refresh produced, at once: the 401 is not about the token, so no
    // second refresh (it would spend a refresh token per call); after the cooldown, one more.
    expect((await manager.rejected('locA', fresh ?? '')).token).toBe(fresh);
    expect(endpoint.refreshCount()).toBe(1);
    now += 31_000;
    expect((await manager.rejected('locA', fresh ?? '')).token).not.toBe(fresh);
    expect(endpoint.refreshCount()).toBe(2);
  });

  it('a refused refresh marks needs_reinstall, stored, and every caller gets the typed error', async () => {
    const grant = await storeGrant();
    endpoint.spend(grant.refreshToken!); // e.g. another deployment used it
    endpoint.delayMs = 20;
    const errors = await Promise.all(Array.from({ length: 10 }, () => credentialError(manager.accessToken('locA'))));
    expect(endpoint.refreshCount()).toBe(1);
    for (const error of errors) {
      expect(error).toMatchObject({ code: 'needs_reinstall', locationId: 'locA', retryable: false });
      expect(error.message).toMatch(/Re-install the app for location locA/);
      expect(error.message).not.toContain(grant.refreshToken);
    }
    const stored = await onDisk();
    expect(stored).toMatchObject({ status: 'needs_reinstall', refreshToken: grant.refreshToken });
    expect(stored?.statusReason).toMatch(/invalid_grant/);
    // Later callers, and a restarted process, get it from the store without asking GHL again.
    await expect(manager.accessToken('locA')).rejects.toMatchObject({ code: 'needs_reinstall' });
    await expect(manager.rejected('locA', grant.accessToken)).rejects.toMatchObject({ code: 'needs_reinstall' });
    const restarted = createTokenManager({ store: fileStore(path, sealer), oauth, now: () => now });
    await expect(restarted.accessToken('locA')).rejects.toMatchObject({ code: 'needs_reinstall' });
    expect(endpoint.refreshCount()).toBe(1);
  });

  function fastManager(): TokenManager {
    return createTokenManager({
      store,
      oauth: createOAuthClient({
        baseUrl: endpoint.baseUrl,
        marketplaceUrl: 'https://m.example',
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUri: REDIRECT_URI,
        scopes: [],
        timeoutMs: 150,
        retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
      }),
      now: () => now,
    });
  }

  it.each(['network', 'server', 'hang'] as const)(
    'a %s failure is retried, then upstream_unavailable; the credential is untouched',
    async (fault) => {
      const grant = await storeGrant();
      const before = await readFile(path, 'utf8');
      endpoint.fault(fault, 2);
      const fast = fastManager();
      const error = await credentialError(fast.accessToken('locA'));
      expect(error).toMatchObject({ code: 'upstream_unavailable', locationId: 'locA', retryable: true });
      expect(endpoint.refreshCount()).toBe(2);
      expect(await readFile(path, 'utf8')).toBe(before);
      expect(await onDisk()).toEqual(grant);
      // The grant was not spent: the next call refreshes with it and succeeds.
      expect((await fast.accessToken('locA')).token).not.toBe(grant.accessToken);
      expect(endpoint.presentedRefreshTokens.filter((t) => t === grant.refreshToken)).toHaveLength(3);
    },
  );

  it('a 5xx that passes is retried into a refresh that succeeds, once', async () => {
    const grant = await storeGrant();
    endpoint.fault({ status: 503, body: { statusCode: 503, message: 'Service Unavailable' } }, 1);
    const result = await fastManager().accessToken('locA');
    expect(result.token).not.toBe(grant.accessToken);
    expect(endpoint.refreshCount()).toBe(2);
    expect(await onDisk()).toMatchObject({ accessToken: result.token, status: 'active' });
  });

  it('an early refresh that fails transiently still returns the token that has not expired', async () => {
    const grant = await storeGrant({ expiresAt: now + MINUTE });
    endpoint.fault('server', 3);
    expect((await manager.accessToken('locA')).token).toBe(grant.accessToken);
    expect(await onDisk()).toEqual(grant);
  });

  it.each([
    ['an RFC 6749 invalid_client', 'invalid_client' as const],
    [
      "GHL's 401",
      { status: 401, body: { statusCode: 401, message: 'Invalid client: client is invalid', error: 'Unauthorized' } },
    ],
  ])('%s is a configuration error reported loudly, not a reinstall, and pauses token calls', async (_, fault) => {
    await storeGrant();
    await store.putCredential(
      oauthCredential({ locationId: 'locB', refreshToken: endpoint.grant('locB'), expiresAt: now - 1 }),
    );
    const lines: string[] = [];
    const logged = createTokenManager({
      store,
      oauth,
      now: () => now,
      logger: createLogger('debug', (line) => lines.push(line)),
    });
    endpoint.fault(fault, 5);
    const error = await credentialError(logged.accessToken('locA'));
    expect(error).toMatchObject({ code: 'oauth_misconfigured', retryable: false });
    expect(error.message).toMatch(/GHL_CLIENT_ID and GHL_CLIENT_SECRET/);
    const errorLine = lines.map((line) => JSON.parse(line)).find((entry) => entry.level === 'error');
    expect(errorLine?.message).toMatch(/GHL_CLIENT_ID \/ GHL_CLIENT_SECRET/);
    expect(lines.join('\n')).not.toContain(CLIENT_SECRET);
    // Nothing marked, and within the pause no other location asks GHL either.
    await expect(logged.accessToken('locB')).rejects.toMatchObject({ code: 'oauth_misconfigured' });
    expect(endpoint.refreshCount()).toBe(1);
    expect(await onDisk()).toMatchObject({ status: 'active' });
    expect(await onDisk('locB')).toMatchObject({ status: 'active' });
    // After the pause (say, after a restart with the right secret) the same grant refreshes.
    endpoint.fault(undefined);
    now += 61_000;
    expect((await logged.accessToken('locA')).kind).toBe('oauth');
    expect(endpoint.refreshCount()).toBe(2);
  });

  it('a 400 "Invalid request" is our request, not the grant: nothing marked', async () => {
    await storeGrant();
    endpoint.fault({
      status: 400,
      body: { statusCode: 400, message: 'Invalid request: missing parameter: `refresh_token`', error: 'Bad Request' },
    });
    await expect(manager.accessToken('locA')).rejects.toMatchObject({ code: 'upstream_unavailable' });
    expect(await onDisk()).toMatchObject({ status: 'active' });
  });

  it('names a missing credential, and an OAuth grant without an OAuth client', async () => {
    const missing = await credentialError(manager.accessToken('nowhere'));
    expect(missing).toMatchObject({ code: 'missing', locationId: 'nowhere' });
    expect(missing.message).toMatch(/No GHL credential for location nowhere/);
    await storeGrant();
    const noClient = createTokenManager({ store, now: () => now });
    await expect(noClient.accessToken('locA')).rejects.toMatchObject({ code: 'oauth_misconfigured' });
  });

  it('stores the new refresh token before the new access token is returned', async () => {
    await storeGrant();
    const events: string[] = endpoint.events;
    let releaseWrite: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (releaseWrite = resolve));
    const gated: CredentialStore = {
      ...store,
      async putCredential(credential) {
        events.push(`put:start:${credential.kind === 'oauth' ? credential.refreshToken : ''}`);
        await gate;
        await store.putCredential(credential);
        events.push(`put:done:${credential.kind === 'oauth' ? credential.refreshToken : ''}`);
      },
    };
    const gatedManager = createTokenManager({ store: gated, oauth, now: () => now });
    let returned = false;
    const pending = gatedManager.accessToken('locA').then((grant) => {
      returned = true;
      events.push('returned');
      return grant;
    });
    await until(() => events.some((e) => e.startsWith('put:start')));
    await new Promise((r) => setTimeout(r, 30));
    expect(returned).toBe(false); // GHL has answered, the write is pending: nobody has the token yet
    releaseWrite();
    const grant = await pending;
    const issued = events[0]?.replace('issued:', '') ?? '';
    expect(events).toEqual([`issued:${issued}`, `put:start:${issued}`, `put:done:${issued}`, 'returned']);
    expect(await onDisk()).toMatchObject({ accessToken: grant.token, refreshToken: issued });
  });

  it.each([
    ['temp-written', 'old'],
    ['temp-synced', 'old'],
    ['renamed', 'new'],
  ] as const)(
    'a crash at %s while storing the refreshed grant leaves a consistent (%s) file; the new grant is stored on the next call',
    async (point, expected) => {
      const grant = await storeGrant();
      crashAt = point;
      const error = await credentialError(manager.accessToken('locA'));
      expect(error).toMatchObject({ code: 'store_unavailable', retryable: true });
      const issued = endpoint.events[0]?.replace('issued:', '');
      const stored = await onDisk();
      expect(stored?.kind === 'oauth' && stored.refreshToken).toBe(expected === 'old' ? grant.refreshToken : issued);
      expect(stored).toMatchObject({ status: 'active' });

      crashAt = undefined;
      const next = await manager.accessToken('locA');
      // No second refresh: the spent token is never used again; the kept grant is written first.
      expect(endpoint.refreshCount()).toBe(1);
      expect(await onDisk()).toMatchObject({ accessToken: next.token, refreshToken: issued });
    },
  );

  it('a PIT that GHL refuses is marked needs_reinstall', async () => {
    await store.putCredential(pitCredential());
    await expect(manager.rejected('locP', 'some-other-token')).resolves.toMatchObject({ token: pitCredential().token });
    const error = await credentialError(manager.rejected('locP', pitCredential().token));
    expect(error).toMatchObject({ code: 'needs_reinstall' });
    expect(error.message).toMatch(/new private integration token for location locP/);
    expect(await onDisk('locP')).toMatchObject({ status: 'needs_reinstall' });
  });

  it('installs a grant from a code exchange, replacing a dead one', async () => {
    const dead = await storeGrant({ status: 'needs_reinstall', statusReason: 'old' });
    const token = await oauth.exchangeCode(endpoint.code('locA'));
    const result = await manager.install(token);
    expect(result.kind).toBe('location');
    const summary = result.kind === 'location' ? result.credential : undefined;
    expect(summary).toMatchObject({
      kind: 'oauth',
      locationId: 'locA',
      status: 'active',
      expiresAt: now + 86_399_000,
      companyId: 'comp1',
    });
    expect(JSON.stringify(summary)).not.toContain(token.access_token);
    expect(await onDisk()).toMatchObject({
      accessToken: token.access_token,
      refreshToken: token.refresh_token,
      status: 'active',
    });
    expect(await onDisk()).not.toHaveProperty('statusReason');
    expect((await manager.accessToken('locA')).token).toBe(token.access_token);
    expect(dead.refreshToken).not.toBe(token.refresh_token);
  });

  it('refuses to install another kind of token, a Location token without a location, a Company one without a company', async () => {
    const base = { access_token: 'a', token_type: 'Bearer', expires_in: 100, refresh_token: 'r', scope: [] };
    await expect(manager.install({ ...base, userType: 'Agency', companyId: 'c' })).rejects.toBeInstanceOf(InstallError);
    await expect(manager.install({ ...base, userType: 'Location' })).rejects.toThrow(/locationId/);
    await expect(manager.install({ ...base, userType: 'Company' })).rejects.toThrow(/companyId/);
  });
});
