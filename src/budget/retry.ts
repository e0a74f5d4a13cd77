// Retries for idempotent calls: on 429, 5xx, timeouts and network failures, with exponential
// backoff and full jitter (a random delay up to the exponential cap, so callers that failed
// together do not come back together), at least as long as GHL's Retry-After, and never past
// the deadline counted from the first attempt. Each attempt goes through the governor again,
// which the caller's `attempt` function does.
import type { GhlCall, GhlReply } from '../ghl/call.js';
import { isTransient } from '../ghl/errors.js';
import { retryAfterMs } from '../ghl/reply.js';
import { sleepOrAbort } from './abort.js';
import type { Clock } from './clock.js';
import { recordWait, type CostMeter } from './cost-meter.js';
import { BudgetExceededError } from './errors.js';

export interface RetryConfig {
  /** Attempts in all, the first included: 1 means never retry. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts later than this after the first attempt began. */
  deadlineMs: number;
}

/** One attempt; `deadlineAt` bounds how long it may wait for a rate slot. */
export type Attempt = (deadlineAt: number | undefined) => Promise<GhlReply>;

type Outcome = { reply: GhlReply } | { error: unknown };

export async function withRetries(
  call: GhlCall,
  config: RetryConfig | false,
  clock: Clock,
  signal: AbortSignal | undefined,
  meter: () => CostMeter,
  attempt: Attempt,
  random: () => number = Math.random,
): Promise<GhlReply> {
  // A write whose first attempt may have landed is never repeated (see write() in ghl/call.ts).
  if (config === false || call.access !== 'read') return attempt(undefined);

  const deadlineAt = clock.now() + config.deadlineMs;
  let last: Outcome | undefined;
  for (let n = 1; ; n += 1) {
    let outcome: Outcome;
    try {
      const reply = await attempt(deadlineAt);
      if (!retryableStatus(reply.status)) return reply;
      outcome = { reply };
    } catch (error) {
      // Out of budget on a retry: what GHL said last is a better answer than the budget's refusal.
      if (error instanceof BudgetExceededError && last !== undefined) return settle(last);
      if (!isTransient(error) || signal?.aborted) throw error;
      outcome = { error };
    }
    last = outcome;

    if (n >= config.attempts) return settle(outcome);
    const cap = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** (n - 1));
    const asked = 'reply' in outcome ? retryAfterMs(outcome.reply.headers) : undefined;
    const delay = Math.max(random() * cap, asked ?? 0);
    if (clock.now() + delay > deadlineAt) return settle(outcome);
    const sleptFrom = clock.now();
    try {
      await sleepOrAbort(clock, delay, signal, call.operation);
    } finally {
      recordWait(meter(), sleptFrom, clock.now());
    }
    meter().retries += 1;
  }
}

function retryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

function settle(outcome: Outcome): GhlReply {
  if ('reply' in outcome) return outcome.reply;
  throw outcome.error;
}
