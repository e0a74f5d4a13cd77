// How wide a request's child calls fan out: as wide as the location's rate budget lets them
// start now, never wider than UPSTREAM_CONCURRENCY. Counted as calls in flight at the scripted
// GHL (its child replies held back), never by timing.
import { describe, expect, it } from 'vitest';
import { createFakeGhl, type Hold } from './fake-ghl.js';

const CONTACTS = 25;
const CHILDREN = 3 * CONTACTS;
const ids = Array.from({ length: CONTACTS }, (_, i) => `Cfake${String(i + 1).padStart(15, '0')}`);
const DASHBOARD = `{ contacts(first: ${CONTACTS}) { nodes { id tasks { id } notes { id } appointments { id } } } }`;
const CHILD_OPERATIONS = ['tasks.list', 'notes.list', 'appointments.list'] as const;

/** GHL's 100 per 10 s, with the window shortened so a spent budget reopens within the test. */
const GHL_LIMITS = { RATE_LIMIT_MAX: '100', RATE_LIMIT_INTERVAL_MS: '200' };

/** Starts the dashboard with the child replies held; resolves once the first wave is out. */
async function firstWave(env: Record<string, string>, searchHeaders: Record<string, string> = {}) {
  const fake = createFakeGhl(env);
  fake.answer({
    'contacts.search': { body: { contacts: ids.map((id) => ({ id })), total: CONTACTS }, headers: searchHeaders },
  });
  const hold = fake.hold(CHILD_OPERATIONS);
  const answer = fake.query(DASHBOARD);
  await settled(hold);
  const wave = hold.started;
  hold.release();
  const { body } = await answer;
  return { wave, body, calls: [...fake.calls.values()].reduce((a, b) => a + b, 0) };
}

/** Waits until no further held call starts for a few turns of the event loop. */
async function settled(hold: Hold): Promise<void> {
  let last = -1;
  let quiet = 0;
  while (quiet < 5) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    quiet = hold.started === last && last > 0 ? quiet + 1 : 0;
    last = hold.started;
  }
}

describe('fan-out width', () => {
  it('sends all 75 children at once when the budget allows it', async () => {
    const { wave, body, calls } = await firstWave(GHL_LIMITS);
    expect(body.errors).toBeUndefined();
    expect(wave).toBe(CHILDREN);
    expect(calls).toBe(1 + CHILDREN);
  });

  it('never goes wider than UPSTREAM_CONCURRENCY', async () => {
    const { wave, body, calls } = await firstWave({ ...GHL_LIMITS, UPSTREAM_CONCURRENCY: '8' });
    expect(body.errors).toBeUndefined();
    expect(wave).toBe(8);
    expect(calls).toBe(1 + CHILDREN);
  });

  it('shrinks to what is left when GHL says the budget is nearly spent, and still answers whole', async () => {
    // As when another app spent the location: after the search GHL allows 10 more in its window.
    const { wave, body, calls } = await firstWave(GHL_LIMITS, { 'x-ratelimit-remaining': '10' });
    expect(wave).toBe(10);
    expect(body.errors).toBeUndefined();
    expect(calls).toBe(1 + CHILDREN);
  });

  it('shrinks to what our own window has left', async () => {
    // A location allowed 20 per window: the search took one, so 19 children go first.
    const { wave, body, calls } = await firstWave({ ...GHL_LIMITS, RATE_LIMIT_MAX: '20' });
    expect(wave).toBe(19);
    expect(body.errors).toBeUndefined();
    expect(calls).toBe(1 + CHILDREN);
  });
});
