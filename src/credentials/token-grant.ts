// A stored grant's token fields from GHL's token response, for location credentials and agency
// grants alike, at install and after a refresh. Lifetimes count from `startedAt`, when we asked,
// not from when we heard back: never believe a token lives longer than it does.
import type { TokenResponse } from './oauth-client.js';

interface RefreshableGrant {
  accessToken: string;
  refreshToken?: string | undefined;
  expiresAt: number;
  scopes: string[];
  status: string;
  statusReason?: string | undefined;
  updatedAt: number;
}

/** The token fields of a grant GHL has just issued: active, with the scopes GHL reports. */
export function issuedTokens(response: TokenResponse, startedAt: number, now: number) {
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    expiresAt: startedAt + Math.floor(response.expires_in * 1000),
    scopes: response.scope,
    status: 'active' as const,
    updatedAt: now,
  };
}

/** A grant after a refresh: the new tokens, its own scopes when GHL reports none, active again. */
export function refreshedGrant<G extends RefreshableGrant>(
  grant: G,
  response: TokenResponse,
  startedAt: number,
  now: number,
): G {
  const next: G = {
    ...grant,
    ...issuedTokens(response, startedAt, now),
    scopes: response.scope.length > 0 ? response.scope : grant.scopes,
  };
  delete next.statusReason;
  return next;
}
