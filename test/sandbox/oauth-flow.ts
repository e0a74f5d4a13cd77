// GHL's OAuth install flow against the sandbox, over real HTTP, as an app would run it:
// the location chooser (302 with a code), then POST /oauth/token. For the sandbox's OAuth tests,
// and for any test that needs a freshly installed grant (access + single-use refresh token).

import type { Sandbox } from '../../src/sandbox/server.js';

export const REDIRECT_URI = 'http://127.0.0.1:5173/oauth/callback';
export const CONTACT_SCOPES = 'contacts.readonly contacts.write';

export interface ChooserResponse {
  status: number;
  /** The Location header, if any. */
  location: string | null;
  contentType: string | null;
  text: string;
  body: any;
}

/** GET /oauth/chooselocation with GHL's query; `undefined` values are left out. */
export async function choose(
  sandbox: Sandbox,
  params: Record<string, string | undefined>,
  accept = 'application/json',
): Promise<ChooserResponse> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, v);
  const res = await fetch(`${sandbox.url}/oauth/chooselocation?${query}`, {
    redirect: 'manual',
    headers: { Accept: accept },
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return {
    status: res.status,
    location: res.headers.get('location'),
    contentType: res.headers.get('content-type'),
    text,
    body,
  };
}

export function chooserParams(
  sandbox: Sandbox,
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    response_type: 'code',
    client_id: sandbox.oauth.clientId,
    redirect_uri: REDIRECT_URI,
    scope: CONTACT_SCOPES,
    state: 'st-42',
    ...overrides,
  };
}

/** Runs the chooser and returns the code it redirected with. */
export async function authorize(sandbox: Sandbox, overrides: Record<string, string | undefined> = {}): Promise<string> {
  const res = await choose(sandbox, chooserParams(sandbox, overrides));
  if (res.status !== 302 || !res.location) throw new Error(`chooser answered ${res.status}: ${res.text}`);
  const code = new URL(res.location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${res.location}`);
  return code;
}

export interface TokenResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** POST /oauth/token, form-encoded (as oauth.json says) or JSON. */
export async function postToken(
  sandbox: Sandbox,
  fields: Record<string, string>,
  encoding: 'form' | 'json' = 'form',
): Promise<TokenResponse> {
  const res = await fetch(`${sandbox.url}/oauth/token`, {
    method: 'POST',
    headers: {
      Accept: 'application/json',
      'Content-Type': encoding === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
    },
    body: encoding === 'form' ? new URLSearchParams(fields).toString() : JSON.stringify(fields),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

export function codeExchange(
  sandbox: Sandbox,
  code: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    client_id: sandbox.oauth.clientId,
    client_secret: sandbox.oauth.clientSecret,
    grant_type: 'authorization_code',
    code,
    user_type: 'Location',
    redirect_uri: REDIRECT_URI,
    ...extra,
  };
}

export function refreshRequest(
  sandbox: Sandbox,
  refreshToken: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    client_id: sandbox.oauth.clientId,
    client_secret: sandbox.oauth.clientSecret,
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    ...extra,
  };
}

/** Chooser + code exchange: a new install's token response body. */
export async function install(
  sandbox: Sandbox,
  chooser: Record<string, string | undefined> = {},
  exchange: Record<string, string> = {},
): Promise<any> {
  const code = await authorize(sandbox, chooser);
  const res = await postToken(sandbox, codeExchange(sandbox, code, exchange));
  if (res.status !== 200) throw new Error(`code exchange answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The payload of a JWT, unverified. */
export function claimsOf(jwt: string): any {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
}
