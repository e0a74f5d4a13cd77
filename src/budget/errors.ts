// The one failure the upstream budget adds to the GHL error hierarchy.
import { GhlError } from '../ghl/errors.js';

/**
 * The location's rate budget is spent and the next free slot is further away than this call may
 * wait (its `maxWaitMs`, or what is left of its retry deadline): it fails at once instead of
 * queueing, or firing into a 429. Nothing was sent to GHL.
 */
export class BudgetExceededError extends GhlError {
  readonly kind = 'budget';
  constructor(
    operation: string,
    /** When a slot is expected to be free for a new call, counted from the rejection. */
    readonly retryAfterMs: number,
    /** Which budget is spent: the burst window, or the day. */
    readonly limit: 'window' | 'daily',
  ) {
    super(
      operation,
      `the GHL rate budget (${limit}) of this location is spent; a slot opens in about ${Math.ceil(retryAfterMs)} ms`,
    );
  }
}
