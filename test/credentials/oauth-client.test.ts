import { MockAgent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OAuthError } from '../../src/credentials/errors.js';
import { createOAuthClient, type OAuthClientConfig } from '../../src/credentials/oauth-client.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  REDIRECT_URI,
  startFakeTokenEndpoint,
  type FakeTokenEndpoint,
} from './fake-token-endpoint.js';

let endpoint: FakeTokenEndpoint;
let config: OAuthClientConfig;

beforeAll(async () => {
  endpoint = await startFakeTokenEndpoint();
  config = {
    baseUrl: endpoint.baseUrl,
    marketplaceUrl: 'https://marketplace.gohighlevel.com/v2/',
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    scopes: ['contacts.readonly', 'contacts.write'],
    timeoutMs: 2_000,
    // No retries unless a test asks for them: each fault answers one request.
    retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 5 },
  };
});
afterAll(() => endpoint.close());
beforeEach(() => {
  endpoint.fault(undefined);
  endpoint.calls.length = 0;
});

async function failure(promise: Promise<unknown>): Promise<OAuthError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OAuthError);
  return error as OAuthError;
}

describe('OAuth client', () => {
  it('builds the location chooser URL', () => {
    const url = new URL(createOAuthClient(config).authorizeUrl({ state: 's t&=' }));
    expect(`${url.origin}${url.pathname}`).toBe('https://marketplace.gohighlevel.com/v2/oauth/chooselocation');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      scope: 'contacts.readonly contacts.write',
      state: 's t&=',
    });
    expect(url.search).toContain('scope=contacts.readonly%20contacts.write');
    expect(() => createOAuthClient(config).authorizeUrl({ state: ' ' })).toThrow(/state/);
  });

  it('exchanges a code with a form-encoded request and no Version header', async () => {
    const code = endpoint.code('loc1');
    const token = await createOAuthClient(config).exchangeCode(code);
    expect(token).toMatchObject({
      token_type: 'Bearer',
      expires_in: 86399,
      userType: 'Location',
      locationId: 'loc1',
      companyId: 'comp1',
      userId: 'user1',
    });
    expect(token.scope).toEqual(['contacts.readonly', 'contacts.write']);
    const call = endpoint.calls[0];
    expect(call?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call?.headers.version).toBeUndefined();
    // No user_type, as GHL's app template exchanges a code: the install decides the token's level.
    expect(call?.form).toEqual({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
    });
  });

  it('refreshes with refresh_token, and the spent token is refused the second time', async () => {
    const client = createOAuthClient(config);
    const refresh = endpoint.grant('loc1');
    const token = await client.refresh(refresh);
    expect(token.refresh_token).not.toBe(refresh);
    expect(endpoint.calls[0]?.form).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: refresh,
      user_type: 'Location',
    });
    const error = await failure(client.refresh(refresh));
    expect(error).toMatchObject({
      failure: 'grant_rejected',
      status: 400,
      ghlError: 'invalid_grant',
      transient: false,
    });
    expect(error.message).not.toContain(refresh);
  });

  it('never puts a secret in the error, even when GHL echoes it', async () => {
    endpoint.fault('echo_secret');
    const refresh = endpoint.grant('loc1');
    const error = await failure(createOAuthClient(config).refresh(refresh));
    const text = `${error.message} ${error.ghlMessage} ${JSON.stringify(error)}`;
    expect(text).not.toContain(refresh);
    expect(text).not.toContain(CLIENT_SECRET);
    expect(error.ghlMessage).toContain('[redacted]');
  });

  it.each([
    ['invalid_client', 'client_rejected', 401, false],
    ['server', 'server', 500, true],
    ['malformed', 'bad_response', 200, true],
    ['network', 'network', undefined, true],
  ] as const)('types a %s failure as %s', async (fault, kind, status, transient) => {
    endpoint.fault(fault);
    const error = await failure(createOAuthClient(config).refresh(endpoint.grant('loc1')));
    expect(error).toMatchObject({ failure: kind, status, transient });
  });

  it.each([
    [
      "GHL's 401 Invalid client",
      { status: 401, body: { statusCode: 401, message: 'Invalid client: client is invalid', error: 'Unauthorized' } },
      'client_rejected',
    ],
    ['a 401 without words', { status: 401, body: { statusCode: 401, message: 'Unauthorized' } }, 'client_rejected'],
    [
      "GHL's 400 Invalid grant",
      {
        status: 400,
        body: { statusCode: 400, message: 'Invalid grant: refresh token is invalid', error: 'Bad Request' },
      },
      'grant_rejected',
    ],
    [
      'a 400 Location is not active (highlevel-api-docs#249)',
      { status: 400, body: { statusCode: 400, message: 'Location is not active' } },
      'grant_rejected',
    ],
    [
      'a 400 Invalid request',
      { status: 400, body: { statusCode: 400, message: 'Invalid request: missing parameter: `refresh_token`' } },
      'http',
    ],
    ['a 422', { status: 422, body: { statusCode: 422, message: ['grant_type must be a valid enum value'] } }, 'http'],
    ['a 429', { status: 429, body: { statusCode: 429, message: 'Too Many Requests' } }, 'rate_limited'],
    ['a 502', { status: 502, body: 'Bad Gateway' }, 'server'],
  ] as const)('reads %s as %s', async (_, answer, kind) => {
    endpoint.fault(answer);
    const error = await failure(createOAuthClient(config).refresh(endpoint.grant('loc1')));
    expect(error).toMatchObject({ failure: kind, status: answer.status, attempts: 1 });
  });

  it('retries 5xx, 429 (after its Retry-After) and dropped connections, then succeeds or reports the last failure', async () => {
    const retrying = createOAuthClient({ ...config, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 200 } });
    endpoint.fault('server', 2);
    await expect(retrying.refresh(endpoint.grant('loc1'))).resolves.toMatchObject({ token_type: 'Bearer' });
    expect(endpoint.calls).toHaveLength(3);

    endpoint.calls.length = 0;
    endpoint.fault({ status: 429, body: { statusCode: 429 }, headers: { 'retry-after': '0.1' } }, 1);
    const started = Date.now();
    await retrying.refresh(endpoint.grant('loc1'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(endpoint.calls).toHaveLength(2);

    endpoint.calls.length = 0;
    endpoint.fault('network', 3);
    const error = await failure(retrying.refresh(endpoint.grant('loc1')));
    expect(error).toMatchObject({ failure: 'network', attempts: 3 });
    expect(error.message).toMatch(/after 3 attempts/);
    expect(endpoint.calls).toHaveLength(3);

    // A refused grant or client, and a malformed 200 (GHL may have spent the token), are never retried.
    endpoint.calls.length = 0;
    for (const fault of ['invalid_client', 'malformed'] as const) {
      endpoint.fault(fault, 3);
      await failure(retrying.refresh(endpoint.grant('loc1')));
    }
    expect(endpoint.calls).toHaveLength(2);
  });

  it('times out', async () => {
    endpoint.fault('hang');
    const started = Date.now();
    const error = await failure(createOAuthClient({ ...config, timeoutMs: 150 }).refresh(endpoint.grant('loc1')));
    expect(error.failure).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('sends through the dispatcher it is given', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://services.example')
      .intercept({ path: '/oauth/token', method: 'POST' })
      .reply(200, { access_token: 'a', refresh_token: 'r', expires_in: 60, scope: 'contacts.readonly' });
    const token = await createOAuthClient({
      ...config,
      baseUrl: 'https://services.example',
      dispatcher: agent,
    }).refresh('old');
    expect(token).toMatchObject({
      access_token: 'a',
      refresh_token: 'r',
      scope: ['contacts.readonly'],
      token_type: 'Bearer',
    });
    await agent.close();
  });
});
