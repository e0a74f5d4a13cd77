// Managed credentials end to end against the sandbox: GHL's install flow through the gateway (and
// from GHL's Marketplace, without state; at an agency), API keys instead of GHL tokens, a refresh
// when the access token expires (exactly one, even under 50 concurrent requests) or GHL revokes it
// early, token-endpoint failures (5xx retried, a refused client secret marking nothing), scopes
// narrowed by the key, and no secret in any log line.
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
const READ_CONTACT = `{ contact(id: "${sunrise.richContactId}") { id } }`;

describe('install, API key, refresh', () => {
  it('a key created for the installed location queries GHL through the stored grant', async () => {
    const { key } = await stack.managed!.apiKeys.create({
      locationId: sunrise.locationId,
      scopes: ['contacts.readonly', 'contacts.write'],
    });
    const viewer = await stack.gql<{ viewer: Record<string, unknown> }>(VIEWER, {}, key);
    expect(viewer.body.data?.viewer).toMatchObject({
      locationId: sunrise.locationId,
      tokenKind: 'api-key',
      canRead: true,
      canWrite: true,
    });
    const { body } = await stack.gql<{ contact: { id: string } }>(
      `{ contact(id: "${sunrise.richContactId}") { id } }`,
      {},
      key,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.contact.id).toBe(sunrise.richContactId);
  });

  it('after the access token expires the next query refreshes once and succeeds', async () => {
    const { key } = await stack.managed!.apiKeys.create({
      locationId: sunrise.locationId,
      scopes: ['contacts.readonly'],
    });
    await sleep(2_200);
    stack.sandbox.resetStats();
    const { body } = await stack.gql<{ contact: { id: string } }>(
      `{ contact(id: "${sunrise.richContactId}") { id } }`,
      {},
      key,
    );
    expect(body.errors).toBeUndefined();
    expect(stack.sandbox.stats().oauth.refreshes).toBe(1);
  });

  it('50 concurrent requests on an expired token cause exactly one refresh', async () => {
    const { key } = await stack.managed!.apiKeys.create({
      locationId: sunrise.locationId,
      scopes: ['contacts.readonly'],
    });
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
    const { key } = await stack.managed!.apiKeys.create({
      locationId: sunrise.locationId,
      scopes: ['contacts.readonly'],
    });
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

describe('installs GHL starts, and agencies', () => {
  const READ = (contactId: string) => `{ contact(id: "${contactId}") { id } }`;

  it('a Marketplace-initiated install (code, no state) installs the location', async () => {
    const callback = `${stack.base}/oauth/callback`;
    const clicked = await step(
      `${stack.sandbox.oauth.marketplaceInstallUrl}?locationId=${harbor.locationId}&redirect_uri=${encodeURIComponent(callback)}`,
    );
    expect(clicked.status).toBe(302);
    const target = new URL(clicked.location!);
    expect([...target.searchParams.keys()]).toEqual(['code']);
    const landed = await step(target.toString());
    expect(landed.status).toBe(200);
    expect(landed.text).toContain(`location ${harbor.locationId}`);
    const { key } = await stack.managed!.apiKeys.create({
      locationId: harbor.locationId,
      scopes: ['contacts.readonly'],
    });
    const { body } = await stack.gql<{ contact: { id: string } }>(READ(harbor.richContactId), {}, key);
    expect(body.errors).toBeUndefined();
    expect(body.data?.contact.id).toBe(harbor.richContactId);
    // A state that is present must still be one the gateway handed out.
    const code = new URL(
      (
        await step(
          `${stack.sandbox.oauth.marketplaceInstallUrl}?locationId=${harbor.locationId}&redirect_uri=${encodeURIComponent(callback)}`,
        )
      ).location!,
    ).searchParams.get('code');
    expect((await step(`${callback}?code=${code}&state=made-up`)).status).toBe(400);
  });

  it('an agency install stores the agency grant and working credentials for its locations', async () => {
    const callback = `${stack.base}/oauth/callback`;
    const clicked = await step(
      `${stack.sandbox.oauth.marketplaceInstallUrl}?companyId=${stack.sandbox.oauth.companyId}&redirect_uri=${encodeURIComponent(callback)}`,
    );
    const landed = await step(clicked.location!);
    expect(landed.status).toBe(200);
    expect(landed.text).toContain(`agency ${stack.sandbox.oauth.companyId}`);
    expect(landed.text).toContain(`${sunrise.locationId}, ${harbor.locationId}`);
    expect(stack.sandbox.stats().oauth).toMatchObject({ tokenExchanges: 1, locationTokens: 2 });
    expect(await stack.managed!.store.getCompanyGrant(stack.sandbox.oauth.companyId)).toMatchObject({
      status: 'active',
    });
    expect(await stack.managed!.store.getCredential(harbor.locationId)).toMatchObject({
      companyId: stack.sandbox.oauth.companyId,
      status: 'active',
    });
    const { key } = await stack.managed!.apiKeys.create({
      locationId: harbor.locationId,
      scopes: ['contacts.readonly'],
    });
    const { body } = await stack.gql<{ contacts: { nodes: { id: string }[] } }>(
      '{ contacts(first: 3) { nodes { id } } }',
      {},
      key,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.contacts.nodes).toHaveLength(3);
  });

  it('an access token GHL revoked early recovers by exactly one refresh', async () => {
    await install(sunrise.locationId);
    const { key } = await stack.managed!.apiKeys.create({
      locationId: sunrise.locationId,
      scopes: ['contacts.readonly'],
    });
    const stored = await stack.managed!.store.getCredential(sunrise.locationId);
    expect(stack.sandbox.revokeAccessTokens({ accessToken: stored?.kind === 'oauth' ? stored.accessToken : '' })).toBe(
      1,
    );
    stack.sandbox.resetStats();
    const { body } = await stack.gql<{ contact: { id: string } }>(READ(sunrise.richContactId), {}, key);
    expect(body.errors).toBeUndefined();
    expect(stack.sandbox.stats().oauth.refreshes).toBe(1);
    expect(stack.sandbox.stats().byRoute['GET /contacts/{contactId}']).toBe(2);
  });

  it('a 5xx from the token endpoint is retried, and the refresh succeeds', async () => {
    const stored = await stack.managed!.store.getCredential(sunrise.locationId);
    if (stored?.kind !== 'oauth') throw new Error('expected an OAuth credential');
    await stack.managed!.store.putCredential({ ...stored, expiresAt: Date.now() - 1 });
    const { key } = await stack.managed!.apiKeys.create({
      locationId: sunrise.locationId,
      scopes: ['contacts.readonly'],
    });
    stack.sandbox.setFaults([{ kind: 'error500', route: 'POST /oauth/token', count: 2 }]);
    try {
      const { body } = await stack.gql<{ contact: { id: string } }>(READ(sunrise.richContactId), {}, key);
      expect(body.errors).toBeUndefined();
    } finally {
      stack.sandbox.setFaults([]);
    }
    expect(stack.sandbox.stats().byRoute['POST /oauth/token']).toBe(3);
    expect(stack.sandbox.stats().oauth.refreshes).toBe(1);
  });
});

describe('keys and scopes', () => {
  it('a read-only key sees no mutations even when the credential could write', async () => {
    const { key } = await stack.managed!.apiKeys.create({
      locationId: sunrise.locationId,
      scopes: ['contacts.readonly'],
    });
    const { body } = await stack.gql<{ __schema: { mutationType: unknown } }>(
      '{ __schema { mutationType { name } } }',
      {},
      key,
    );
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
    const { key } = await stack.managed!.apiKeys.create({
      locationId: harbor.locationId,
      scopes: ['contacts.readonly', 'contacts.write'],
    });
    const viewer = await stack.gql<{ viewer: { canWrite: boolean; scopes: string[] } }>(VIEWER, {}, key);
    expect(viewer.body.data?.viewer).toMatchObject({ canWrite: false, scopes: ['contacts.readonly'] });
    const read = await stack.gql<{ contact: { id: string } }>(
      `{ contact(id: "${harbor.richContactId}") { id } }`,
      {},
      key,
    );
    expect(read.body.data?.contact.id).toBe(harbor.richContactId);
  });

  it('revoked, expired, unknown and malformed keys get 401 with no upstream call', async () => {
    const revoked = await stack.managed!.apiKeys.create({
      locationId: sunrise.locationId,
      scopes: ['contacts.readonly'],
    });
    await stack.managed!.apiKeys.revoke(revoked.record.id);
    const expired = await stack.managed!.apiKeys.create({
      locationId: sunrise.locationId,
      scopes: ['contacts.readonly'],
      expiresInMs: 1,
    });
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
    const original = await stack.managed!.apiKeys.create({
      locationId: sunrise.locationId,
      scopes: ['contacts.readonly'],
    });
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

  it('callbacks without state are capped at 30 a minute, so forged ones cannot hammer GHL', async () => {
    stack.sandbox.resetStats();
    const answers: number[] = [];
    for (let i = 0; i < 31; i += 1) answers.push((await step(`${stack.base}/oauth/callback?code=forged${i}`)).status);
    // The Marketplace installs above used two of this minute's 30.
    const admitted = answers.filter((status) => status === 502).length;
    expect(admitted).toBe(28);
    expect(answers.slice(admitted).every((status) => status === 429)).toBe(true);
    // Each admitted one cost one refused exchange at GHL; the capped ones none.
    expect(stack.sandbox.stats().byRoute['POST /oauth/token']).toBe(admitted);
    expect(stack.sandbox.stats().oauth.rejected).toBe(admitted);
  });

  it('no access token, refresh token or API key appears in the logs or the store file', async () => {
    const { key } = await stack.managed!.apiKeys.create({
      locationId: sunrise.locationId,
      scopes: ['contacts.readonly'],
    });
    await stack.gql(`{ contact(id: "${sunrise.richContactId}") { id } }`, {}, key);
    const credential = await stack.managed!.store.getCredential(sunrise.locationId);
    const secrets = [
      key,
      credential?.kind === 'oauth' ? credential.accessToken : '',
      credential?.kind === 'oauth' ? credential.refreshToken : '',
    ].filter(Boolean);
    expect(secrets.length).toBe(3);
    const logs = stack.logs.join('\n');
    const file = await readFile(stack.credentialsFile!, 'utf8');
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      expect(file).not.toContain(secret);
    }
  });
});

// Last: after GHL refuses the client, the gateway pauses token calls for a minute.
describe('a refused client secret', () => {
  it('is a configuration error, logged naming GHL_CLIENT_ID/GHL_CLIENT_SECRET; no location is marked', async () => {
    await install(sunrise.locationId);
    const stored = await stack.managed!.store.getCredential(sunrise.locationId);
    if (stored?.kind !== 'oauth') throw new Error('expected an OAuth credential');
    await stack.managed!.store.putCredential({ ...stored, expiresAt: Date.now() - 1 });
    const { key } = await stack.managed!.apiKeys.create({
      locationId: sunrise.locationId,
      scopes: ['contacts.readonly'],
    });
    const secret = stack.sandbox.oauth.clientSecret;
    stack.sandbox.configure({ oauth: { clientSecret: 'rotated-in-the-marketplace' } });
    try {
      const { body } = await stack.gql(READ_CONTACT, {}, key);
      expect(body.errors?.[0]?.extensions).toMatchObject({ reason: 'oauth_misconfigured' });
      expect(body.errors?.[0]?.message).toMatch(/GHL_CLIENT_ID and GHL_CLIENT_SECRET/);
      expect(stack.sandbox.stats().oauth.rejected).toBe(1);
      expect(await stack.managed!.store.getCredential(sunrise.locationId)).toMatchObject({ status: 'active' });
      expect(await stack.managed!.store.getCredential(harbor.locationId)).toMatchObject({ status: 'active' });
      const errors = stack.logs.map((line) => JSON.parse(line)).filter((entry) => entry.level === 'error');
      expect(errors.some((entry) => /GHL_CLIENT_ID \/ GHL_CLIENT_SECRET/.test(entry.message))).toBe(true);
      // The next caller gets the same answer without another refused call to GHL.
      await stack.gql(READ_CONTACT, {}, key);
      expect(stack.sandbox.stats().oauth.rejected).toBe(1);
    } finally {
      stack.sandbox.configure({ oauth: { clientSecret: secret } });
    }
  });
});
