import { describe, expect, it } from 'vitest';
import { createUpstreamBudget, type BudgetConfig } from '../../src/budget/budget.js';
import { newCostMeter } from '../../src/budget/cost-meter.js';
import { GhlBadJsonError, GhlNetworkError, GhlTimeoutError } from '../../src/ghl/errors.js';
import { FakeClock } from './fake-clock.js';
import { FakeUpstream, caller, getContact, updateContact, type Answer } from './fake-upstream.js';

const retryOnly: BudgetConfig = {
  cache: false,
  coalesce: false,
  governor: false,
  retry: { attempts: 8, baseDelayMs: 100, maxDelayMs: 2000, deadlineMs: 30_000 },
};

function scripted(clock: FakeClock, answers: Answer[], rest: Answer = { status: 200 }) {
  return new FakeUpstream(clock, (_call, _caller, index) => answers[index] ?? rest);
}

describe('retries', () => {
  it('rides out a 429 storm with Retry-After and ends in a 200 within the deadline', async () => {
    const clock = new FakeClock();
    const storm = Array.from({ length: 5 }, () => ({ status: 429, headers: { 'retry-after': '1' } }));
    const upstream = scripted(clock, storm);
    const config: BudgetConfig = {
      ...retryOnly,
      governor: { max: 100, intervalMs: 10_000, dailyMax: 200_000, maxWaitMs: 60_000 },
    };
    const budget = createUpstreamBudget(upstream.send, config, clock);
    const meter = newCostMeter();
    const started = clock.now();
    const reply = await clock.run(budget.sendFor(meter)(getContact('a'), caller('t1')));
    expect(reply.status).toBe(200);
    expect(upstream.count()).toBe(6);
    expect(meter).toMatchObject({ upstreamCalls: 6, retries: 5 });
    // Every retry waited at least what GHL asked for, and all of it stayed inside the deadline.
    const starts = upstream.calls.map((c) => c.startedAt);
    for (let i = 1; i < starts.length; i += 1) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(clock.now() - started).toBeLessThanOrEqual(30_000);
  });

  it('never retries a write', async () => {
    const clock = new FakeClock();
    const upstream = scripted(clock, [{ status: 503 }, { status: 503 }]);
    const budget = createUpstreamBudget(upstream.send, retryOnly, clock);
    const meter = newCostMeter();
    const reply = await clock.run(budget.sendFor(meter)(updateContact('a'), caller('t1')));
    expect(reply.status).toBe(503);
    expect(upstream.count()).toBe(1);
    expect(meter.retries).toBe(0);
  });

  it('never retries a write that failed in transit', async () => {
    const clock = new FakeClock();
    const upstream = scripted(clock, [{ error: new GhlNetworkError('contacts.update', 'ECONNRESET') }]);
    const budget = createUpstreamBudget(upstream.send, retryOnly, clock);
    await expect(clock.run(budget.sendFor(newCostMeter())(updateContact('a'), caller('t1')))).rejects.toBeInstanceOf(
      GhlNetworkError,
    );
    expect(upstream.count()).toBe(1);
  });

  it('retries 5xx replies of reads', async () => {
    const clock = new FakeClock();
    const upstream = scripted(clock, [{ status: 503 }, { status: 502 }]);
    const budget = createUpstreamBudget(upstream.send, retryOnly, clock);
    const meter = newCostMeter();
    const reply = await clock.run(budget.sendFor(meter)(getContact('a'), caller('t1')));
    expect(reply.status).toBe(200);
    expect(upstream.count()).toBe(3);
    expect(meter).toMatchObject({ upstreamCalls: 3, retries: 2 });
  });

  it.each([400, 401, 403, 404, 422])('does not retry a %i', async (status) => {
    const clock = new FakeClock();
    const upstream = scripted(clock, [{ status }]);
    const budget = createUpstreamBudget(upstream.send, retryOnly, clock);
    const reply = await clock.run(budget.sendFor(newCostMeter())(getContact('a'), caller('t1')));
    expect(reply.status).toBe(status);
    expect(upstream.count()).toBe(1);
  });

  it('retries timeouts and network failures, but not a bad body', async () => {
    const clock = new FakeClock();
    const upstream = scripted(clock, [
      { error: new GhlTimeoutError('contacts.get', 'headers') },
      { error: new GhlNetworkError('contacts.get', 'ECONNRESET') },
    ]);
    const budget = createUpstreamBudget(upstream.send, retryOnly, clock);
    const send = budget.sendFor(newCostMeter());
    expect((await clock.run(send(getContact('a'), caller('t1')))).status).toBe(200);
    expect(upstream.count()).toBe(3);

    const bad = new GhlBadJsonError('contacts.get', 200);
    upstream.script = () => ({ error: bad });
    await expect(clock.run(send(getContact('b'), caller('t1')))).rejects.toBe(bad);
    expect(upstream.count()).toBe(4);
  });

  it('gives up after the configured attempts and resolves with the last reply', async () => {
    const clock = new FakeClock();
    const upstream = scripted(clock, [], { status: 503 });
    const config: BudgetConfig = {
      ...retryOnly,
      retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 2000, deadlineMs: 30_000 },
    };
    const budget = createUpstreamBudget(upstream.send, config, clock);
    const reply = await clock.run(budget.sendFor(newCostMeter())(getContact('a'), caller('t1')));
    expect(reply.status).toBe(503);
    expect(upstream.count()).toBe(3);
  });

  it('rethrows the last transport error once attempts are spent', async () => {
    const clock = new FakeClock();
    const upstream = scripted(clock, [], { error: new GhlNetworkError('contacts.get', 'ECONNREFUSED') });
    const config: BudgetConfig = {
      ...retryOnly,
      retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 10, deadlineMs: 1000 },
    };
    const budget = createUpstreamBudget(upstream.send, config, clock);
    await expect(clock.run(budget.sendFor(newCostMeter())(getContact('a'), caller('t1')))).rejects.toBeInstanceOf(
      GhlNetworkError,
    );
    expect(upstream.count()).toBe(2);
  });

  it('does not retry past the deadline: a Retry-After beyond it ends the call with the 429', async () => {
    const clock = new FakeClock();
    const upstream = scripted(clock, [{ status: 429, headers: { 'retry-after': '60' } }]);
    const config: BudgetConfig = {
      ...retryOnly,
      retry: { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000, deadlineMs: 5000 },
    };
    const budget = createUpstreamBudget(upstream.send, config, clock);
    const reply = await clock.run(budget.sendFor(newCostMeter())(getContact('a'), caller('t1')));
    expect(reply.status).toBe(429);
    expect(upstream.count()).toBe(1);
  });

  it('sends every retry through the governor again', async () => {
    const clock = new FakeClock();
    const upstream = scripted(clock, [{ status: 500 }, { status: 500 }]);
    const config: BudgetConfig = {
      ...retryOnly,
      governor: { max: 1, intervalMs: 1000, dailyMax: 200_000, maxWaitMs: 10_000 },
    };
    const budget = createUpstreamBudget(upstream.send, config, clock);
    const reply = await clock.run(budget.sendFor(newCostMeter())(getContact('a'), caller('t1')));
    expect(reply.status).toBe(200);
    const starts = upstream.calls.map((c) => c.startedAt);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(1000);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(1000);
  });

  it('returns the last reply when a retry cannot get a rate slot in time', async () => {
    const clock = new FakeClock();
    const upstream = scripted(clock, [{ status: 503 }]);
    const config: BudgetConfig = {
      ...retryOnly,
      governor: { max: 1, intervalMs: 60_000, dailyMax: 200_000, maxWaitMs: 60_000 },
      retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 10, deadlineMs: 5000 },
    };
    const budget = createUpstreamBudget(upstream.send, config, clock);
    const reply = await clock.run(budget.sendFor(newCostMeter())(getContact('a'), caller('t1')));
    expect(reply.status).toBe(503);
    expect(upstream.count()).toBe(1);
  });

  it('stops retrying when the caller aborts', async () => {
    const clock = new FakeClock();
    const upstream = scripted(clock, [], { status: 503 });
    const budget = createUpstreamBudget(upstream.send, retryOnly, clock);
    const controller = new AbortController();
    const pending = budget.sendFor(newCostMeter())(getContact('a'), caller('t1'), controller.signal);
    await clock.advance(0);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(GhlTimeoutError);
    expect(upstream.count()).toBe(1);
  });
});
