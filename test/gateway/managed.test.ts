// Managed credentials end to end against the sandbox: GHL's install flow through the gateway,
// API keys instead of GHL tokens, a refresh when the access token expires (exactly one, even
// under 50 concurrent requests), scopes narrowed by the key, and no secret in any log line.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

const { sunrise, harbor } = sandboxFixtures;
let stack: Stack;

/** GET without following redirects; returns the status and Location. */
async function step(url: string): Promise<{ status: number; location: string | null; text: string }> {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}

async function install(locationId: string): Promise<void> {
  const start = await step(`${stack.base}/oauth/install`);
  expect(start.status).toBe(302);
  const chooser = new URL(start.location!);
  expect(chooser.pathname).toMatch(/\/oauth\/chooselocation$/);
  expect(chooser.searchParams.get('client_id')).toBe(stack.sandbox.oauth.clientId);
  expect(chooser.searchParams.get('state')).toBeTruthy();
  chooser.searchParams.set('location_id', locationId); // the sandbox's stand-in for a click
  const approved = await step(chooser.toString());
  expect(approved.status).toBe(302);
  const callback = await step(approved.location!);
  expect(callback.status).toBe(200);
  expect(callback.text).toContain(`location ${locationId}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  stack = await startStack({
    managed: true,
    // Access tokens live 2 s here (GHL: 24 h), and are refreshed when under 500 ms remain.
    sandbox: { rateLimit: 0, oauth: { accessTokenTtlSeconds: 2 } },
    env: { TOKEN_REFRESH_MARGIN_MS: '500', CACHE_TTL_MS: '0' },
  });
  await install(sunrise.locationId);
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.resetStats());

const VIEWER = '{ viewer { locationId tokenKind canRead canWrite scopes } }';

describe('install, API key, refresh', () => {
  it('a key created for the installed location queries GHL through the stored grant', async () => {
    const { key } = await stack.managed!.apiKeys.create({ locationId: sunrise.locationId, scopes: ['contacts.readonly', 'contacts.write'] });
    const viewer = await stack.gql<{ viewer: Record<string, unknown> }>(VIEWER, {}, key);
    expect(viewer.body.data?.viewer).toMatchObject({ locationId: sunrise.locationId, tokenKind: 'api-key', canRead: true, canWrite: true });
    const { body } = await stack.gql<{ contact: { id: string } }>(`{ contact(id: "${sunrise.richContactId}") { id } }`, {}, key);
    expect(body.errors).toBeUndefined();
    expect(body.data?.contact.id).toBe(sunrise.richContactId);
  });

  it('after the access token expires the next query refreshes once and succeeds', async () => {
    const { key } = await stack.managed!.apiKeys.create({ locationId: sunrise.locationId, scopes: ['contacts.readonly'] });
    await sleep(2_200);
    stack.sandbox.resetStats();
    const { body } = await stack.gql<{ contact: { id: string } }>(`{ contact(id: "${sunrise.richContactId}") { id } }`, {}, key);
    expect(body.errors).toBeUndefined();
    expect(stack.sandbox.stats().oauth.refreshes).toBe(1);
  });

  it('50 concurrent requests on an expired token cause exactly one refresh', async () => {
    const { key } = await stack.managed!.apiKeys.create({ locationId: sunrise.locationId, scopes: ['contacts.readonly'] });
    await sleep(2_200);
    stack.sandbox.resetStats();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => stack.gql(`{ contact(id: "${sunrise.richContactId}") { id } }`, {}, key)),
    );
    expect(results.filter((r) => r.body.errors !== undefined)).toHaveLength(0);
    const oauth = stack.sandbox.stats().oauth;
    expect(oauth.refreshes).toBe(1);
    expect(oauth.refreshReuseRejected).toBe(0);
  }, 20_000);

  it('a refused grant becomes a clear UNAUTHENTICATED naming the re-install, not a stack of 401s', async () => {
    const stored = await stack.managed!.store.getCredential(sunrise.locationId);
    expect(stored?.kind).toBe('oauth');
    if (stored?.kind !== 'oauth') return;
    // A refresh token GHL no longer knows, on an expired access token.
    await stack.managed!.store.putCredential({ ...stored, refreshToken: 'spent-elsewhere', expiresAt: Date.now() - 1 });
    const { key } = await stack.managed!.apiKeys.create({ locationId: sunrise.locationId, scopes: ['contacts.readonly'] });
    const first = await stack.gql(`{ contact(id: "${sunrise.richContactId}") { id } }`, {}, key);
    expect(first.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'needs_reinstall' });
    expect(first.body.errors?.[0]?.message).toMatch(/re-install/i);
    const next = await stack.gql(VIEWER, {}, key);
    expect(next.status).toBe(401);
    expect(next.body.errors?.[0]?.message).toMatch(/re-install the app for that location/);
    // A new install brings the location back.
    await install(sunrise.locationId);
    expect((await stack.gql(VIEWER, {}, key)).status).toBe(200);
  });
});

describe('keys and scopes', () => {
  it('a read-only key sees no mutations even when the credential could write', async () => {
    const { key } = await stack.managed!.apiKeys.create({ locationId: sunrise.locationId, scopes: ['contacts.readonly'] });
    const { body } = await stack.gql<{ __schema: { mutationType: unknown } }>('{ __schema { mutationType { name } } }', {}, key);
    expect(body.data?.__schema.mutationType).toBeNull();
  });

  it("a key cannot widen a credential's scopes: write key on a read-only private integration token", async () => {
    await stack.managed!.store.putCredential({
      kind: 'pit',
      locationId: harbor.locationId,
      token: stack.sandbox.tokens[1]!.privateIntegration,
      scopes: ['contacts.readonly'],
      status: 'active',
      updatedAt: Date.now(),
    });
    const { key } = await stack.managed!.apiKeys.create({ locationId: harbor.locationId, scopes: ['contacts.readonly', 'contacts.write'] });
    const viewer = await stack.gql<{ viewer: { canWrite: boolean; scopes: string[] } }>(VIEWER, {}, key);
    expect(viewer.body.data?.viewer).toMatchObject({ canWrite: false, scopes: ['contacts.readonly'] });
    const read = await stack.gql<{ contact: { id: string } }>(`{ contact(id: "${harbor.richContactId}") { id } }`, {}, key);
    expect(read.body.data?.contact.id).toBe(harbor.richContactId);
  });

  it('revoked, expired, unknown and malformed keys get 401 with no upstream call', async () => {
    const revoked = await stack.managed!.apiKeys.create({ locationId: sunrise.locationId, scopes: ['contacts.readonly'] });
    await stack.managed!.apiKeys.revoke(revoked.record.id);
    const expired = await stack.managed!.apiKeys.create({ locationId: sunrise.locationId, scopes: ['contacts.readonly'], expiresInMs: 1 });
    await sleep(5);
    const unknown = revoked.key.slice(0, -4) + 'AAAA';
    for (const [key, message] of [
      [revoked.key, /revoked/],
      [expired.key, /expired/],
      [unknown, /Unknown API key/],
      ['lpk_nothing', /Malformed API key/],
    ] as const) {
      const { status, body } = await stack.gql(VIEWER, {}, key);
      expect(status).toBe(401);
      expect(body.errors?.[0]?.message).toMatch(message);
    }
    expect(stack.sandbox.stats().total).toBe(0);
  });

  it('rotation keeps the old key working during the overlap', async () => {
    const original = await stack.managed!.apiKeys.create({ locationId: sunrise.locationId, scopes: ['contacts.readonly'] });
    const rotated = await stack.managed!.apiKeys.rotate(original.record.id, 60_000);
    expect((await stack.gql(VIEWER, {}, original.key)).status).toBe(200);
    expect((await stack.gql(VIEWER, {}, rotated.key)).status).toBe(200);
  });
});

describe('secrets stay secret', () => {
  it('the install state is single use and checked', async () => {
    const bogus = await step(`${stack.base}/oauth/callback?code=abc&state=forged`);
    expect(bogus.status).toBe(400);
  });

  it('no access token, refresh token or API key appears in the logs or the store file', async () => {
    const { key } = await stack.managed!.apiKeys.create({ locationId: sunrise.locationId, scopes: ['contacts.readonly'] });
    await stack.gql(`{ contact(id: "${sunrise.richContactId}") { id } }`, {}, key);
    const credential = await stack.managed!.store.getCredential(sunrise.locationId);
    const secrets = [key, credential?.kind === 'oauth' ? credential.accessToken : '', credential?.kind === 'oauth' ? credential.refreshToken : ''].filter(Boolean);
    expect(secrets.length).toBe(3);
    const logs = stack.logs.join('\n');
    const file = await readFile(stack.credentialsFile!, 'utf8');
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      expect(file).not.toContain(secret);
    }
  });
});
