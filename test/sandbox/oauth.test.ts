// GHL's OAuth surface (oauth.json), over real HTTP: the location chooser, the code exchange,
// single-use refresh tokens, expiry, agency → location tokens, stats and faults. Every body is
// checked against oauth.json's schema for its route and status. Marketplace installs, installed
// locations and early revocation are in oauth-installs.test.ts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxAgency, sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { OAUTH_ROUTE_KEYS } from '../../src/sandbox/oauth-handler.js';
import { KNOWN_SCOPES } from '../../src/sandbox/oauth-scopes.js';
import { tokenRequestSchema } from '../../src/sandbox/oauth-token.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { dereference, findOperation, operations, responseSchemaFor, validate } from '../support/openapi.js';
import type { Schema } from '../support/openapi.js';
import { api } from './helpers.js';
import {
  CONTACT_SCOPES,
  REDIRECT_URI,
  authorize,
  choose,
  chooserParams,
  claimsOf,
  codeExchange,
  install,
  postToken,
  refreshRequest,
} from './oauth-flow.js';

const S = sandboxFixtures.sunrise;
const H = sandboxFixtures.harbor;
const OAUTH_SPEC = 'apps/oauth.json';
const TOKEN_OP = { method: 'POST', path: '/oauth/token' };
const LOCATION_TOKEN_OP = { method: 'POST', path: '/oauth/locationToken' };

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ rateLimit: 0 });
});
afterAll(async () => {
  await sb.close();
});

/** The body conforms to oauth.json's schema for the operation and status (which must exist). */
function expectSpecShape(op: { method: string; path: string }, status: number, body: unknown): void {
  const schema = responseSchemaFor(op, status, { spec: OAUTH_SPEC });
  expect(schema, `oauth.json documents ${status} for ${op.method} ${op.path}`).toBeDefined();
  expect(validate(schema, body), `${op.method} ${op.path} → ${status}`).toEqual([]);
}

async function readContact(token: string, contactId: string = S.richContactId): Promise<{ status: number; body: any }> {
  return api(sb, 'GET', `/contacts/${contactId}`, { token });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GET /oauth/chooselocation', () => {
  it('auto-approves: 302 to redirect_uri with a one-time code and the state as given', async () => {
    const res = await choose(sb, chooserParams(sb, { state: 'a b&c=d' }));
    expect(res.status).toBe(302);
    const target = new URL(res.location ?? '');
    expect(`${target.origin}${target.pathname}`).toBe(REDIRECT_URI);
    expect(target.searchParams.get('code')).toMatch(/^[0-9a-f]{40}$/);
    expect(target.searchParams.get('state')).toBe('a b&c=d');

    // No state, no state parameter; a query already on the redirect URI is kept.
    const bare = await choose(
      sb,
      chooserParams(sb, { state: undefined, redirect_uri: 'http://localhost:8080/cb?app=1' }),
    );
    const bareTarget = new URL(bare.location ?? '');
    expect(bareTarget.searchParams.get('app')).toBe('1');
    expect(bareTarget.searchParams.has('state')).toBe(false);
  });

  it('serves the /v2 path of the install URL in GHL docs too', async () => {
    const res = await fetch(
      `${sb.url}/v2/oauth/chooselocation?${new URLSearchParams(chooserParams(sb) as Record<string, string>)}`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(302);
  });

  it('installs on the first location, or on location_id', async () => {
    expect((await install(sb)).locationId).toBe(S.locationId);
    expect((await install(sb, { location_id: H.locationId })).locationId).toBe(H.locationId);
  });

  it.each([
    ['no client_id', { client_id: undefined }, /client_id is required/],
    ['an unknown client_id', { client_id: 'someone-else' }, /Unknown client_id "someone-else"/],
    ['no redirect_uri', { redirect_uri: undefined }, /redirect_uri is required/],
    [
      'an unregistered redirect_uri',
      { redirect_uri: 'https://evil.example/steal' },
      /redirect_uri "https:\/\/evil\.example\/steal" is not registered/,
    ],
    ['a redirect_uri with a fragment', { redirect_uri: 'http://127.0.0.1:5173/cb#x' }, /is not registered/],
    ['response_type token', { response_type: 'token' }, /response_type must be "code"/],
    ['no scope', { scope: undefined }, /scope is required/],
    [
      'unknown scopes',
      { scope: 'contacts.readonly contacts.delete everything' },
      /Unknown scopes: contacts\.delete, everything/,
    ],
    ['an unknown location_id', { location_id: 'nowhere' }, /Unknown location "nowhere"/],
    ['an unknown user_type', { user_type: 'Agency' }, /user_type must be "Location" or "Company"/],
    [
      'several locations for a sub-account install',
      { location_id: `${S.locationId},${H.locationId}` },
      /user_type=Company/,
    ],
  ])('400 without a redirect for %s', async (_, overrides, message) => {
    const before = sb.stats().oauth.codesIssued;
    const res = await choose(sb, chooserParams(sb, overrides));
    expect(res.status).toBe(400);
    expect(res.location).toBeNull();
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(message) });
    expect(sb.stats().oauth.codesIssued).toBe(before);
  });

  it('answers a browser with an HTML page, escaped', async () => {
    const res = await choose(sb, chooserParams(sb, { client_id: '<script>x</script>' }), 'text/html');
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^text\/html/);
    expect(res.text).toContain('&#60;script&#62;');
    expect(res.text).not.toContain('<script>');
  });

  it('with configured redirect URIs, accepts exactly those (and no longer any loopback URI)', async () => {
    sb.configure({ oauth: { redirectUris: ['https://app.example.com/ghl/callback'] } });
    try {
      expect(
        (await choose(sb, chooserParams(sb, { redirect_uri: 'https://app.example.com/ghl/callback' }))).status,
      ).toBe(302);
      expect(
        (await choose(sb, chooserParams(sb, { redirect_uri: 'https://app.example.com/ghl/callback/' }))).status,
      ).toBe(400);
      expect((await choose(sb, chooserParams(sb))).status).toBe(400);
    } finally {
      sb.configure({ oauth: { redirectUris: null } });
    }
    expect((await choose(sb, chooserParams(sb))).status).toBe(302);
  });

  it('knows every scope the specs name', () => {
    const named = ['apps/contacts.json', 'apps/calendars.json', OAUTH_SPEC].flatMap((spec) =>
      operations(spec).flatMap((op) =>
        Array.isArray(op.operation.security)
          ? op.operation.security.flatMap((req) => Object.values(req as Record<string, string[]>).flat())
          : [],
      ),
    );
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((scope) => !KNOWN_SCOPES.has(scope))).toEqual([]);
  });
});

describe('POST /oauth/token: authorization_code', () => {
  it("returns the spec's GetAccessCodeSuccessfulResponseDto, with a sandbox JWT for the location", async () => {
    const code = await authorize(sb);
    const res = await postToken(sb, codeExchange(sb, code));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expectSpecShape(TOKEN_OP, 200, res.body);
    expect(Object.keys(res.body)).toEqual([
      'access_token',
      'token_type',
      'expires_in',
      'refresh_token',
      'scope',
      'refreshTokenId',
      'userType',
      'companyId',
      'locationId',
      'userId',
      'traceId',
    ]);
    expect(res.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 86_399,
      scope: CONTACT_SCOPES,
      userType: 'Location',
      companyId: sandboxAgency.companyId,
      locationId: S.locationId,
      userId: expect.stringMatching(/^[A-Za-z0-9]{20}$/),
      refreshTokenId: expect.stringMatching(/^[0-9a-f]{24}$/),
    });
    const claims = claimsOf(res.body.access_token);
    expect(claims).toMatchObject({
      authClass: 'Location',
      authClassId: S.locationId,
      oauthMeta: { scopes: ['contacts.readonly', 'contacts.write'], client: sb.oauth.clientId },
    });
    // One second past expires_in, as GHL's 86400 vs 86399: never dead before the promised time.
    expect(claims.exp - claims.iat).toBe(86_400);

    const read = await readContact(res.body.access_token);
    expect(read.status).toBe(200);
    expect(read.body.contact.id).toBe(S.richContactId);
  });

  it('takes a JSON body too, as in GHL’s OAuth guide', async () => {
    const res = await postToken(sb, codeExchange(sb, await authorize(sb)), 'json');
    expect(res.status).toBe(200);
    expectSpecShape(TOKEN_OP, 200, res.body);
  });

  it('grants the requested scopes only', async () => {
    const readOnly = await install(sb, { scope: 'contacts.readonly' });
    expect(readOnly.scope).toBe('contacts.readonly');
    expect((await readContact(readOnly.access_token)).status).toBe(200);
    const write = await api(sb, 'PUT', `/contacts/${S.richContactId}`, {
      token: readOnly.access_token,
      body: { city: 'Mesa' },
    });
    expect(write.status).toBe(401);
    expect(write.body.message).toBe('The token is not authorized for this scope.');
    // A location's token is refused on another location's records.
    const harbor = await install(sb, { location_id: H.locationId });
    expect((await readContact(harbor.access_token)).status).toBe(403);
    expect((await readContact(harbor.access_token, H.richContactId)).status).toBe(200);
  });

  it('a code works once', async () => {
    const code = await authorize(sb);
    expect((await postToken(sb, codeExchange(sb, code))).status).toBe(200);
    const again = await postToken(sb, codeExchange(sb, code));
    expect(again.status).toBe(400);
    expectSpecShape(TOKEN_OP, 400, again.body);
    expect(again.body).toMatchObject({ statusCode: 400, message: 'Invalid grant: authorization code is invalid' });
    expect((await postToken(sb, codeExchange(sb, 'f'.repeat(40)))).body.message).toBe(
      'Invalid grant: authorization code is invalid',
    );
  });

  it('needs the redirect_uri the chooser got; a mismatch does not spend the code', async () => {
    const code = await authorize(sb);
    const other = await postToken(sb, codeExchange(sb, code, { redirect_uri: 'http://127.0.0.1:5173/other' }));
    expect(other.status).toBe(400);
    expect(other.body.message).toBe('Invalid request: `redirect_uri` is invalid');
    const { redirect_uri: _, ...withoutRedirect } = codeExchange(sb, code);
    expect((await postToken(sb, withoutRedirect)).body.message).toBe(
      'Invalid request: `redirect_uri` is not a valid URI',
    );
    expect((await postToken(sb, codeExchange(sb, code))).status).toBe(200);
  });

  it('missing code or refresh_token is a 400; client_credentials is a real grant the sandbox does not model (501)', async () => {
    const { code: _, ...noCode } = codeExchange(sb, 'x');
    const res = await postToken(sb, noCode);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Invalid request: missing parameter: `code`');
    const { refresh_token: __, ...noRefresh } = refreshRequest(sb, 'x');
    expect((await postToken(sb, noRefresh)).body.message).toBe('Invalid request: missing parameter: `refresh_token`');
    const cc = await postToken(sb, {
      client_id: sb.oauth.clientId,
      client_secret: sb.oauth.clientSecret,
      grant_type: 'client_credentials',
    });
    expect(cc.status).toBe(501);
  });
});

describe('POST /oauth/token: client authentication and validation', () => {
  it('a wrong client secret or an unknown client is a 401 UnauthorizedDTO, and spends nothing', async () => {
    const code = await authorize(sb);
    for (const fields of [
      codeExchange(sb, code, { client_secret: 'wrong' }),
      codeExchange(sb, code, { client_id: 'someone-else' }),
    ]) {
      const res = await postToken(sb, fields);
      expect(res.status).toBe(401);
      expectSpecShape(TOKEN_OP, 401, res.body);
      expect(res.body).toMatchObject({
        statusCode: 401,
        message: 'Invalid client: client is invalid',
        error: 'Unauthorized',
      });
    }
    const tokens = (await postToken(sb, codeExchange(sb, code))).body;
    expect((await postToken(sb, refreshRequest(sb, tokens.refresh_token, { client_secret: 'wrong' }))).status).toBe(
      401,
    );
    expect((await postToken(sb, refreshRequest(sb, tokens.refresh_token))).status).toBe(200);
  });

  it("missing fields are a 422 UnprocessableDTO naming each of the spec's required fields", async () => {
    const res = await postToken(sb, {});
    expect(res.status).toBe(422);
    expectSpecShape(TOKEN_OP, 422, res.body);
    const op = findOperation(TOKEN_OP, OAUTH_SPEC);
    const content = (op?.operation.requestBody as any)?.content?.['application/x-www-form-urlencoded'];
    const dto = dereference(content?.schema, op?.specFile ?? '') as Schema;
    const required = dto.required as string[];
    expect(required).toEqual(['client_id', 'client_secret', 'grant_type']);
    for (const field of required)
      expect(
        res.body.message.some((m: string) => m.startsWith(`${field} `)),
        field,
      ).toBe(true);
    // The sandbox's schema requires exactly those, and knows every field the DTO has.
    const shape = tokenRequestSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
    expect(Object.keys(shape).sort()).toEqual(Object.keys(dto.properties as object).sort());
    expect(Object.keys(shape).filter((k) => !shape[k]?.safeParse(undefined).success)).toEqual(required);

    const badEnums = await postToken(sb, {
      client_id: 'a',
      client_secret: 'b',
      grant_type: 'password',
      user_type: 'Agency',
    });
    expect(badEnums.body.message).toEqual([
      'grant_type must be one of the following values: authorization_code, refresh_token, client_credentials',
      'user_type must be one of the following values: Company, Location',
    ]);
  });

  it('needs no Version header and no bearer token', async () => {
    const code = await authorize(sb);
    const res = await fetch(`${sb.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams(codeExchange(sb, code)),
    });
    expect(res.status).toBe(200);
  });
});

describe('POST /oauth/token: refresh_token (single use)', () => {
  it('returns a new pair and spends the old refresh token; tokens minted earlier keep working', async () => {
    sb.resetStats();
    const first = await install(sb);
    const refreshed = await postToken(sb, refreshRequest(sb, first.refresh_token, { user_type: 'Location' }));
    expect(refreshed.status).toBe(200);
    expectSpecShape(TOKEN_OP, 200, refreshed.body);
    expect(refreshed.body).toMatchObject({
      userType: 'Location',
      locationId: S.locationId,
      scope: first.scope,
      userId: first.userId,
    });
    expect(refreshed.body.access_token).not.toBe(first.access_token);
    expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
    expect(refreshed.body.refreshTokenId).not.toBe(first.refreshTokenId);

    const reused = await postToken(sb, refreshRequest(sb, first.refresh_token));
    expect(reused.status).toBe(400);
    expectSpecShape(TOKEN_OP, 400, reused.body);
    expect(reused.body).toMatchObject({
      statusCode: 400,
      message: 'Invalid grant: refresh token is invalid',
      error: 'Bad Request',
    });

    expect((await readContact(refreshed.body.access_token)).status).toBe(200);
    expect((await readContact(first.access_token)).status).toBe(200);
    const next = await postToken(sb, refreshRequest(sb, refreshed.body.refresh_token));
    expect(next.status).toBe(200);

    expect(sb.stats().oauth).toEqual({
      codesIssued: 1,
      tokenExchanges: 1,
      refreshes: 2,
      refreshReuseRejected: 1,
      locationTokens: 0,
      rejected: 1,
    });
  });

  it('two refreshes racing with one token: exactly one wins', async () => {
    const { refresh_token } = await install(sb);
    const results = await Promise.all([1, 2, 3].map(() => postToken(sb, refreshRequest(sb, refresh_token))));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
  });

  it('a refresh token is not an access token, and an access token is not a refresh token', async () => {
    const tokens = await install(sb);
    const asAccess = await readContact(tokens.refresh_token);
    expect(asAccess.status).toBe(401);
    expect(asAccess.body.message).toBe('Invalid JWT');
    expect((await postToken(sb, refreshRequest(sb, tokens.access_token))).body.message).toBe(
      'Invalid grant: refresh token is invalid',
    );
    expect((await postToken(sb, refreshRequest(sb, 'made-up'))).status).toBe(400);
  });

  it('after a change of client credentials, old refresh tokens belong to the old client', async () => {
    const tokens = await install(sb);
    sb.configure({ oauth: { clientId: 'rotated-client', clientSecret: 'rotated-secret' } });
    try {
      expect(sb.oauth).toMatchObject({ clientId: 'rotated-client', clientSecret: 'rotated-secret' });
      const res = await postToken(sb, refreshRequest(sb, tokens.refresh_token));
      expect(res.body.message).toBe('Invalid grant: refresh token is invalid');
    } finally {
      sb.configure({ oauth: { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' } });
    }
    expect((await postToken(sb, refreshRequest(sb, tokens.refresh_token))).status).toBe(200);
  });
});

describe('lifetimes', () => {
  it('with 1 s lifetimes, access tokens (exchanged or refreshed) and codes expire', async () => {
    const short = await startSandbox({ rateLimit: 0, oauth: { authorizationCodeTtlSeconds: 1 } });
    try {
      short.configure({ oauth: { accessTokenTtlSeconds: 1 } });
      const code = await authorize(short);
      const staleCode = await authorize(short);
      const exchanged = await postToken(short, codeExchange(short, code));
      expect(exchanged.body.expires_in).toBe(1);
      const refreshed = (await postToken(short, refreshRequest(short, exchanged.body.refresh_token))).body;
      const get = (token: string) => api(short, 'GET', `/contacts/${S.richContactId}`, { token });
      expect((await get(refreshed.access_token)).status).toBe(200);

      const exp = Math.max(claimsOf(exchanged.body.access_token).exp, claimsOf(refreshed.access_token).exp);
      await sleep(Math.max(0, exp * 1000 - Date.now()) + 20);
      for (const token of [exchanged.body.access_token, refreshed.access_token]) {
        const res = await get(token);
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ statusCode: 401, message: 'Invalid JWT' });
      }
      const late = await postToken(short, codeExchange(short, staleCode));
      expect(late.status).toBe(400);
      expect(late.body.message).toBe('Invalid grant: authorization code has expired');
      // The refresh token outlives its access token: that is what it is for.
      expect((await postToken(short, refreshRequest(short, refreshed.refresh_token))).status).toBe(200);
    } finally {
      await short.close();
    }
  });

  it('rejects invalid OAuth settings', async () => {
    await expect(startSandbox({ oauth: { redirectUris: ['not a url'] } })).rejects.toThrow(/oauth\.redirectUris/);
    expect(() => sb.configure({ oauth: { accessTokenTtlSeconds: 0 } })).toThrow(/oauth\.accessTokenTtlSeconds/);
    expect(() => sb.configure({ oauth: { clientSecret: '' } })).toThrow(/oauth\.clientSecret/);
    expect(sb.oauth.accessTokenTtlSeconds).toBe(86_399);
  });
});

describe('POST /oauth/locationToken', () => {
  it('every operation of oauth.json is routed', () => {
    const keys = operations(OAUTH_SPEC).map((op) => `${op.method} ${op.path}`);
    expect(keys.filter((key) => !OAUTH_ROUTE_KEYS.includes(key))).toEqual([]);
  });

  const agencyScopes = 'oauth.readonly oauth.write contacts.readonly';

  async function locationToken(
    token: string | null,
    fields: Record<string, string>,
    version: string | null = '2021-07-28',
  ) {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Content-Type': 'application/x-www-form-urlencoded',
    };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (version) headers.Version = version;
    const res = await fetch(`${sb.url}/oauth/locationToken`, {
      method: 'POST',
      headers,
      body: new URLSearchParams(fields).toString(),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  it('an agency install (user_type=Company) mints location tokens', async () => {
    const agency = await install(sb, { scope: agencyScopes, user_type: 'Company' }, { user_type: 'Company' });
    expectSpecShape(TOKEN_OP, 200, agency);
    expect(agency).toMatchObject({
      userType: 'Company',
      companyId: sandboxAgency.companyId,
      approvedLocations: [S.locationId, H.locationId],
      isBulkInstallation: true,
    });
    expect(agency.locationId).toBeUndefined();
    expect(claimsOf(agency.access_token)).toMatchObject({ authClass: 'Company', authClassId: sandboxAgency.companyId });
    // The contacts API wants a sub-account token.
    expect((await readContact(agency.access_token)).status).toBe(401);

    const res = await locationToken(agency.access_token, {
      companyId: sandboxAgency.companyId,
      locationId: H.locationId,
    });
    expect(res.status).toBe(200);
    expectSpecShape(LOCATION_TOKEN_OP, 200, res.body);
    expect(res.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 86_399,
      locationId: H.locationId,
      scope: agencyScopes,
      appId: sb.oauth.appId,
    });
    expect(res.body.userType).toBeUndefined();
    expect((await readContact(res.body.access_token, H.richContactId)).status).toBe(200);
    // It comes with its own single-use refresh token (highlevel-api-docs#285), refreshed as a location grant.
    const refreshed = await postToken(sb, refreshRequest(sb, res.body.refresh_token));
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({
      userType: 'Location',
      locationId: H.locationId,
      companyId: sandboxAgency.companyId,
    });
    expect((await postToken(sb, refreshRequest(sb, res.body.refresh_token))).status).toBe(400);
  });

  it('refuses what GHL refuses', async () => {
    const agency = await install(sb, { scope: agencyScopes, user_type: 'Company' });
    const noWrite = await install(sb, { scope: 'oauth.readonly', user_type: 'Company' });
    const location = await install(sb);
    const fields = { companyId: sandboxAgency.companyId, locationId: S.locationId };

    const cases: [string, Awaited<ReturnType<typeof locationToken>>, number, string | RegExp][] = [
      ['no token', await locationToken(null, fields), 401, 'Invalid JWT'],
      [
        'no Version header',
        await locationToken(agency.access_token, fields, null),
        401,
        'version header was not found.',
      ],
      ['a location token', await locationToken(location.access_token, fields), 401, /authClass type is not allowed/],
      [
        'no oauth.write',
        await locationToken(noWrite.access_token, fields),
        401,
        'The token is not authorized for this scope.',
      ],
      [
        'another company',
        await locationToken(agency.access_token, { ...fields, companyId: 'otherCompany00000000' }),
        403,
        /company/,
      ],
      [
        'an unknown location',
        await locationToken(agency.access_token, { ...fields, locationId: 'nowhere' }),
        403,
        /location/,
      ],
    ];
    for (const [what, res, status, message] of cases) {
      expect(res.status, what).toBe(status);
      expect(res.body.message, what).toMatch(message);
      if (status !== 403) expectSpecShape(LOCATION_TOKEN_OP, status, res.body);
    }
    const installedByLocation = await fetch(`${sb.url}/oauth/installedLocations`, {
      headers: { Authorization: `Bearer ${location.access_token}`, Version: '2021-07-28' },
    });
    expect(installedByLocation.status).toBe(401);

    const missing = await locationToken(agency.access_token, {});
    expect(missing.status).toBe(422);
    expectSpecShape(LOCATION_TOKEN_OP, 422, missing.body);
    expect(missing.body.message).toEqual(
      expect.arrayContaining(['companyId should not be empty', 'locationId should not be empty']),
    );
  });
});

describe('stats, faults and controls', () => {
  it('count OAuth calls by route, and outcomes under stats().oauth', async () => {
    sb.resetStats();
    const tokens = await install(sb);
    await postToken(sb, refreshRequest(sb, tokens.refresh_token));
    await postToken(sb, refreshRequest(sb, tokens.refresh_token));
    await choose(sb, chooserParams(sb, { client_id: 'nope' }));
    await fetch(`${sb.url}/oauth/token`); // GET: no such route
    await readContact(tokens.access_token);
    const stats = sb.stats();
    expect(stats.byRoute).toEqual({
      'GET /oauth/chooselocation': 2,
      'POST /oauth/token': 3,
      'GET (no route)': 1,
      'GET /contacts/{contactId}': 1,
    });
    expect(stats.total).toBe(7);
    expect(stats.byLocation).toEqual({ [S.locationId]: 1 });
    expect(stats.oauth).toEqual({
      codesIssued: 1,
      tokenExchanges: 1,
      refreshes: 1,
      refreshReuseRejected: 1,
      locationTokens: 0,
      rejected: 1,
    });
    expect((await fetch(`${sb.url}/__sandbox/stats`).then((r) => r.json())).oauth).toEqual(stats.oauth);
  });

  it('faults fire on a token route only when a rule names it, before the grant is touched', async () => {
    const tokens = await install(sb);
    sb.setFaults([{ kind: 'error500' }]);
    try {
      expect((await postToken(sb, refreshRequest(sb, tokens.refresh_token))).status).toBe(200);
      sb.setFaults([{ kind: 'error500', route: 'POST /oauth/token', count: 1 }]);
      const failed = await postToken(sb, codeExchange(sb, await authorize(sb)));
      expect(failed.status).toBe(500);
      sb.setFaults([{ kind: 'badShape', route: 'POST /oauth/token', count: 1 }]);
      const code = await authorize(sb);
      expect((await postToken(sb, codeExchange(sb, code))).body).toEqual({ access_token: {} });
      // The faulted call never reached the grant: the code is still good.
      expect((await postToken(sb, codeExchange(sb, code))).status).toBe(200);
    } finally {
      sb.setFaults([]);
    }
    expect(() => sb.setFaults([{ kind: 'error500', route: 'POST /oauth/nope' }])).toThrow(/unknown route/);
  });

  it('GET/PUT /__sandbox/config show and change the OAuth client', async () => {
    const put = await fetch(`${sb.url}/__sandbox/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ oauth: { accessTokenTtlSeconds: 120 } }),
    });
    expect((await put.json()).oauth).toMatchObject({
      clientId: 'sandbox-client-id',
      accessTokenTtlSeconds: 120,
      redirectUris: null,
    });
    expect((await install(sb)).expires_in).toBe(120);
    sb.configure({ oauth: { accessTokenTtlSeconds: 86_399 } });
    const bad = await fetch(`${sb.url}/__sandbox/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ oauth: { clientId: 7 } }),
    });
    expect(bad.status).toBe(400);
    expect(sb.oauth).toMatchObject({
      clientId: 'sandbox-client-id',
      clientSecret: 'sandbox-client-secret',
      accessTokenTtlSeconds: 86_399,
      companyId: sandboxAgency.companyId,
      chooseLocationUrl: `${sb.url}/oauth/chooselocation`,
      tokenUrl: `${sb.url}/oauth/token`,
    });
  });
});
