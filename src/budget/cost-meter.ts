// What one GraphQL request really cost upstream. One meter per request; the shared budget
// writes into it, the gateway reports it in the response's extensions.

export interface CostMeter {
  /** Attempts that went to GHL on this request's behalf, retries included. */
  upstreamCalls: number;
  /** Reads answered from the shared cache. */
  cacheHits: number;
  /** Reads that joined another request's identical call in flight instead of making their own. */
  coalesced: number;
  /** Attempts that were repeats of a failed idempotent call (also counted in upstreamCalls). */
  retries: number;
  /** Time spent waiting in the budget: for a rate slot, and in retry backoff. */
  waitedMs: number;
  /** The location's calls left in the current rate window after the request's last call; null without a governor. */
  budgetRemaining: number | null;
}

export function newCostMeter(): CostMeter {
  return { upstreamCalls: 0, cacheHits: 0, coalesced: 0, retries: 0, waitedMs: 0, budgetRemaining: null };
}
