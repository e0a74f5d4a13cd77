// Call counts, so tests can prove batching and caching by counting upstream calls.
// Every API request is counted under its route key ("GET /contacts/{contactId}"), whatever
// its answer; /__sandbox/* control calls are not.

export interface SandboxStats {
  total: number;
  byRoute: Record<string, number>;
  /** Responses with status 429: the real limiter's and the `rate429` fault's. */
  rateLimited: number;
  /** By the calling token's location; requests without a valid token have none. */
  byLocation: Record<string, number>;
}

export class StatsRecorder {
  private stats: SandboxStats = StatsRecorder.empty();

  private static empty(): SandboxStats {
    return { total: 0, byRoute: {}, rateLimited: 0, byLocation: {} };
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

  snapshot(): SandboxStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = StatsRecorder.empty();
  }
}
