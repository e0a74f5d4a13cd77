import { MockAgent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OAuthError } from '../../src/credentials/errors.js';
import { createOAuthClient, type OAuthClientConfig } from '../../src/credentials/oauth-client.js';
import { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, startFakeTokenEndpoint, type FakeTokenEndpoint } from './fake-token-endpoint.js';

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
    expect(call?.form).toEqual({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'authorization_code',
      code,
      user_type: 'Location',
      redirect_uri: REDIRECT_URI,
    });
  });

  it('refreshes with refresh_token, and the spent token is refused the second time', async () => {
    const client = createOAuthClient(config);
    const refresh = endpoint.grant('loc1');
    const token = await client.refresh(refresh);
    expect(token.refresh_token).not.toBe(refresh);
    expect(endpoint.calls[0]?.form).toMatchObject({ grant_type: 'refresh_token', refresh_token: refresh, user_type: 'Location' });
    const error = await failure(client.refresh(refresh));
    expect(error).toMatchObject({ failure: 'grant_rejected', status: 400, ghlError: 'invalid_grant', transient: false });
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
    const token = await createOAuthClient({ ...config, baseUrl: 'https://services.example', dispatcher: agent }).refresh('old');
    expect(token).toMatchObject({ access_token: 'a', refresh_token: 'r', scope: ['contacts.readonly'], token_type: 'Bearer' });
    await agent.close();
  });
});
