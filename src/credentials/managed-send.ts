// The send of an API-key caller: the location's GHL token comes from the token manager at the
// moment of each call (refreshed before expiry), and a call GHL refuses with 401 "Invalid JWT"
// is repeated once with a refreshed token. Safe for writes too: GHL refused before doing anything.
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
    if (!isInvalidToken(reply)) return reply;
    const fresh = await tokens.rejected(locationId, grant.token);
    return send(call, withToken(fresh.token), signal);
  };
}

/**
 * GHL's answer for an expired or revoked access token. Only that one: a 401 for a missing scope
 * or a missing Version header says nothing about the token, and refreshing on it would spend a
 * refresh token (or, for a private integration token, mark it dead) for nothing.
 */
function isInvalidToken(reply: GhlReply): boolean {
  const message = (reply.body as { message?: unknown } | undefined)?.message;
  return reply.status === 401 && typeof message === 'string' && /invalid jwt/i.test(message);
}
