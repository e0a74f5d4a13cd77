// Call counts, so tests can prove batching and caching by counting upstream calls.
// Every API request is counted under its route key ("GET /contacts/{contactId}"), whatever
// its answer; the OAuth routes are too ("POST /oauth/token"); /__sandbox/* control calls are not.
// `oauth` counts outcomes, so a test of managed credentials can prove "exactly one refresh"
// and "no refresh token was ever presented twice".

export interface SandboxOAuthStats {
  /** Authorization codes handed out by the location chooser. */
  codesIssued: number;
  /** Successful `grant_type=authorization_code` exchanges. */
  tokenExchanges: number;
  /** Successful `grant_type=refresh_token` calls. */
  refreshes: number;
  /** Refresh calls that presented a refresh token already spent by an earlier refresh. */
  refreshReuseRejected: number;
  /** Successful `POST /oauth/locationToken` calls. */
  locationTokens: number;
  /** Token-endpoint calls (`/oauth/token`, `/oauth/locationToken`) answered 4xx, reuse included. */
  rejected: number;
}

export interface SandboxStats {
  total: number;
  byRoute: Record<string, number>;
  /** Responses with status 429: the real limiter's and the `rate429` fault's. */
  rateLimited: number;
  /** By the calling token's location; requests without a valid token have none. */
  byLocation: Record<string, number>;
  oauth: SandboxOAuthStats;
}

export type OAuthEvent = keyof SandboxOAuthStats;

export class StatsRecorder {
  private stats: SandboxStats = StatsRecorder.empty();

  private static empty(): SandboxStats {
    return {
      total: 0,
      byRoute: {},
      rateLimited: 0,
      byLocation: {},
      oauth: {
        codesIssued: 0,
        tokenExchanges: 0,
        refreshes: 0,
        refreshReuseRejected: 0,
        locationTokens: 0,
        rejected: 0,
      },
    };
  }

  request(routeKey: string): void {
    this.stats.total++;
    this.stats.byRoute[routeKey] = (this.stats.byRoute[routeKey] ?? 0) + 1;
  }

  location(locationId: string): void {
    this.stats.byLocation[locationId] = (this.stats.byLocation[locationId] ?? 0) + 1;
  }

  rateLimited(): void {
    this.stats.rateLimited++;
  }

  oauth(event: OAuthEvent): void {
    this.stats.oauth[event]++;
  }

  snapshot(): SandboxStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = StatsRecorder.empty();
  }
}
