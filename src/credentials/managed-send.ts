// The send of an API-key caller: the location's GHL token comes from the token manager at the
// moment of each call (refreshed before expiry), and a call GHL refuses with 401 is repeated once
// with a refreshed token. Safe for writes too: GHL refused before doing anything.
//
// Which 401s: any, for an OAuth credential, as GHL's SDK does (lib/HighLevel.ts refreshes once on
// every 401): GHL says "Invalid JWT" for an expired token, "Invalid token: access token is invalid"
// (oauth.json's example) for one it revoked early, and other things besides (highlevel-api-docs
// #205). Never twice for one call: the repeat's answer is final. The token manager does not refresh
// again a token that such a refresh has just produced, so a 401 that is not about the token (a
// scope GHL no longer grants) costs one refresh, not one per call. A private integration token is
// never refreshed: GHL's "Invalid JWT" for it means it was revoked, and the location is marked
// for a new one; any other 401 is passed on as it came.
import type { GhlCaller, GhlReply, GhlSend } from '../ghl/call.js';
import { CredentialError } from './errors.js';
import type { TokenManager } from './token-manager.js';

export function managedSend(send: GhlSend, tokens: TokenManager): GhlSend {
  return async (call, caller, signal) => {
    const locationId = caller.locationId;
    if (locationId === undefined) {
      throw new CredentialError('missing', '', 'An API-key caller always names a location.');
    }
    const grant = await tokens.accessToken(locationId);
    const withToken = (token: string): GhlCaller => ({ ...caller, token });
    const reply = await send(call, withToken(grant.token), signal);
    if (reply.status !== 401) return reply;
    if (grant.kind === 'pit' && !isInvalidToken(reply)) return reply;
    const fresh = await tokens.rejected(locationId, grant.token);
    // Nothing new to try (another caller's refresh has not produced a new token): GHL's answer stands.
    if (fresh.token === grant.token) return reply;
    return send(call, withToken(fresh.token), signal);
  };
}

/** GHL's answers for a token it does not accept at all: malformed, expired or revoked. */
function isInvalidToken(reply: GhlReply): boolean {
  const message = (reply.body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && /invalid jwt|invalid token/i.test(message);
}
