// GHL's limits: a burst limit (100 requests / 10 s) and a daily limit (200,000), per app per
// location. The burst window here is SLIDING (a log of the last `max` admitted requests), not
// fixed: GHL does not document its algorithm, and a sliding window is the stricter of the two.
// A fixed window lets a client send 2×max across a window boundary; a gateway tuned against
// that could pass here and still be throttled by GHL. Against a sliding window, a gateway that
// never sees a 429 here never sends more than `max` in any interval, whatever GHL really does.
// The daily limit resets at midnight UTC (a fixed window: a day is not something to smooth).
// Only admitted requests use budget; rejected (429) ones do not.

export interface RateLimitConfig {
  max: number;
  intervalMs: number;
  dailyMax: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { max: 100, intervalMs: 10_000, dailyMax: 200_000 };

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

interface Bucket {
  admitted: number[];
  day: number;
  dailyCount: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** `null` turns limiting (and the headers) off. */
  constructor(private readonly config: RateLimitConfig | null) {}

  consume(locationId: string, nowMs: number): RateDecision {
    const config = this.config;
    if (!config) return { allowed: true, headers: {} };
    const day = Math.floor(nowMs / 86_400_000);
    let bucket = this.buckets.get(locationId);
    if (!bucket) {
      bucket = { admitted: [], day, dailyCount: 0 };
      this.buckets.set(locationId, bucket);
    }
    if (bucket.day !== day) {
      bucket.day = day;
      bucket.dailyCount = 0;
    }
    while (bucket.admitted.length > 0 && (bucket.admitted[0] ?? 0) <= nowMs - config.intervalMs)
      bucket.admitted.shift();

    const allowed = bucket.admitted.length < config.max && bucket.dailyCount < config.dailyMax;
    if (allowed) {
      bucket.admitted.push(nowMs);
      bucket.dailyCount++;
    }
    return {
      allowed,
      headers: {
        'X-RateLimit-Max': String(config.max),
        'X-RateLimit-Remaining': String(Math.max(0, config.max - bucket.admitted.length)),
        'X-RateLimit-Interval-Milliseconds': String(config.intervalMs),
        'X-RateLimit-Limit-Daily': String(config.dailyMax),
        'X-RateLimit-Daily-Remaining': String(Math.max(0, config.dailyMax - bucket.dailyCount)),
      },
    };
  }
}
