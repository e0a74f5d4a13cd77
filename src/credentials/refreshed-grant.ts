// A stored grant after GHL answered a refresh, for location credentials and agency grants alike.
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

/**
 * The new tokens, the scopes GHL now reports (its own when it reports none), and active again.
 * The lifetime counts from `startedAt`, when we asked, not from when we heard back: never believe
 * a token lives longer than it does.
 */
export function refreshedGrant<G extends RefreshableGrant>(
  grant: G,
  response: TokenResponse,
  startedAt: number,
  now: number,
): G {
  const next: G = {
    ...grant,
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    expiresAt: startedAt + Math.floor(response.expires_in * 1000),
    scopes: response.scope.length > 0 ? response.scope : grant.scopes,
    status: 'active',
    updatedAt: now,
  };
  delete next.statusReason;
  return next;
}
