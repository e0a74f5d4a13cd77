import { describe, expect, it } from 'vitest';
import { createUpstreamBudget, type BudgetConfig } from '../../src/budget/budget.js';
import { newCostMeter } from '../../src/budget/cost-meter.js';
import { GhlTimeoutError } from '../../src/ghl/errors.js';
import { FakeClock } from './fake-clock.js';
import { FakeUpstream, caller, getContact, updateContact } from './fake-upstream.js';

const coalesceOnly: BudgetConfig = { cache: false, coalesce: true, governor: false, retry: false };

function slowContacts(clock: FakeClock, delayMs = 50) {
  let version = 1;
  const upstream = new FakeUpstream(clock, (call) =>
    call.method === 'PUT'
      ? { status: 200, body: { v: ++version } }
      : { status: 200, body: { contact: { id: call.path, v: version } }, delayMs },
  );
  return upstream;
}

describe('in-flight coalescing', () => {
  it('makes 10 concurrent identical reads from 10 requests cost 1 call', async () => {
    const clock = new FakeClock();
    const upstream = slowContacts(clock);
    const budget = createUpstreamBudget(upstream.send, coalesceOnly, clock);
    const meters = Array.from({ length: 10 }, () => newCostMeter());
    const replies = meters.map((meter) => budget.sendFor(meter)(getContact('a'), caller('t1')));
    expect(budget.stats().inFlight).toBe(1);
    const answers = await clock.run(Promise.all(replies));
    expect(upstream.count()).toBe(1);
    expect(new Set(answers).size).toBe(1);
    expect(meters.reduce((sum, m) => sum + m.upstreamCalls, 0)).toBe(1);
    expect(meters.reduce((sum, m) => sum + m.coalesced, 0)).toBe(9);
    expect(meters[0]).toMatchObject({ upstreamCalls: 1, coalesced: 0 });
    expect(budget.stats()).toMatchObject({ inFlight: 0 });
  });

  it('does not coalesce different tenants', async () => {
    const clock = new FakeClock();
    const upstream = slowContacts(clock);
    const budget = createUpstreamBudget(upstream.send, coalesceOnly, clock);
    const send = budget.sendFor(newCostMeter());
    await clock.run(Promise.all([send(getContact('a'), caller('t1')), send(getContact('a'), caller('t2'))]));
    expect(upstream.count()).toBe(2);
  });

  it('does not coalesce writes', async () => {
    const clock = new FakeClock();
    const upstream = slowContacts(clock);
    const budget = createUpstreamBudget(upstream.send, coalesceOnly, clock);
    const send = budget.sendFor(newCostMeter());
    await clock.run(Promise.all([send(updateContact('a'), caller('t1')), send(updateContact('a'), caller('t1'))]));
    expect(upstream.count()).toBe(2);
  });

  it("keeps serving the followers when the leader's request is aborted", async () => {
    const clock = new FakeClock();
    const upstream = slowContacts(clock);
    const budget = createUpstreamBudget(upstream.send, coalesceOnly, clock);
    const leader = new AbortController();
    const leaderMeter = newCostMeter();
    const followerMeter = newCostMeter();
    const first = budget.sendFor(leaderMeter)(getContact('a'), caller('t1'), leader.signal);
    const second = budget.sendFor(followerMeter)(getContact('a'), caller('t1'), new AbortController().signal);
    leader.abort();
    await expect(first).rejects.toBeInstanceOf(GhlTimeoutError);
    const reply = await clock.run(second);
    expect(reply.status).toBe(200);
    expect(upstream.count()).toBe(1);
    expect(upstream.calls[0]?.aborted).toBe(false);
    // The upstream signal is the flight's own, not the leader's.
    expect(upstream.calls[0]?.signal).not.toBe(leader.signal);
  });

  it('cancels the upstream call once every waiting request is aborted', async () => {
    const clock = new FakeClock();
    const upstream = slowContacts(clock);
    const budget = createUpstreamBudget(upstream.send, coalesceOnly, clock);
    const a = new AbortController();
    const b = new AbortController();
    const send = budget.sendFor(newCostMeter());
    const first = send(getContact('a'), caller('t1'), a.signal);
    const second = send(getContact('a'), caller('t1'), b.signal);
    a.abort();
    b.abort();
    await expect(first).rejects.toBeInstanceOf(GhlTimeoutError);
    await expect(second).rejects.toBeInstanceOf(GhlTimeoutError);
    await clock.advance(0);
    expect(upstream.calls[0]?.aborted).toBe(true);
    expect(budget.stats().inFlight).toBe(0);
    // A later identical read starts afresh instead of joining the torn-down call.
    const again = await clock.run(send(getContact('a'), caller('t1')));
    expect(again.status).toBe(200);
    expect(upstream.count()).toBe(2);
  });

  it('does not let a read after a write join a call that started before it', async () => {
    const clock = new FakeClock();
    const upstream = slowContacts(clock, 100);
    const budget = createUpstreamBudget(upstream.send, coalesceOnly, clock);
    const send = budget.sendFor(newCostMeter());
    const before = send(getContact('a'), caller('t1'));
    await clock.run(send(updateContact('a'), caller('t1')));
    const after = send(getContact('a'), caller('t1'));
    const [old, fresh] = await clock.run(Promise.all([before, after]));
    expect(upstream.count('contacts.get')).toBe(2);
    expect((old?.body as { contact: { v: number } }).contact.v).toBe(1);
    expect((fresh?.body as { contact: { v: number } }).contact.v).toBe(2);
  });

  it('charges the remaining follower for a retry after the leader left', async () => {
    const clock = new FakeClock();
    const upstream = new FakeUpstream(clock, (_call, _caller, index) => ({
      status: index === 0 ? 503 : 200,
      delayMs: 10,
    }));
    const budget = createUpstreamBudget(
      upstream.send,
      { ...coalesceOnly, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 100, deadlineMs: 10_000 } },
      clock,
    );
    const leader = new AbortController();
    const leaderMeter = newCostMeter();
    const followerMeter = newCostMeter();
    const first = budget.sendFor(leaderMeter)(getContact('a'), caller('t1'), leader.signal);
    const second = budget.sendFor(followerMeter)(getContact('a'), caller('t1'));
    await clock.advance(10); // the first attempt has answered 503; the flight waits to retry
    leader.abort();
    await expect(first).rejects.toBeInstanceOf(GhlTimeoutError);
    expect((await clock.run(second)).status).toBe(200);
    expect(upstream.count()).toBe(2);
    expect(leaderMeter.upstreamCalls + followerMeter.upstreamCalls).toBe(2);
    expect(followerMeter).toMatchObject({ coalesced: 1, upstreamCalls: 1, retries: 1 });
  });
});
