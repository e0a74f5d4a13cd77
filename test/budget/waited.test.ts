// waitedMs: every wait in the budget counts (for a rate slot, one that ended in a refusal, retry
// backoff), and parallel waits count once, so the figure can be read against the request's duration.
import { describe, expect, it } from 'vitest';
import { createUpstreamBudget, type BudgetConfig } from '../../src/budget/budget.js';
import { newCostMeter, recordWait } from '../../src/budget/cost-meter.js';
import { BudgetExceededError } from '../../src/budget/errors.js';
import { FakeClock } from './fake-clock.js';
import { FakeUpstream, caller, getContact } from './fake-upstream.js';

function governed(max: number, intervalMs: number, maxWaitMs: number): BudgetConfig {
  return { cache: false, coalesce: false, governor: { max, intervalMs, dailyMax: 200_000, maxWaitMs }, retry: false };
}

describe('recordWait', () => {
  it('merges overlapping spans and adds disjoint ones', () => {
    const meter = newCostMeter();
    recordWait(meter, 100, 300);
    recordWait(meter, 200, 400);
    recordWait(meter, 1_000, 1_050);
    recordWait(meter, 0, 50);
    recordWait(meter, 500, 500);
    expect(meter.waitedMs).toBe(300 + 50 + 50);
    recordWait(meter, 40, 1_010);
    expect(meter.waitedMs).toBe(1_050);
  });
});

describe('waitedMs', () => {
  it('counts parallel waits for a rate slot once', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, () => ({ status: 200 }));
    const budget = createUpstreamBudget(upstream.send, governed(1, 1_000, 5_000), clock);
    const meter = newCostMeter();
    const send = budget.sendFor(meter);
    await send(getContact('a'), caller('t1'));
    // Three calls wait 1, 2 and 3 s, side by side: the request waited 3 s, not 6.
    await clock.run(Promise.all(['b', 'c', 'd'].map((id) => send(getContact(id), caller('t1')))));
    expect(upstream.calls.at(-1)!.startedAt - upstream.calls[0]!.startedAt).toBe(3_000);
    expect(meter.waitedMs).toBe(3_000);
  });

  it('counts a wait that ended in a refusal', async () => {
    const clock = new FakeClock();
    // The first call's reply, 300 ms late, says GHL has nothing left: held for an interval from
    // then, the queued call's slot moves past its bound while it waits, and it is refused.
    const upstream = new FakeUpstream(clock, (_call, _caller, index) =>
      index === 0 ? { status: 200, delayMs: 300, headers: { 'x-ratelimit-remaining': '0' } } : { status: 200 },
    );
    const budget = createUpstreamBudget(upstream.send, governed(1, 1_000, 1_100), clock);
    const meter = newCostMeter();
    const send = budget.sendFor(meter);
    const first = send(getContact('a'), caller('t1'));
    await clock.advance(100);
    const second = send(getContact('b'), caller('t1')).catch((error: unknown) => error);
    await clock.run(first);
    expect(await clock.run(second)).toBeInstanceOf(BudgetExceededError);
    expect(upstream.count()).toBe(1);
    // Queued at +100, planned for +1000, refused then: 900 ms waited.
    expect(meter.waitedMs).toBe(900);
  });

  it('counts retry backoff as the time slept', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, (_call, _caller, index) => ({ status: index === 0 ? 503 : 200 }));
    const config: BudgetConfig = {
      ...governed(100, 10_000, 1_000),
      retry: { attempts: 3, baseDelayMs: 400, maxDelayMs: 400, deadlineMs: 10_000 },
    };
    const budget = createUpstreamBudget(upstream.send, config, clock);
    const meter = newCostMeter();
    const reply = await clock.run(budget.sendFor(meter)(getContact('a'), caller('t1')));
    expect(reply.status).toBe(200);
    expect(meter.retries).toBe(1);
    expect(meter.waitedMs).toBe(upstream.calls[1]!.startedAt - upstream.calls[0]!.startedAt);
  });
});
