// Spends GHL's rate budget per location (100 calls / 10 s, 200,000 / day) so calls wait their turn
// here instead of firing into a 429.
//
// Algorithm: a sliding window log. Each location keeps the start times of its calls in the last
// interval (at most `max` numbers), and a call may start once fewer than `max` starts lie in the
// trailing interval. Unlike a token bucket, which refills continuously and so lets up to twice its
// capacity through in some window (a full bucket spent at once, then a refill), the log guarantees
// the property GHL enforces: never more than `max` starts in any window of `intervalMs`. Its
// memory is bounded by `max`. The day is a plain counter per UTC day: a log of 200,000 entries
// would cost far more than the precision it buys.
//
// GHL's own word wins when it is stricter: replies carrying X-RateLimit-* headers (and every 429)
// become an observation "after call #seq, GHL allowed N more". Calls we started after #seq are
// assumed not yet counted by GHL, and since GHL's window may start elsewhere than ours the
// observation is held for a whole interval from the moment we heard it.
//
// Waiting calls queue per location, first in first out. A call that would wait longer than it may
// (maxWaitMs, or its retry deadline) fails at once with BudgetExceededError.
//
// Before an operation runs, the gateway asks whether its price could be paid (earliestFor, canPay,
// capacity): a plan over the same state, read-only. It reserves nothing, so another request may
// still spend the slots first; the per-call refusal above remains the last word.
import type { GhlReply } from '../ghl/call.js';
import { retryAfterMs } from '../ghl/reply.js';
import { abortedError } from './abort.js';
import type { Clock } from './clock.js';
import { BudgetExceededError } from './errors.js';

export interface GovernorConfig {
  max: number;
  intervalMs: number;
  dailyMax: number;
  maxWaitMs: number;
}

/** Proof that a call was let through, needed to report what its reply said. */
export interface Permit {
  readonly scope: string;
  /** The location's running call number; orders replies against the calls started after them. */
  readonly seq: number;
  /** When the call was let go: its place in the window log until its reply moves it. */
  readonly startedAt: number;
}

const DAY_MS = 86_400_000;
const LOCATIONS_BEFORE_SWEEP = 10_000;

/** "After call #seq, GHL allowed `remaining` more" in its window, believed until `until`. */
interface WindowObservation {
  seq: number;
  remaining: number;
  until: number;
}

/** The same for the day, believed for the rest of the UTC day it was heard on. */
interface DailyObservation {
  seq: number;
  remaining: number;
  day: number;
}

interface Waiter {
  operation: string;
  /** Latest acceptable start. */
  limitAt: number;
  resolve(permit: Permit): void;
  reject(error: Error): void;
  detach(): void;
}

class LocationState {
  /** Start times of the calls in the trailing interval, oldest first. */
  readonly log: number[] = [];
  seq = 0;
  day = -1;
  dayUsed = 0;
  window: WindowObservation | undefined;
  daily: DailyObservation | undefined;
  readonly queue: Waiter[] = [];
  pumping = false;
  constructor(
    public max: number,
    public intervalMs: number,
    public dailyMax: number,
  ) {}

  /** Forgets what no longer constrains a call starting at `now`. */
  prune(now: number): void {
    while (this.log.length > 0 && this.log[0]! + this.intervalMs <= now) this.log.shift();
    if (this.window !== undefined && now >= this.window.until) this.window = undefined;
    const today = Math.floor(now / DAY_MS);
    if (today !== this.day) {
      this.day = today;
      this.dayUsed = 0;
    }
    if (this.daily !== undefined && this.daily.day !== today) this.daily = undefined;
  }

  /** Calls GHL still allows in its window by its last word, or Infinity when it said nothing. */
  ghlWindowLeft(): number {
    return this.window === undefined ? Infinity : this.window.remaining - (this.seq - this.window.seq);
  }

  dayLeft(): number {
    const ours = this.dailyMax - this.dayUsed;
    const ghl = this.daily === undefined ? Infinity : this.daily.remaining - (this.seq - this.daily.seq);
    return Math.min(ours, ghl);
  }
}

/**
 * Plans future starts from the current state, one slot at a time, without changing it: how the
 * queue, and a newcomer behind it, would be served if nothing new were learnt.
 */
class SlotPlan {
  private readonly starts: number[];
  private readonly windowLeft: number;
  private readonly dayLeft: number;
  private planned = 0;
  private last: number;

  constructor(
    private readonly state: LocationState,
    private readonly now: number,
  ) {
    this.starts = [...state.log];
    this.windowLeft = state.ghlWindowLeft();
    this.dayLeft = state.dayLeft();
    this.last = now;
  }

  /** When the next slot opens, and which budget holds it back. */
  peek(): { at: number; limit: 'window' | 'daily' } {
    const { state, now } = this;
    const k = this.planned + 1;
    // For a new start to fit, the start `max` places back must have left the window.
    const blocker = this.starts[this.starts.length - state.max];
    let at = Math.max(this.last, blocker === undefined ? now : blocker + state.intervalMs);
    if (k > this.windowLeft && state.window !== undefined) at = Math.max(at, state.window.until);
    if (k > this.dayLeft) {
      const nextDay = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
      if (nextDay > at) return { at: nextDay, limit: 'daily' };
    }
    return { at, limit: 'window' };
  }

  take(at: number): void {
    this.starts.push(at);
    this.planned += 1;
    this.last = at;
  }
}

export class RateGovernor {
  private readonly locations = new Map<string, LocationState>();

  constructor(
    private readonly config: GovernorConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Resolves when the call may start (and counts it as started), in FIFO order per scope.
   * Rejects at once with BudgetExceededError when the start is planned later than the call may
   * wait, and with the typed abort error if `signal` aborts while it waits.
   */
  acquire(scope: string, operation: string, deadlineAt: number | undefined, signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(abortedError(operation));
    const state = this.state(scope);
    const now = this.clock.now();
    state.prune(now);
    const limitAt = Math.min(now + this.config.maxWaitMs, deadlineAt ?? Infinity);

    const plan = new SlotPlan(state, now);
    for (let i = 0; i < state.queue.length; i += 1) plan.take(plan.peek().at);
    const slot = plan.peek();
    if (slot.at > limitAt) {
      return Promise.reject(new BudgetExceededError(operation, slot.at - now, slot.limit));
    }
    if (state.queue.length === 0 && slot.at <= now) return Promise.resolve(this.start(state, scope, now));

    return new Promise<Permit>((resolve, reject) => {
      const waiter: Waiter = {
        operation,
        limitAt,
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      const onAbort = () => {
        const index = state.queue.indexOf(waiter);
        if (index >= 0) state.queue.splice(index, 1);
        reject(abortedError(operation));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      state.queue.push(waiter);
      void this.pump(scope, state);
    });
  }

  /** Learns from a reply what GHL thinks of the location's budget. */
  observe(permit: Permit, reply: GhlReply): void {
    const state = this.locations.get(permit.scope);
    if (state === undefined) return;
    const now = this.clock.now();
    state.prune(now);
    // GHL counted the call when it arrived, somewhere between our start and this reply. Counting
    // it from the reply keeps our window at least as strict as GHL's: counted from the start, a
    // slot could reopen before GHL's does when latency or a busy event loop delayed the arrival
    // (the benchmark saw a few 429s that way on a loaded machine).
    const at = state.log.indexOf(permit.startedAt);
    if (at >= 0) {
      state.log.splice(at, 1);
      let i = state.log.length;
      while (i > 0 && state.log[i - 1]! > now) i -= 1;
      state.log.splice(i, 0, now);
    }
    const headers = reply.headers;
    // Only ever tighten what we were configured with: the config is our share of GHL's budget.
    const max = headerInt(headers, 'x-ratelimit-max');
    if (max !== undefined && max > 0) state.max = Math.min(this.config.max, max);
    const interval = headerInt(headers, 'x-ratelimit-interval-milliseconds');
    if (interval !== undefined && interval > 0) state.intervalMs = Math.max(this.config.intervalMs, interval);
    const dailyLimit = headerInt(headers, 'x-ratelimit-limit-daily');
    if (dailyLimit !== undefined && dailyLimit > 0) state.dailyMax = Math.min(this.config.dailyMax, dailyLimit);

    if (reply.status === 429) {
      // The window is spent, whatever any earlier reply said; wait what GHL asked, or a window.
      const wait = retryAfterMs(headers) ?? state.intervalMs;
      state.window = {
        seq: Math.min(permit.seq, state.window?.seq ?? permit.seq),
        remaining: 0,
        until: Math.max(state.window?.until ?? 0, now + wait),
      };
    } else {
      const remaining = headerInt(headers, 'x-ratelimit-remaining');
      // An older reply overtaken by a newer one says less about the present: keep the newer.
      if (remaining !== undefined && (state.window === undefined || permit.seq >= state.window.seq)) {
        state.window = { seq: permit.seq, remaining, until: now + state.intervalMs };
      }
    }
    const dailyRemaining = headerInt(headers, 'x-ratelimit-daily-remaining');
    if (dailyRemaining !== undefined && (state.daily === undefined || permit.seq >= state.daily.seq)) {
      state.daily = { seq: permit.seq, remaining: dailyRemaining, day: state.day };
    }
  }

  /** Calls the scope may still start in the current window, after those already waiting. */
  remaining(scope: string): number {
    const state = this.existing(scope, this.clock.now());
    const left = Math.min(state.max - state.log.length, state.ghlWindowLeft(), state.dayLeft()) - state.queue.length;
    return Math.max(0, left);
  }

  /**
   * When the last of `calls` new calls could start if they queued now, behind the calls already
   * waiting, and nothing else spent the budget: ms from now (0 when all could start at once), and
   * which budget holds it back. Read-only: it plans, it reserves nothing.
   */
  earliestFor(scope: string, calls: number): { inMs: number; limit: 'window' | 'daily' } {
    const now = this.clock.now();
    const state = this.existing(scope, now);
    const plan = new SlotPlan(state, now);
    for (let i = 0; i < state.queue.length; i += 1) plan.take(plan.peek().at);
    let last: { at: number; limit: 'window' | 'daily' } = { at: now, limit: 'window' };
    for (let i = 0; i < calls; i += 1) {
      last = plan.peek();
      plan.take(last.at);
    }
    return { inMs: last.at - now, limit: last.limit };
  }

  /**
   * Could `calls` new calls all start within `withinMs`? A slot free now always counts; one that
   * must first reopen counts only if the plan has it reopen before `withinMs` is over, not on it:
   * the plan is optimistic by the replies' latency (a call holds its slot until its reply, and GHL's
   * "none left" holds for an interval from the reply that said it), so a window reopens a little
   * after the interval, and a call planned exactly at its wait bound would be refused when it asks.
   */
  canPay(scope: string, calls: number, withinMs: number): boolean {
    const { inMs } = this.earliestFor(scope, calls);
    return inMs <= 0 || inMs < withinMs;
  }

  /**
   * The most calls `scope` could pay within `withinMs` when nothing else spends its budget: one
   * window now, one more for each window that reopens before `withinMs` is over (as canPay counts
   * them), never more than a day's budget. Follows what GHL's headers have tightened.
   */
  capacity(scope: string, withinMs: number): number {
    const state = this.existing(scope, this.clock.now());
    const windows = withinMs <= 0 ? 1 : Math.ceil(withinMs / state.intervalMs);
    return Math.min(state.max * windows, state.dailyMax);
  }

  queued(): number {
    let total = 0;
    for (const state of this.locations.values()) total += state.queue.length;
    return total;
  }

  // One pump per location serves its queue in order, sleeping until the head's slot opens. While
  // it sleeps nothing else starts for that location: newcomers see a non-empty queue and join it.
  private async pump(scope: string, state: LocationState): Promise<void> {
    if (state.pumping) return;
    state.pumping = true;
    try {
      while (state.queue.length > 0) {
        const now = this.clock.now();
        state.prune(now);
        this.dropHopeless(state, now);
        const head = state.queue[0];
        if (head === undefined) break;
        const { at } = new SlotPlan(state, now).peek();
        if (at <= now) {
          state.queue.shift();
          head.detach();
          head.resolve(this.start(state, scope, now));
          continue;
        }
        // No signal: a waiter that leaves cannot make the head's slot come sooner.
        await this.clock.sleep(at - now);
      }
    } finally {
      state.pumping = false;
    }
  }

  // What GHL told us since a call queued can push its slot past what it may wait; it then fails
  // now, as it would have on arrival, rather than waiting only to fail later.
  private dropHopeless(state: LocationState, now: number): void {
    const plan = new SlotPlan(state, now);
    for (let i = 0; i < state.queue.length;) {
      const waiter = state.queue[i]!;
      const slot = plan.peek();
      if (slot.at > waiter.limitAt) {
        state.queue.splice(i, 1);
        waiter.detach();
        waiter.reject(new BudgetExceededError(waiter.operation, slot.at - now, slot.limit));
        continue;
      }
      plan.take(slot.at);
      i += 1;
    }
  }

  private start(state: LocationState, scope: string, now: number): Permit {
    state.log.push(now);
    state.seq += 1;
    state.dayUsed += 1;
    return { scope, seq: state.seq, startedAt: now };
  }

  /** The scope's state as of `now`, or a fresh one not kept: a question must not grow the map. */
  private existing(scope: string, now: number): LocationState {
    const state = this.locations.get(scope) ?? this.fresh();
    state.prune(now);
    return state;
  }

  private fresh(): LocationState {
    const { max, intervalMs, dailyMax } = this.config;
    return new LocationState(Math.max(1, max), intervalMs, dailyMax);
  }

  private state(scope: string): LocationState {
    let state = this.locations.get(scope);
    if (state === undefined) {
      if (this.locations.size >= LOCATIONS_BEFORE_SWEEP) this.forgetIdle();
      state = this.fresh();
      this.locations.set(scope, state);
    }
    return state;
  }

  // Without a location claim the scope is the tenant, so the map could grow with every token seen.
  // An idle location (nothing in its window, nothing waiting) loses only its day count, and GHL's
  // daily header restores that on its next reply.
  private forgetIdle(): void {
    const now = this.clock.now();
    for (const [scope, state] of this.locations) {
      state.prune(now);
      if (state.log.length === 0 && state.queue.length === 0 && !state.pumping && state.window === undefined) {
        this.locations.delete(scope);
      }
    }
  }
}

function headerInt(headers: Record<string, string>, name: string): number | undefined {
  const raw = headers[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}
