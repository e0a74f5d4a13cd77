// Admission before work: the governor plans, read-only, when a number of calls could start
// (earliestFor, canPay, capacity), and the budget turns that into admitted, busy or too large.
import { describe, expect, it } from 'vitest';
import { createUpstreamBudget, type BudgetConfig } from '../../src/budget/budget.js';
import { newCostMeter } from '../../src/budget/cost-meter.js';
import { RateGovernor, type GovernorConfig } from '../../src/budget/rate-governor.js';
import { FakeClock } from './fake-clock.js';
import { FakeUpstream, caller, getContact } from './fake-upstream.js';

const DAY_MS = 86_400_000;

function governor(clock: FakeClock, config: Partial<GovernorConfig> = {}): RateGovernor {
  return new RateGovernor({ max: 100, intervalMs: 10_000, dailyMax: 200_000, maxWaitMs: 60_000, ...config }, clock);
}

/** Starts `n` calls at once (they must fit the window). */
async function spend(gov: RateGovernor, n: number, scope = 'loc-1'): Promise<void> {
  await Promise.all(Array.from({ length: n }, (_, i) => gov.acquire(scope, `op${i}`, undefined)));
}

describe('governor: earliestFor', () => {
  it('on an idle location: a window now, then one more per interval', () => {
    const gov = governor(new FakeClock());
    expect(gov.earliestFor('loc-1', 0)).toEqual({ inMs: 0, limit: 'window' });
    expect(gov.earliestFor('loc-1', 100)).toEqual({ inMs: 0, limit: 'window' });
    expect(gov.earliestFor('loc-1', 101)).toEqual({ inMs: 10_000, limit: 'window' });
    expect(gov.earliestFor('loc-1', 200).inMs).toBe(10_000);
    expect(gov.earliestFor('loc-1', 201).inMs).toBe(20_000);
  });

  it('counts the calls in the window and those already waiting', async () => {
    const clock = new FakeClock();
    const gov = governor(clock);
    await spend(gov, 60);
    await clock.advance(3_000);
    expect(gov.earliestFor('loc-1', 40).inMs).toBe(0);
    // The 41st needs the oldest start to leave the window: 10 s after it, 7 s from now.
    expect(gov.earliestFor('loc-1', 41).inMs).toBe(7_000);
    // Two calls queue behind a full window; a newcomer's first slot comes after theirs.
    const tight = governor(clock, { max: 2, intervalMs: 1_000 });
    await spend(tight, 2);
    const waiting = [tight.acquire('loc-1', 'w1', undefined), tight.acquire('loc-1', 'w2', undefined)];
    expect(tight.earliestFor('loc-1', 1).inMs).toBe(2_000);
    await clock.run(Promise.all(waiting));
  });

  it('follows what GHL said: a spent window until an interval after the reply, a spent day until tomorrow', async () => {
    const clock = new FakeClock(10 * DAY_MS + 5_000);
    const gov = governor(clock);
    const permit = await gov.acquire('loc-1', 'op', undefined);
    await clock.advance(200);
    gov.observe(permit, {
      status: 200,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-daily-remaining': '50' },
      body: null,
    });
    expect(gov.earliestFor('loc-1', 1)).toEqual({ inMs: 10_000, limit: 'window' });
    const dayLeft = governor(clock);
    const first = await dayLeft.acquire('loc-1', 'op', undefined);
    dayLeft.observe(first, { status: 200, headers: { 'x-ratelimit-daily-remaining': '0' }, body: null });
    expect(dayLeft.earliestFor('loc-1', 1)).toEqual({ inMs: 11 * DAY_MS - clock.now(), limit: 'daily' });
  });

  it('plans what acquire then does: 250 calls on 100 per second start over two more seconds', async () => {
    const clock = new FakeClock();
    const gov = governor(clock, { intervalMs: 1_000 });
    const t0 = clock.now();
    expect(gov.earliestFor('loc-1', 250).inMs).toBe(2_000);
    const permits = await clock.run(
      Promise.all(Array.from({ length: 250 }, (_, i) => gov.acquire('loc-1', `op${i}`, undefined))),
    );
    expect(Math.max(...permits.map((p) => p.startedAt)) - t0).toBe(2_000);
  });

  it('is read-only: asking starts nothing, queues nothing, and keeps no state for an unknown location', async () => {
    const clock = new FakeClock();
    const gov = governor(clock, { max: 3 });
    gov.earliestFor('loc-1', 500);
    gov.canPay('loc-1', 500, 1_000);
    gov.capacity('loc-1', 1_000);
    expect(gov.remaining('loc-1')).toBe(3);
    expect(gov.queued()).toBe(0);
    await spend(gov, 3);
    expect(gov.remaining('loc-1')).toBe(0);
  });
});

describe('governor: canPay and capacity', () => {
  it('counts a window that must reopen only if it reopens before the bound, not on it', () => {
    const gov = governor(new FakeClock());
    expect(gov.canPay('loc-1', 100, 0)).toBe(true);
    expect(gov.canPay('loc-1', 101, 0)).toBe(false);
    expect(gov.canPay('loc-1', 101, 10_000)).toBe(false);
    expect(gov.canPay('loc-1', 101, 10_001)).toBe(true);
    expect(gov.canPay('loc-1', 200, 10_001)).toBe(true);
    expect(gov.canPay('loc-1', 201, 10_001)).toBe(false);
    expect(gov.canPay('loc-1', 201, 20_001)).toBe(true);
  });

  it('capacity: 100 per window that opens within the wait, at most a day, as tightened by GHL', async () => {
    const clock = new FakeClock();
    const gov = governor(clock);
    expect(gov.capacity('loc-1', 0)).toBe(100);
    expect(gov.capacity('loc-1', 10_000)).toBe(100);
    expect(gov.capacity('loc-1', 10_001)).toBe(200);
    expect(gov.capacity('loc-1', 20_000)).toBe(200);
    expect(gov.capacity('loc-1', 30_000)).toBe(300);
    expect(governor(clock, { dailyMax: 150 }).capacity('loc-1', 60_000)).toBe(150);
    // A trial private integration token: GHL says 25 per 10 s.
    const permit = await gov.acquire('loc-1', 'op', undefined);
    gov.observe(permit, { status: 200, headers: { 'x-ratelimit-max': '25' }, body: null });
    expect(gov.capacity('loc-1', 10_000)).toBe(25);
    expect(gov.capacity('loc-2', 10_000)).toBe(100);
  });

  it('agrees with capacity at every price: what an idle location can pay is exactly what it admits', () => {
    const gov = governor(new FakeClock(), { max: 7, intervalMs: 300 });
    for (const wait of [0, 299, 300, 301, 900, 1_000]) {
      const payable = gov.capacity('loc-1', wait);
      expect(gov.canPay('loc-1', payable, wait)).toBe(true);
      expect(gov.canPay('loc-1', payable + 1, wait)).toBe(false);
    }
  });
});

describe('budget: admit', () => {
  function budgetWith(clock: FakeClock, governorConfig: BudgetConfig['governor']) {
    const upstream = new FakeUpstream(clock, () => ({ status: 200 }));
    const config: BudgetConfig = { cache: false, coalesce: false, governor: governorConfig, retry: false };
    return { upstream, budget: createUpstreamBudget(upstream.send, config, clock) };
  }
  const limits = { max: 100, intervalMs: 10_000, dailyMax: 200_000, maxWaitMs: 1_000 };

  it('admits anything without a governor, and a free price always', () => {
    const { budget } = budgetWith(new FakeClock(), false);
    expect(budget.admit(caller('t1'), 1_000_000)).toEqual({ admitted: true });
    expect(budgetWith(new FakeClock(), limits).budget.admit(caller('t1'), 0)).toEqual({ admitted: true });
  });

  it('refuses as too large what even an idle location could not pay within the wait', () => {
    const { budget } = budgetWith(new FakeClock(), limits);
    expect(budget.admit(caller('t1'), 100)).toEqual({ admitted: true });
    expect(budget.admit(caller('t1'), 101)).toEqual({
      admitted: false,
      reason: 'too-large',
      price: 101,
      payable: 100,
      maxWaitMs: 1_000,
    });
  });

  it('refuses a busy location with what it has now and when a retry fits, sending nothing', async () => {
    const clock = new FakeClock();
    const { budget, upstream } = budgetWith(clock, limits);
    const send = budget.sendFor(newCostMeter());
    await Promise.all(Array.from({ length: 60 }, (_, i) => send(getContact(`c${i}`), caller('t1'))));
    await clock.advance(3_000);
    expect(budget.admit(caller('t2'), 40)).toEqual({ admitted: true });
    // The 41st slot opens 7 s from now; within a 1 s wait that is 6001 ms from now at the earliest.
    expect(budget.admit(caller('t2'), 41)).toEqual({
      admitted: false,
      reason: 'busy',
      price: 41,
      availableNow: 40,
      retryAfterMs: 6_001,
      maxWaitMs: 1_000,
      limit: 'window',
    });
    expect(upstream.count()).toBe(60);
    // Another location has a budget of its own.
    expect(budget.admit(caller('t3', 'loc-2'), 41)).toEqual({ admitted: true });
    await clock.advance(6_000);
    expect(budget.admit(caller('t2'), 41)).toMatchObject({ admitted: false, retryAfterMs: 1 });
    await clock.advance(1);
    expect(budget.admit(caller('t2'), 41)).toEqual({ admitted: true });
  });

  it('says when the day is spent', async () => {
    const clock = new FakeClock(3 * DAY_MS + 1_000);
    const { budget } = budgetWith(clock, { ...limits, dailyMax: 5 });
    const send = budget.sendFor(newCostMeter());
    for (let i = 0; i < 5; i += 1) await send(getContact(`c${i}`), caller('t1'));
    expect(budget.admit(caller('t1'), 1)).toMatchObject({
      admitted: false,
      reason: 'busy',
      availableNow: 0,
      limit: 'daily',
      retryAfterMs: 4 * DAY_MS - clock.now() - 1_000 + 1,
    });
  });
});
