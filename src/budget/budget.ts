// src/budget/ owns the upstream budget: the layer shared across requests that spends GHL's rate
// budget like money. This file assembles it; each part lives in a file of its own.
//
// One budget per process, wrapped around the transport's send. Every request gets a
// send of its own (sendFor) that shares the budget's cache, in-flight calls and rate governor, and
// counts what it cost into that request's meter. Order, outermost first:
//   shared read cache → in-flight coalescing → retries (idempotent calls) → rate governor → transport
// Retries sit above the governor so that every attempt waits for its own slot.
//
// Before an operation runs, `admit` asks the governor whether its price could be paid within the
// wait bound, so an operation that cannot is refused whole instead of failing call by call.
import type { GhlCall, GhlCaller, GhlReply, GhlSend } from '../ghl/call.js';
import { isSharedRead, readKey, scopeOf } from './cache-key.js';
import { systemClock, type Clock } from './clock.js';
import { Coalescer, type Launched } from './coalescer.js';
import { recordWait, type CostMeter } from './cost-meter.js';
import { BudgetExceededError } from './errors.js';
import { freezeReply } from './freeze.js';
import { RateGovernor, type GovernorConfig, type Permit } from './rate-governor.js';
import { ReadCache } from './read-cache.js';
import { ReadTracker } from './read-tracker.js';
import { withRetries, type RetryConfig } from './retry.js';

/** Each part can be switched off (`false`); with all four off the budget only passes calls through. */
export interface BudgetConfig {
  cache: { ttlMs: number; maxEntries: number } | false;
  coalesce: boolean;
  governor: GovernorConfig | false;
  retry: RetryConfig | false;
}

/**
 * Whether an operation priced `price` GHL calls may run now. `too-large`: more than the location
 * could pay within the wait bound even with nothing else spending its budget (a retry cannot help);
 * `busy`: it could, but not now.
 */
export type Admission =
  | { admitted: true }
  | { admitted: false; reason: 'too-large'; price: number; payable: number; maxWaitMs: number }
  | {
      admitted: false;
      reason: 'busy';
      price: number;
      /** Calls the location could start right now. */
      availableNow: number;
      /** The earliest a retry could be admitted, if nothing else spends the budget meanwhile. */
      retryAfterMs: number;
      maxWaitMs: number;
      limit: 'window' | 'daily';
    };

export interface UpstreamBudget {
  /** A send for one GraphQL request: shares the cache/governor, counts into that request's meter. */
  sendFor(meter: CostMeter): GhlSend;
  /**
   * Could the caller's location pay `price` calls within the governor's wait bound? Read-only: it
   * reserves nothing. The price is an upper bound (cached and coalesced reads cost nothing), so
   * this can refuse an operation that would have cost less; always admitted without a governor.
   */
  admit(caller: Pick<GhlCaller, 'tenant' | 'locationId'>, price: number): Admission;
  /**
   * Calls the caller's location could start now without waiting for a rate slot (after the calls
   * already waiting); Infinity without a governor. Read-only, like `admit`.
   */
  startable(caller: Pick<GhlCaller, 'tenant' | 'locationId'>): number;
  /** Evict cached reads of a location that carry any of these tags (used for writes and, later, webhooks). */
  evict(locationId: string | undefined, tenant: string, tags: string[]): void;
  /** Drop every cache entry of a location (e.g. an uninstall). */
  evictLocation(locationId: string): void;
  /** cacheEntries; inFlight = attempts at the transport now; queued = calls waiting for a rate slot. */
  stats(): { cacheEntries: number; inFlight: number; queued: number };
}

// A write answered with one of these was refused before anything changed, so it evicts nothing.
// Any other outcome (2xx, 404, 409, 5xx, a timeout, a dropped connection) may have changed data.
const UNCHANGED_STATUSES = new Set([400, 401, 403, 422]);

export function createUpstreamBudget(send: GhlSend, config: BudgetConfig, clock: Clock = systemClock): UpstreamBudget {
  const cache = config.cache === false ? undefined : new ReadCache(config.cache, clock);
  const coalescer = config.coalesce ? new Coalescer() : undefined;
  // Staleness only matters to someone who would reuse a reply: the cache, or a coalesced flight.
  const tracker = cache !== undefined || coalescer !== undefined ? new ReadTracker() : undefined;
  const governor = config.governor === false ? undefined : new RateGovernor(config.governor, clock);
  let inFlight = 0;

  /** One attempt: a rate slot, then the transport; what the reply says about the budget is kept. */
  async function attempt(
    call: GhlCall,
    caller: GhlCaller,
    signal: AbortSignal | undefined,
    payer: () => CostMeter,
    deadlineAt: number | undefined,
  ): Promise<GhlReply> {
    let permit: Permit | undefined;
    if (governor !== undefined) {
      const askedAt = clock.now();
      try {
        permit = await governor.acquire(scopeOf(caller), call.operation, deadlineAt, signal);
      } finally {
        // Every wait counts, also one that ended in a refusal (GHL's word pushed the slot past the
        // bound while the call waited) or an abort.
        recordWait(payer(), askedAt, clock.now());
      }
    }
    payer().upstreamCalls += 1;
    inFlight += 1;
    try {
      const reply = await send(call, caller, signal);
      if (permit) governor?.observe(permit, reply);
      return reply;
    } finally {
      inFlight -= 1;
    }
  }

  function upstream(call: GhlCall, caller: GhlCaller, signal: AbortSignal | undefined, payer: () => CostMeter) {
    return withRetries(call, config.retry, clock, signal, payer, (deadlineAt) =>
      attempt(call, caller, signal, payer, deadlineAt),
    );
  }

  /**
   * Calls upstream for a shared read and caches a readable 2xx reply unless a write overtook it.
   * An unreadable one (its envelope does not parse) still goes to the callers waiting for it,
   * who turn it into a typed error, but the next read asks GHL again.
   */
  function launchRead(
    key: string,
    call: GhlCall,
    caller: GhlCaller,
    signal: AbortSignal | undefined,
    payer: () => CostMeter,
  ): Launched {
    const ticket = tracker?.begin(scopeOf(caller), call.tags);
    const promise = (async () => {
      try {
        const reply = await upstream(call, caller, signal, payer);
        if (cache === undefined && coalescer === undefined) return reply;
        const shared = freezeReply(reply);
        if (cache !== undefined && isOk(shared) && isReadable(call, shared) && ticket?.stale !== true) {
          cache.set(key, shared, scopeOf(caller), call.tags);
        }
        return shared;
      } finally {
        if (ticket !== undefined) tracker?.end(ticket);
      }
    })();
    return { promise, isStale: () => ticket?.stale === true };
  }

  async function read(call: GhlCall, caller: GhlCaller, signal: AbortSignal | undefined, meter: CostMeter) {
    const key = readKey(call, caller);
    const hit = cache?.get(key);
    if (hit !== undefined) {
      meter.cacheHits += 1;
      return hit;
    }
    if (coalescer !== undefined) {
      return coalescer.run(key, meter, signal, call.operation, (flightSignal, payer) =>
        launchRead(key, call, caller, flightSignal, payer),
      );
    }
    return launchRead(key, call, caller, signal, () => meter).promise;
  }

  /** Anything that is not a shared read may change data: it is never cached or shared. */
  async function change(call: GhlCall, caller: GhlCaller, signal: AbortSignal | undefined, meter: CostMeter) {
    let reply: GhlReply;
    try {
      reply = await upstream(call, caller, signal, () => meter);
    } catch (error) {
      // Refused by the budget means never sent; anything else may have reached GHL.
      if (!(error instanceof BudgetExceededError)) evict(caller.locationId, caller.tenant, call.tags);
      throw error;
    }
    if (!UNCHANGED_STATUSES.has(reply.status)) evict(caller.locationId, caller.tenant, call.tags);
    return reply;
  }

  function evict(locationId: string | undefined, tenant: string, tags: string[]): void {
    // By location, across tenants: eviction only removes data, so an unverified location claim
    // can at worst cost another tenant a cache miss, never show it someone else's data.
    const scope = locationId ?? tenant;
    cache?.evict(scope, tags);
    tracker?.invalidate(scope, tags);
  }

  const passThrough = !cache && !coalescer && !governor && config.retry === false;
  const maxWaitMs = config.governor === false ? 0 : config.governor.maxWaitMs;

  function admit(caller: Pick<GhlCaller, 'tenant' | 'locationId'>, price: number): Admission {
    if (governor === undefined || price <= 0) return { admitted: true };
    const scope = scopeOf(caller);
    const payable = governor.capacity(scope, maxWaitMs);
    if (price > payable) return { admitted: false, reason: 'too-large', price, payable, maxWaitMs };
    if (governor.canPay(scope, price, maxWaitMs)) return { admitted: true };
    const { inMs, limit } = governor.earliestFor(scope, price);
    return {
      admitted: false,
      reason: 'busy',
      price,
      availableNow: governor.remaining(scope),
      // canPay wants the last slot strictly inside the bound: the first whole ms after inMs - bound.
      retryAfterMs: Math.max(1, Math.floor(inMs - maxWaitMs) + 1),
      maxWaitMs,
      limit,
    };
  }

  return {
    sendFor(meter) {
      // The baseline the benchmark compares against: the transport as is, only counted.
      if (passThrough) {
        return (call, caller, signal) => {
          meter.upstreamCalls += 1;
          return send(call, caller, signal);
        };
      }
      return async (call, caller, signal) => {
        try {
          return await (isSharedRead(call) ? read(call, caller, signal, meter) : change(call, caller, signal, meter));
        } finally {
          if (governor !== undefined) meter.budgetRemaining = governor.remaining(scopeOf(caller));
        }
      };
    },
    admit,
    startable: (caller) => (governor === undefined ? Infinity : governor.remaining(scopeOf(caller))),
    evict,
    evictLocation(locationId) {
      cache?.evictScope(locationId);
      tracker?.invalidateScope(locationId);
    },
    stats: () => ({ cacheEntries: cache?.size ?? 0, inFlight, queued: governor?.queued() ?? 0 }),
  };
}

function isOk(reply: GhlReply): boolean {
  return reply.status >= 200 && reply.status < 300;
}

function isReadable(call: GhlCall, reply: GhlReply): boolean {
  return call.isReadable?.(reply.body) ?? true;
}
