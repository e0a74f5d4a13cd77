// Virtual time for the budget's tests: sleeps wait on the fake clock, and `run` advances it to
// the next timer whenever everything else has settled, so no test ever waits for real.
import type { Clock } from '../../src/budget/clock.js';

interface Timer {
  at: number;
  order: number;
  resolve(): void;
}

export class FakeClock implements Clock {
  private time: number;
  private order = 0;
  private timers: Timer[] = [];

  constructor(start = 1_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const timer: Timer = {
        at: this.time + Math.max(0, ms),
        order: this.order++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  /** Moves time forward, firing every timer due by then in order. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await idle();
      const next = this.nextTimer();
      if (next === undefined || next.at > target) break;
      this.fire(next);
    }
    this.time = target;
    await idle();
  }

  /** Runs until `promise` settles, jumping to the next timer whenever nothing else can happen. */
  async run<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      await idle();
      if (settled) return promise;
      const next = this.nextTimer();
      if (next === undefined) throw new Error('deadlock: the promise is pending and no timer is set');
      this.fire(next);
    }
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  private nextTimer(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (best === undefined || t.at < best.at || (t.at === best.at && t.order < best.order)) best = t;
    }
    return best;
  }

  private fire(timer: Timer): void {
    this.timers = this.timers.filter((t) => t !== timer);
    this.time = Math.max(this.time, timer.at);
    timer.resolve();
  }
}

/** One turn of the event loop: every promise chain that can move has moved. */
function idle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
