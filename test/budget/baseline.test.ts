import { describe, expect, it } from 'vitest';
import { createUpstreamBudget, type BudgetConfig } from '../../src/budget/budget.js';
import { newCostMeter } from '../../src/budget/cost-meter.js';
import { GhlNetworkError } from '../../src/ghl/errors.js';
import { FakeClock } from './fake-clock.js';
import { FakeUpstream, caller, getContact, searchContacts, updateContact } from './fake-upstream.js';

const allOff: BudgetConfig = { cache: false, coalesce: false, governor: false, retry: false };

describe('switched-off baseline', () => {
  it('passes every call straight through', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, (_call, _caller, index) => ({
      status: index === 0 ? 429 : 200,
      delayMs: 10,
    }));
    const budget = createUpstreamBudget(upstream.send, allOff, clock);
    const meter = newCostMeter();
    const send = budget.sendFor(meter);
    const signal = new AbortController().signal;
    const reads = Array.from({ length: 10 }, () => send(getContact('a'), caller('t1'), signal));
    const replies = await clock.run(Promise.all(reads));
    expect(replies[0]?.status).toBe(429);
    await clock.run(send(getContact('a'), caller('t1')));
    await clock.run(send(searchContacts({ query: 'ann' }), caller('t1')));
    await clock.run(send(searchContacts({ query: 'ann' }), caller('t1')));
    await clock.run(send(updateContact('a'), caller('t1')));
    expect(upstream.count()).toBe(14);
    expect(upstream.calls[0]?.signal).toBe(signal);
    expect(meter).toEqual({
      upstreamCalls: 14,
      cacheHits: 0,
      coalesced: 0,
      retries: 0,
      waitedMs: 0,
      budgetRemaining: null,
    });
    expect(budget.stats()).toEqual({ cacheEntries: 0, inFlight: 0, queued: 0 });
  });

  it('hands back the transport reply and error unchanged', async () => {
    const clock = new FakeClock();
    const failure = new GhlNetworkError('contacts.get', 'ECONNRESET');
    const upstream = new FakeUpstream(clock, (_call, _caller, index) =>
      index === 0 ? { error: failure } : { status: 503, body: { x: 1 } },
    );
    const budget = createUpstreamBudget(upstream.send, allOff, clock);
    const send = budget.sendFor(newCostMeter());
    await expect(send(getContact('a'), caller('t1'))).rejects.toBe(failure);
    const reply = await send(getContact('a'), caller('t1'));
    expect(reply).toEqual({ status: 503, headers: {}, body: { x: 1 } });
    expect(Object.isFrozen(reply)).toBe(false);
    expect(upstream.count()).toBe(2);
  });
});

describe('system clock', () => {
  it('runs on real time when no clock is given', async () => {
    let calls = 0;
    const budget = createUpstreamBudget(
      async () => {
        calls += 1;
        return { status: 200, headers: {}, body: { n: calls } };
      },
      {
        cache: { ttlMs: 60_000, maxEntries: 10 },
        coalesce: true,
        governor: { max: 1, intervalMs: 20, dailyMax: 100, maxWaitMs: 1000 },
        retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5, deadlineMs: 1000 },
      },
    );
    const send = budget.sendFor(newCostMeter());
    await Promise.all([send(getContact('a'), caller('t1')), send(getContact('b'), caller('t1'))]);
    await send(getContact('a'), caller('t1'));
    expect(calls).toBe(2);
  });
});
