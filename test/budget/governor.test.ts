import { describe, expect, it } from 'vitest';
import { createUpstreamBudget, type BudgetConfig } from '../../src/budget/budget.js';
import { newCostMeter } from '../../src/budget/cost-meter.js';
import { BudgetExceededError } from '../../src/budget/errors.js';
import { GhlError, GhlTimeoutError } from '../../src/ghl/errors.js';
import { FakeClock } from './fake-clock.js';
import { FakeUpstream, caller, getContact, updateContact } from './fake-upstream.js';

function governed(governor: Partial<Exclude<BudgetConfig['governor'], false>> = {}): BudgetConfig {
  return {
    cache: false,
    coalesce: false,
    governor: { max: 100, intervalMs: 10_000, dailyMax: 200_000, maxWaitMs: 60_000, ...governor },
    retry: false,
  };
}

/** The largest number of starts that fall inside any window of `intervalMs`. */
function busiestWindow(starts: number[], intervalMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while (sorted[i]! - sorted[j]! >= intervalMs) j += 1;
    busiest = Math.max(busiest, i - j + 1);
  }
  return busiest;
}

describe('rate governor', () => {
  it('never lets more than max calls start in any interval under a burst of 300', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, (_call, _caller, index) => ({
      status: 200,
      delayMs: 5 + (index % 7) * 40,
    }));
    const budget = createUpstreamBudget(upstream.send, governed({ max: 100, intervalMs: 10_000 }), clock);
    const send = budget.sendFor(newCostMeter());
    const burst = Array.from({ length: 300 }, (_, i) => send(getContact(`c${i}`), caller('t1')));
    await clock.advance(0);
    expect(upstream.count()).toBe(100);
    expect(budget.stats().queued).toBe(200);
    const replies = await clock.run(Promise.all(burst));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(upstream.count()).toBe(300);
    const starts = upstream.calls.map((c) => c.startedAt);
    expect(busiestWindow(starts, 10_000)).toBe(100);
    // And it is not idle either: three windows of work take two intervals to start, plus the
    // replies' latency (a slot reopens an interval after its call's reply, at most 245 ms here).
    const span = Math.max(...starts) - Math.min(...starts);
    expect(span).toBeGreaterThanOrEqual(20_000);
    expect(span).toBeLessThanOrEqual(20_000 + 2 * 245);
  });

  it('counts a call from its reply, so a slow call holds its slot until it has surely arrived', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, (_call, _caller, index) => ({
      status: 200,
      delayMs: index === 0 ? 300 : 1,
    }));
    const budget = createUpstreamBudget(upstream.send, governed({ max: 1, intervalMs: 1000 }), clock);
    const send = budget.sendFor(newCostMeter());
    await clock.run(Promise.all([send(getContact('slow'), caller('t1')), send(getContact('next'), caller('t1'))]));
    const [first, second] = upstream.calls.map((c) => c.startedAt);
    // Started at 0, answered at 300: the next call waits for 300 + 1000, not 0 + 1000.
    expect(second! - first!).toBe(1300);
  });

  it('serves waiting calls first in, first out', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, () => ({ status: 200 }));
    const budget = createUpstreamBudget(upstream.send, governed({ max: 3, intervalMs: 1000 }), clock);
    const send = budget.sendFor(newCostMeter());
    const ids = Array.from({ length: 20 }, (_, i) => `c${i}`);
    await clock.run(Promise.all(ids.map((id) => send(getContact(id), caller('t1')))));
    expect(upstream.calls.map((c) => c.call.path)).toEqual(ids.map((id) => `/contacts/${id}`));
    expect(
      busiestWindow(
        upstream.calls.map((c) => c.startedAt),
        1000,
      ),
    ).toBe(3);
  });

  it('fails at once with BudgetExceededError when the wait would exceed maxWaitMs', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, () => ({ status: 200 }));
    const budget = createUpstreamBudget(upstream.send, governed({ max: 2, intervalMs: 1000, maxWaitMs: 500 }), clock);
    const send = budget.sendFor(newCostMeter());
    await send(getContact('a'), caller('t1'));
    await send(getContact('b'), caller('t1'));
    const refused = await send(getContact('c'), caller('t1')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect(refused).toBeInstanceOf(GhlError);
    expect((refused as BudgetExceededError).retryAfterMs).toBe(1000);
    expect((refused as BudgetExceededError).limit).toBe('window');
    expect(upstream.count()).toBe(2);
    // Once the window has moved on, calls flow again.
    await clock.advance(1000);
    await send(getContact('c'), caller('t1'));
    expect(upstream.count()).toBe(3);
  });

  it('queues a call whose wait fits in maxWaitMs, and counts the wait', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, () => ({ status: 200 }));
    const budget = createUpstreamBudget(upstream.send, governed({ max: 1, intervalMs: 1000, maxWaitMs: 1000 }), clock);
    const meter = newCostMeter();
    const send = budget.sendFor(meter);
    await send(getContact('a'), caller('t1'));
    await clock.advance(300);
    await clock.run(send(getContact('b'), caller('t1')));
    expect(upstream.calls[1]!.startedAt - upstream.calls[0]!.startedAt).toBe(1000);
    expect(meter.waitedMs).toBe(700);
    expect(meter.budgetRemaining).toBe(0);
  });

  it('keeps locations apart', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, () => ({ status: 200 }));
    const budget = createUpstreamBudget(upstream.send, governed({ max: 1, intervalMs: 1000, maxWaitMs: 0 }), clock);
    const send = budget.sendFor(newCostMeter());
    await send(getContact('a'), caller('t1', 'loc-1'));
    await send(getContact('a'), caller('t2', 'loc-2'));
    await expect(send(getContact('b'), caller('t3', 'loc-1'))).rejects.toBeInstanceOf(BudgetExceededError);
    expect(upstream.count()).toBe(2);
  });

  it('trusts GHL when its headers say fewer calls are left than we think', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, (_call, _caller, index) =>
      index === 0
        ? { status: 200, headers: { 'x-ratelimit-remaining': '3', 'x-ratelimit-max': '100' } }
        : { status: 200 },
    );
    const budget = createUpstreamBudget(upstream.send, governed({ max: 100, intervalMs: 10_000 }), clock);
    const meter = newCostMeter();
    const send = budget.sendFor(meter);
    await send(getContact('first'), caller('t1'));
    expect(meter.budgetRemaining).toBe(3);
    const burst = Array.from({ length: 10 }, (_, i) => send(getContact(`c${i}`), caller('t1')));
    await clock.advance(0);
    expect(upstream.count()).toBe(4);
    await clock.run(Promise.all(burst));
    const t0 = upstream.calls[0]!.startedAt;
    expect(upstream.calls.filter((c) => c.startedAt < t0 + 10_000)).toHaveLength(4);
    expect(upstream.count()).toBe(11);
  });

  it('adopts a smaller X-RateLimit-Max and a longer interval from GHL', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, () => ({
      status: 200,
      headers: { 'x-ratelimit-max': '5', 'x-ratelimit-interval-milliseconds': '20000' },
    }));
    const budget = createUpstreamBudget(upstream.send, governed({ max: 100, intervalMs: 10_000 }), clock);
    const send = budget.sendFor(newCostMeter());
    await send(getContact('first'), caller('t1'));
    await clock.run(Promise.all(Array.from({ length: 14 }, (_, i) => send(getContact(`c${i}`), caller('t1')))));
    expect(
      busiestWindow(
        upstream.calls.map((c) => c.startedAt),
        20_000,
      ),
    ).toBe(5);
  });

  it('treats a 429 as a spent window and waits for Retry-After before the next call', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, (_call, _caller, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 },
    );
    const budget = createUpstreamBudget(upstream.send, governed({ max: 100, intervalMs: 10_000 }), clock);
    const send = budget.sendFor(newCostMeter());
    expect((await send(getContact('a'), caller('t1'))).status).toBe(429);
    await clock.run(send(getContact('b'), caller('t1')));
    expect(upstream.calls[1]!.startedAt - upstream.calls[0]!.startedAt).toBe(2000);
  });

  it('follows the daily budget and refuses once the day is spent', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, () => ({ status: 200 }));
    const budget = createUpstreamBudget(upstream.send, governed({ dailyMax: 5 }), clock);
    const send = budget.sendFor(newCostMeter());
    for (let i = 0; i < 5; i += 1) await send(getContact(`c${i}`), caller('t1'));
    const refused = await send(getContact('c5'), caller('t1')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect((refused as BudgetExceededError).limit).toBe('daily');
    expect(upstream.count()).toBe(5);
  });

  it("follows GHL's X-RateLimit-Daily-Remaining", async () => {
    const clock = new FakeClock();
    // GHL counts calls we never saw (another app instance): after our first call only one is left.
    const upstream = new FakeUpstream(clock, (_call, _caller, index) => ({
      status: 200,
      headers: { 'x-ratelimit-daily-remaining': String(1 - index) },
    }));
    const budget = createUpstreamBudget(upstream.send, governed(), clock);
    const send = budget.sendFor(newCostMeter());
    await send(getContact('a'), caller('t1'));
    await send(getContact('b'), caller('t1'));
    await expect(send(getContact('c'), caller('t1'))).rejects.toBeInstanceOf(BudgetExceededError);
    expect(upstream.count()).toBe(2);
  });

  it('lets a waiting call be aborted without losing its place for the others', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, () => ({ status: 200 }));
    const budget = createUpstreamBudget(upstream.send, governed({ max: 1, intervalMs: 1000 }), clock);
    const send = budget.sendFor(newCostMeter());
    await send(getContact('a'), caller('t1'));
    const leaving = new AbortController();
    const aborted = send(getContact('b'), caller('t1'), leaving.signal);
    const waiting = send(getContact('c'), caller('t1'));
    leaving.abort();
    await expect(aborted).rejects.toBeInstanceOf(GhlTimeoutError);
    await clock.run(waiting);
    expect(upstream.calls.map((c) => c.call.path)).toEqual(['/contacts/a', '/contacts/c']);
    expect(upstream.calls[1]!.startedAt - upstream.calls[0]!.startedAt).toBe(1000);
  });

  it('governs writes too', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, () => ({ status: 200 }));
    const budget = createUpstreamBudget(upstream.send, governed({ max: 1, intervalMs: 1000, maxWaitMs: 0 }), clock);
    const send = budget.sendFor(newCostMeter());
    await send(getContact('a'), caller('t1'));
    await expect(send(updateContact('a'), caller('t1'))).rejects.toBeInstanceOf(BudgetExceededError);
    expect(upstream.count()).toBe(1);
  });
});
