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
  /**
   * Time during which at least one of the request's calls waited in the budget, for a rate slot or
   * in retry backoff (recordWait). Parallel waits overlap and count once, so it can be read against
   * the request's duration: eight calls waiting the same 10 s are 10 s, not 80.
   */
  waitedMs: number;
  /** The location's calls left in the current rate window after the request's last call; null without a governor. */
  budgetRemaining: number | null;
}

export function newCostMeter(): CostMeter {
  return { upstreamCalls: 0, cacheHits: 0, coalesced: 0, retries: 0, waitedMs: 0, budgetRemaining: null };
}

/** The request's waits so far, as disjoint [from, to] spans in start order, beside each meter. */
const waitSpans = new WeakMap<CostMeter, Array<[number, number]>>();

/** Records that one of the request's calls waited in the budget from `from` to `to` (clock ms). */
export function recordWait(meter: CostMeter, from: number, to: number): void {
  if (!(to > from)) return;
  const spans = [...(waitSpans.get(meter) ?? []), [from, to] as [number, number]].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of spans) {
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  waitSpans.set(meter, merged);
  meter.waitedMs = merged.reduce((total, [start, end]) => total + (end - start), 0);
}
