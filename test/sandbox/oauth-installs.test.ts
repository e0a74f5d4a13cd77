// Installs as GHL makes them beyond an app's own install link: the Marketplace's "Add App" (no
// state), agency (Company) installs, the locations where the app is installed, early revocation of
// access tokens, and the token endpoint failing (5xx, hang). Bodies are checked against oauth.json.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxAgency, sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { responseSchemaFor, validate } from '../support/openapi.js';
import { api } from './helpers.js';
import { REDIRECT_URI, authorize, claimsOf, codeExchange, install, postToken, refreshRequest } from './oauth-flow.js';
import { startReceiver } from './webhook-receiver.js';
import type { Receiver } from './webhook-receiver.js';

const S = sandboxFixtures.sunrise;
const H = sandboxFixtures.harbor;
const OAUTH_SPEC = 'apps/oauth.json';
const AGENCY_SCOPES = 'contacts.readonly oauth.readonly oauth.write';

let sb: Sandbox;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  sb = await startSandbox({ rateLimit: 0, webhooks: { url: receiver.url } });
});
afterAll(async () => {
  await sb.close();
  await receiver.close();
});
beforeEach(() => {
  sb.setFaults([]);
  receiver.clear();
});

function expectSpecShape(op: { method: string; path: string }, status: number, body: unknown): void {
  const schema = responseSchemaFor(op, status, { spec: OAUTH_SPEC });
  expect(schema, `oauth.json documents ${status} for ${op.method} ${op.path}`).toBeDefined();
  expect(validate(schema, body), `${op.method} ${op.path} → ${status}`).toEqual([]);
}

async function marketplace(
  query: Record<string, string>,
): Promise<{ status: number; location: string | null; body: any }> {
  const res = await fetch(`${sb.oauth.marketplaceInstallUrl}?${new URLSearchParams(query)}`, { redirect: 'manual' });
  const text = await res.text();
  return {
    status: res.status,
    location: res.headers.get('location'),
    body: text === '' ? undefined : JSON.parse(text),
  };
}

function codeOf(location: string | null): string {
  const url = new URL(location ?? 'http://x/');
  const code = url.searchParams.get('code');
  if (code === null) throw new Error(`no code in ${location}`);
  return code;
}

async function installedLocations(
  token: string,
  query: Record<string, string>,
): Promise<{ status: number; body: any }> {
  const res = await api(sb, 'GET', `/oauth/installedLocations?${new URLSearchParams(query)}`, { token });
  return { status: res.status, body: res.body };
}

async function locationToken(
  token: string,
  locationId: string,
  sandbox: Sandbox = sb,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sandbox.url}/oauth/locationToken`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      Version: '2021-07-28',
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ companyId: sandboxAgency.companyId, locationId }).toString(),
  });
  return { status: res.status, body: await res.json() };
}

describe('Marketplace "Add App" (GET /__sandbox/marketplace/install)', () => {
  it('redirects to the redirect URI with a code and no state, and sends INSTALL', async () => {
    const res = await marketplace({ locationId: H.locationId, redirect_uri: REDIRECT_URI });
    expect(res.status).toBe(302);
    const target = new URL(res.location ?? '');
    expect(`${target.origin}${target.pathname}`).toBe(REDIRECT_URI);
    expect([...target.searchParams.keys()]).toEqual(['code']);
    // No user_type, as GHL's own app template exchanges a code.
    const { user_type: _, ...exchange } = codeExchange(sb, codeOf(res.location));
    const tokens = await postToken(sb, exchange);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({
      userType: 'Location',
      locationId: H.locationId,
      scope: 'contacts.readonly contacts.write',
    });
    await sb.flushWebhooks();
    expect(receiver.deliveries.map((d) => [d.body.type, d.body.locationId, d.body.companyId])).toEqual([
      ['INSTALL', H.locationId, sandboxAgency.companyId],
    ]);
  });

  it('an agency install approves some or all locations and sends one INSTALL per location', async () => {
    const some = await marketplace({
      companyId: sandboxAgency.companyId,
      locationIds: H.locationId,
      redirect_uri: REDIRECT_URI,
    });
    const agency = await postToken(sb, codeExchange(sb, codeOf(some.location)));
    expect(agency.body).toMatchObject({
      userType: 'Company',
      companyId: sandboxAgency.companyId,
      approvedLocations: [H.locationId],
    });
    expect(agency.body.scope).toBe('contacts.readonly contacts.write oauth.readonly oauth.write');
    const all = await marketplace({ companyId: sandboxAgency.companyId, redirect_uri: REDIRECT_URI });
    expect((await postToken(sb, codeExchange(sb, codeOf(all.location)))).body.approvedLocations).toEqual([
      S.locationId,
      H.locationId,
    ]);
    await sb.flushWebhooks();
    expect(receiver.deliveries.map((d) => d.body.locationId)).toEqual([H.locationId, S.locationId, H.locationId]);
  });

  it('uses the one registered redirect URI when none is named, and refuses what the chooser refuses', async () => {
    sb.configure({ oauth: { redirectUris: ['https://app.example/oauth/callback'] } });
    try {
      const res = await marketplace({ locationId: S.locationId });
      expect(res.location?.startsWith('https://app.example/oauth/callback?code=')).toBe(true);
      const other = await marketplace({ locationId: S.locationId, redirect_uri: 'https://evil.example/cb' });
      expect(other).toMatchObject({
        status: 400,
        location: null,
        body: { message: expect.stringMatching(/not registered/) },
      });
    } finally {
      sb.configure({ oauth: { redirectUris: null } });
    }
    for (const [query, message] of [
      [{ redirect_uri: REDIRECT_URI }, /either locationId .* or companyId/],
      [{ locationId: 'nowhere', redirect_uri: REDIRECT_URI }, /Unknown location "nowhere"/],
      [{ companyId: 'otherAgency', redirect_uri: REDIRECT_URI }, /Unknown companyId/],
      [{ locationId: S.locationId }, /redirect_uri is required/],
    ] as const) {
      const res = await marketplace(query);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    await sb.flushWebhooks();
    expect(receiver.deliveries.map((d) => d.body.locationId)).toEqual([S.locationId]);
  });
});

describe('the install decides the token level', () => {
  it('a Company install gives a Company token whatever user_type the exchange names, and a Location one a Location token', async () => {
    const company = await install(sb, { scope: AGENCY_SCOPES, user_type: 'Company' }, { user_type: 'Location' });
    expect(company).toMatchObject({ userType: 'Company', isBulkInstallation: true });
    expect(company.locationId).toBeUndefined();
    expect(claimsOf(company.access_token)).toMatchObject({
      authClass: 'Company',
      authClassId: sandboxAgency.companyId,
    });
    const location = await install(sb, { scope: AGENCY_SCOPES }, { user_type: 'Company' });
    expect(location).toMatchObject({ userType: 'Location', locationId: S.locationId });
  });
});

describe('GET /oauth/installedLocations', () => {
  const op = { method: 'GET', path: '/oauth/installedLocations' };

  it('lists the company locations with isInstalled, filters and pages, in the spec shape', async () => {
    // A fresh sandbox: only the installs of this test count.
    const fresh = await startSandbox({ rateLimit: 0 });
    try {
      const agency = await install(fresh, { scope: AGENCY_SCOPES, user_type: 'Company', location_id: H.locationId });
      const list = async (query: Record<string, string>) => {
        const res = await api(
          fresh,
          'GET',
          `/oauth/installedLocations?${new URLSearchParams({ companyId: sandboxAgency.companyId, appId: fresh.oauth.appId, ...query })}`,
          { token: agency.access_token },
        );
        expect(res.status).toBe(200);
        expectSpecShape(op, 200, res.body);
        return res.body;
      };
      const all = await list({});
      expect(all).toMatchObject({ count: 2, installToFutureLocations: false });
      expect(all.locations).toEqual([
        { _id: S.locationId, name: S.name, address: '', isInstalled: false },
        {
          _id: H.locationId,
          name: H.name,
          address: '',
          isInstalled: true,
          versionId: expect.any(String),
          installedAt: expect.any(String),
        },
      ]);
      expect((await list({ isInstalled: 'true' })).locations.map((l: any) => l._id)).toEqual([H.locationId]);
      expect((await list({ isInstalled: 'false' })).locations.map((l: any) => l._id)).toEqual([S.locationId]);
      expect((await list({ query: 'harbor' })).locations.map((l: any) => l._id)).toEqual([H.locationId]);
      expect(await list({ skip: '1', limit: '1' })).toMatchObject({ count: 2, locations: [{ _id: H.locationId }] });
      expect((await list({ appId: 'someOtherApp', isInstalled: 'true' })).locations).toEqual([]);
      // An agency mints tokens only where the app is installed.
      expect((await locationToken(agency.access_token, H.locationId, fresh)).status).toBe(200);
      expect((await locationToken(agency.access_token, S.locationId, fresh)).body).toMatchObject({
        statusCode: 400,
        message: 'The app is not installed for this location.',
      });
    } finally {
      await fresh.close();
    }
  });

  it('refuses what GHL refuses', async () => {
    const agency = await install(sb, { scope: AGENCY_SCOPES, user_type: 'Company' });
    const noRead = await install(sb, { scope: 'oauth.write', user_type: 'Company' });
    const missing = await installedLocations(agency.access_token, {});
    expect(missing.status).toBe(422);
    expectSpecShape(op, 422, missing.body);
    expect(missing.body.message).toEqual(
      expect.arrayContaining(['companyId should not be empty', 'appId should not be empty']),
    );
    const bad = await installedLocations(agency.access_token, {
      companyId: sandboxAgency.companyId,
      appId: 'a',
      isInstalled: 'yes',
    });
    expect(bad.body.message).toEqual(['isInstalled must be a boolean value']);
    const query = { companyId: sandboxAgency.companyId, appId: sb.oauth.appId };
    expect((await installedLocations(noRead.access_token, query)).body.message).toBe(
      'The token is not authorized for this scope.',
    );
    expect((await installedLocations(sb.tokens[0]!.readOnly, query)).body.message).toMatch(
      /authClass type is not allowed/,
    );
    expect(
      (await installedLocations(agency.access_token, { ...query, companyId: 'otherAgency0000000000' })).status,
    ).toBe(403);
  });
});

describe('early revocation (POST /__sandbox/oauth/revoke)', () => {
  it("a revoked access token answers oauth.json's 401 example, an expired or forged one Invalid JWT; a refresh recovers", async () => {
    const grant = await install(sb, { location_id: H.locationId });
    expect((await api(sb, 'GET', `/contacts/${H.richContactId}`, { token: grant.access_token })).status).toBe(200);
    const revoke = await fetch(`${sb.url}/__sandbox/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessToken: grant.access_token }),
    });
    expect(await revoke.json()).toEqual({ revoked: 1 });
    const refused = await api(sb, 'GET', `/contacts/${H.richContactId}`, { token: grant.access_token });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({
      statusCode: 401,
      message: 'Invalid token: access token is invalid',
      error: 'Unauthorized',
    });
    expect(
      validate(
        responseSchemaFor({ method: 'POST', path: '/oauth/locationToken' }, 401, { spec: OAUTH_SPEC }),
        refused.body,
      ),
    ).toEqual([]);
    expect(
      (await api(sb, 'GET', `/contacts/${H.richContactId}`, { token: `${grant.access_token}x` })).body.message,
    ).toBe('Invalid JWT');
    const refreshed = await postToken(sb, refreshRequest(sb, grant.refresh_token));
    expect((await api(sb, 'GET', `/contacts/${H.richContactId}`, { token: refreshed.body.access_token })).status).toBe(
      200,
    );
  });

  it('revokes every access token of a location or of an agency; printed tokens too', async () => {
    const first = await install(sb, { location_id: H.locationId });
    const second = await install(sb, { location_id: H.locationId });
    const before = sb.revokeAccessTokens({ locationId: H.locationId });
    expect(before).toBeGreaterThanOrEqual(2);
    for (const token of [first.access_token, second.access_token]) {
      expect((await api(sb, 'GET', `/contacts/${H.richContactId}`, { token })).body.message).toBe(
        'Invalid token: access token is invalid',
      );
    }
    expect(sb.revokeAccessTokens({ locationId: H.locationId })).toBe(0);

    const agency = await install(sb, { scope: AGENCY_SCOPES, user_type: 'Company' });
    sb.revokeAccessTokens({ companyId: sandboxAgency.companyId });
    expect((await locationToken(agency.access_token, S.locationId)).body.message).toBe(
      'Invalid token: access token is invalid',
    );

    const printed = sb.tokens[1]!.readWrite;
    sb.revokeAccessTokens({ accessToken: printed });
    expect((await api(sb, 'GET', `/contacts/${H.richContactId}`, { token: printed })).status).toBe(401);
    expect(() => sb.revokeAccessTokens({} as never)).toThrow(/accessToken, locationId, companyId/);
    const bad = await fetch(`${sb.url}/__sandbox/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(bad.status).toBe(400);
  });
});

describe('the token endpoint failing', () => {
  it('answers 5xx from a fault rule without spending the refresh token, or never answers (hang)', async () => {
    const grant = await install(sb);
    sb.setFaults([{ kind: 'error500', route: 'POST /oauth/token', count: 2 }]);
    expect((await postToken(sb, refreshRequest(sb, grant.refresh_token))).status).toBe(500);
    expect((await postToken(sb, refreshRequest(sb, grant.refresh_token))).status).toBe(500);
    expect((await postToken(sb, refreshRequest(sb, grant.refresh_token))).status).toBe(200);

    const code = await authorize(sb);
    sb.setFaults([{ kind: 'hang', route: 'POST /oauth/token', count: 1 }]);
    const hung = await fetch(sb.oauth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(codeExchange(sb, code)).toString(),
      signal: AbortSignal.timeout(200),
    }).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    expect(hung).toBe('TimeoutError');
    expect((await postToken(sb, codeExchange(sb, code))).status).toBe(200);
  });

  it('a wrong client secret is 401 Invalid client, a spent refresh token 400 Invalid grant', async () => {
    const grant = await install(sb);
    const wrong = await postToken(sb, refreshRequest(sb, grant.refresh_token, { client_secret: 'nope' }));
    expect(wrong).toMatchObject({
      status: 401,
      body: { statusCode: 401, message: 'Invalid client: client is invalid' },
    });
    expect((await postToken(sb, refreshRequest(sb, grant.refresh_token))).status).toBe(200);
    const spent = await postToken(sb, refreshRequest(sb, grant.refresh_token));
    expect(spent).toMatchObject({
      status: 400,
      body: { statusCode: 400, message: 'Invalid grant: refresh token is invalid' },
    });
  });
});
