// POST /oauth/token and POST /oauth/locationToken, as oauth.json describes them.
//
// /oauth/token answers in this order: body (422, the spec's GetAccessCodebodyDto: client_id,
// client_secret, grant_type required) → client authentication (401) → the grant (400). Error
// bodies are the spec's: 400 BadRequestDTO and 401 UnauthorizedDTO `{statusCode, message,
// error}`, 422 UnprocessableDTO with a message array; not RFC 6749's `{error,
// error_description}`, which oauth.json does not document. It needs no Version header (the spec
// lists no parameters for it) and no bearer token. Unknown body fields are ignored (RFC 6749 §3.2).
//
// /oauth/locationToken is an agency-only API route (security Agency-Access-Only, scope
// oauth.write; Version header required): an agency token in, a location token out, with its own
// single-use refresh token (highlevel-api-docs#285; apps/v3/oauth-v3.json lists it, oauth.json
// not yet), for a location where the app is installed.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { parseBody } from './body-validation.js';
import { httpErrors, refusedToken } from './http-error.js';
import { readFormOrJsonBody } from './http-io.js';
import type { Grant } from './oauth-grants.js';
import type { SandboxRuntime } from './runtime.js';
import { bearerToken } from './tokens.js';
import type { SandboxTokenClaims } from './tokens.js';

const required = (field: string) => z.string().min(1, { error: `${field} should not be empty` });

/** GetAccessCodebodyDto. A test checks `required` against the spec. */
export const tokenRequestSchema = z.object({
  client_id: required('client_id'),
  client_secret: required('client_secret'),
  grant_type: z.enum(['authorization_code', 'refresh_token', 'client_credentials']),
  code: z.string().optional(),
  refresh_token: z.string().optional(),
  user_type: z.enum(['Company', 'Location']).optional(),
  redirect_uri: z.string().optional(),
});

/** GetLocationAccessCodeBodyDto. */
export const locationTokenRequestSchema = z.object({
  companyId: required('companyId'),
  locationId: required('locationId'),
});

export interface TokenResult {
  status: number;
  body: Record<string, unknown>;
}

export async function exchangeToken(rt: SandboxRuntime, req: IncomingMessage): Promise<TokenResult> {
  const body = parseBody(tokenRequestSchema, await readFormOrJsonBody(req));
  const oauth = rt.oauth;
  if (!oauth.authenticates(body.client_id, body.client_secret)) throw httpErrors.invalidClient();
  const now = Date.now();

  if (body.grant_type === 'authorization_code') {
    if (!body.code) throw httpErrors.invalidRequest('missing parameter: `code`');
    const outcome = oauth.redeemCode(body.code, body.client_id, body.redirect_uri, now);
    if (!outcome.ok) {
      switch (outcome.reason) {
        case 'invalid':
          throw httpErrors.invalidGrant('authorization code is invalid');
        case 'expired':
          throw httpErrors.invalidGrant('authorization code has expired');
        case 'redirectMissing':
          throw httpErrors.invalidRequest('`redirect_uri` is not a valid URI');
        case 'redirectMismatch':
          throw httpErrors.invalidRequest('`redirect_uri` is invalid');
      }
    }
    // The install decides the token's level; user_type (optional in the spec, validated above)
    // changes nothing (see oauth-grants.ts).
    const grant = oauth.grantFor(outcome.code);
    rt.stats.oauth('tokenExchanges');
    return { status: 200, body: oauth.issueTokens(grant, now, randomUUID()) };
  }

  if (body.grant_type === 'refresh_token') {
    if (!body.refresh_token) throw httpErrors.invalidRequest('missing parameter: `refresh_token`');
    // user_type and redirect_uri, which GHL's guide sends here too, change nothing: the refresh
    // token says whose it is.
    const outcome = oauth.redeemRefreshToken(body.refresh_token, body.client_id, now);
    if (!outcome.ok) {
      if (outcome.reason === 'spent') rt.stats.oauth('refreshReuseRejected');
      // A spent token is as unknown as a made-up one to node-oauth2-server (it is revoked).
      throw httpErrors.invalidGrant(
        outcome.reason === 'expired' ? 'refresh token has expired' : 'refresh token is invalid',
      );
    }
    rt.stats.oauth('refreshes');
    return { status: 200, body: oauth.issueTokens(outcome.grant, now, randomUUID()) };
  }

  throw httpErrors.notImplemented('POST /oauth/token with grant_type=client_credentials');
}

/**
 * The agency token of a call to an Agency-Access-Only route, checked in the API's order:
 * token (401 Invalid JWT) → Version header → token class → the route's scope.
 */
export function requireAgencyToken(rt: SandboxRuntime, req: IncomingMessage, scope: string): SandboxTokenClaims {
  const token = bearerToken(req.headers.authorization);
  const verified = token === undefined ? undefined : rt.tokens.verify(token);
  if (verified === undefined || !verified.ok) throw refusedToken(verified?.refusal ?? 'invalid');
  const { claims } = verified;
  if (!req.headers.version) throw httpErrors.missingVersion();
  if (claims.authClass !== 'Company') throw httpErrors.authClass();
  if (!claims.oauthMeta.scopes.includes(scope)) throw httpErrors.scope();
  return claims;
}

export async function exchangeLocationToken(rt: SandboxRuntime, req: IncomingMessage): Promise<TokenResult> {
  const claims = requireAgencyToken(rt, req, 'oauth.write');
  const body = parseBody(locationTokenRequestSchema, await readFormOrJsonBody(req));
  const oauth = rt.oauth;
  if (body.companyId !== claims.authClassId || body.companyId !== oauth.companyId)
    throw httpErrors.forbidden('The token does not have access to this company.');
  const location = oauth.location(body.locationId);
  if (!location) throw httpErrors.forbidden('The token does not have access to this location.');
  // An agency mints tokens only where the app is installed (sandbox wording; GHL's is unconfirmed).
  if (!oauth.installation(location.id)) throw httpErrors.badRequest('The app is not installed for this location.');

  const grant: Grant = {
    clientId: claims.oauthMeta.client ?? oauth.settings.clientId,
    userType: 'Location',
    companyId: claims.authClassId,
    locationId: location.id,
    userId: location.users[0]?.id ?? '',
    scopes: [...claims.oauthMeta.scopes],
  };
  rt.stats.oauth('locationTokens');
  return { status: 200, body: oauth.issueLocationToken(grant, Date.now(), randomUUID()) };
}
