// Early revocation of access tokens: GHL may stop accepting an access token before its `exp`
// (a re-install or an uninstall, a password change, GHL's own invalidation). The token then
// answers oauth.json's 401 example, `Invalid token: access token is invalid`, where an expired
// or forged one answers `Invalid JWT`. POST /__sandbox/oauth/revoke and sandbox.revokeAccessTokens()
// simulate it: one token, or every access token the OAuth flow has issued so far for a location
// or an agency. Refresh tokens are untouched, so a client recovers by one refresh, as it would
// from GHL.

import { z } from 'zod';
import type { SandboxRuntime } from './runtime.js';

export const revokeRequestSchema = z.union([
  z.strictObject({ accessToken: z.string().min(1) }),
  z.strictObject({ locationId: z.string().min(1) }),
  z.strictObject({ companyId: z.string().min(1) }),
]);

/** One token (any sandbox token, printed ones too), or every OAuth access token of a location or company. */
export type RevokeRequest = z.infer<typeof revokeRequestSchema>;

/** Revokes and returns how many tokens were newly revoked. */
export function revokeAccessTokens(rt: SandboxRuntime, request: RevokeRequest): number {
  const tokens =
    'accessToken' in request
      ? [request.accessToken]
      : rt.oauth.accessTokensOf('locationId' in request ? request.locationId : request.companyId);
  let revoked = 0;
  for (const token of tokens) {
    if (rt.tokens.isRevoked(token)) continue;
    rt.tokens.revoke(token);
    revoked += 1;
  }
  return revoked;
}
