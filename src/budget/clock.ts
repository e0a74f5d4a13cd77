// Time as a dependency: the governor and the retries wait, and tests must drive those waits in
// virtual time instead of sleeping for real.
import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  /** Milliseconds since the Unix epoch (the daily budget is counted per UTC day). */
  now(): number;
  /** Resolves after `ms`; rejects (with the signal's reason) if the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(Math.max(0, ms), undefined, signal ? { signal } : undefined),
};
