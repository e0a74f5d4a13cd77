// Admission before work, end to end: an operation whose price the location's rate budget cannot
// pay within RATE_LIMIT_MAX_WAIT_MS is answered at once, with nothing sent to GHL (counted at the
// sandbox); one the budget can pay over several windows runs whole; and the wait is reported.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { mintSandboxToken } from '../../src/sandbox/tokens.js';
import { startStack, type Stack } from '../support/stack.js';

const { sunrise } = sandboxFixtures;

/** A page of `n` contacts with the given lists: 1 search + n calls per list. */
const page = (n: number, lists: string[]) =>
  `{ contacts(first: ${n}) { nodes { id ${lists.map((l) => `${l} { id }`).join(' ')} } } }`;
const ALL = ['tasks', 'notes', 'appointments'];

interface Cost {
  estimatedCalls: number;
  upstreamCalls: number;
  waitedForBudgetMs: number;
  durationMs: number;
}

/** Tokens of the first location that no other test uses, so nothing is cached for them yet. */
let minted = 0;
const freshToken = () =>
  mintSandboxToken({
    locationId: sunrise.locationId,
    scopes: ['contacts.readonly'],
    expiresInSeconds: 3600 + (minted += 1),
  });

describe('with the default budget (100 calls per 10 s, a 10 s wait)', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The sandbox enforces GHL's own limit, and says so in its headers, as GHL does.
    stack = await startStack({ sandbox: { rateLimit: { max: 100, intervalMs: 10_000 } } });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.sandbox.resetStats());

  it('refuses contacts(first: 100) with tasks and notes (201 calls) at once, sending nothing', async () => {
    const started = performance.now();
    const { body } = await stack.gql(page(100, ['tasks', 'notes']));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', cost: 201, maxCost: 100 });
    expect(stack.sandbox.stats().total).toBe(0);
  });

  it('a page of 33 contacts with tasks, notes and appointments (100 calls) is paid whole; 34 is refused', async () => {
    const refused = await stack.gql(page(34, ALL), undefined, freshToken());
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', cost: 103 });
    expect(stack.sandbox.stats().total).toBe(0);

    const { body } = await stack.gql<{ contacts: { nodes: unknown[] } }>(page(33, ALL), undefined, freshToken());
    expect(body.errors).toBeUndefined();
    expect(body.data?.contacts.nodes).toHaveLength(33);
    expect(stack.sandbox.stats()).toMatchObject({ total: 100, rateLimited: 0 });
  });
});

describe('a busy location', () => {
  let stack: Stack;
  beforeAll(async () => {
    // 20 calls per minute, a 1 s wait: nothing spent now comes back during the test.
    stack = await startStack({
      env: { RATE_LIMIT_MAX: '20', RATE_LIMIT_INTERVAL_MS: '60000', RATE_LIMIT_MAX_WAIT_MS: '1000' },
    });
  });
  afterAll(() => stack.close());

  it('answers at once with RATE_LIMITED, the price, what is available and when to retry, and sends nothing', async () => {
    const first = await stack.gql(page(7, ['tasks', 'notes']), undefined, freshToken());
    expect(first.body.errors).toBeUndefined();
    expect(stack.sandbox.stats().total).toBe(15);

    // Another token of the same location shares its budget: 5 calls are left, 11 are asked.
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${freshToken()}` },
      body: JSON.stringify({ query: page(5, ['tasks', 'notes']) }),
    });
    const body = (await response.json()) as {
      data?: unknown;
      errors?: Array<{ message: string; extensions: Record<string, unknown> }>;
    };
    expect(response.status).toBe(429);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    const extensions = body.errors![0]!.extensions;
    expect(extensions).toMatchObject({
      code: 'RATE_LIMITED',
      cost: 11,
      availableNow: 5,
      maxWaitMs: 1000,
      limit: 'window',
    });
    // The window's oldest call leaves it a minute after it started, less the 1 s the call may wait.
    expect(extensions['retryAfterMs']).toBeGreaterThan(50_000);
    expect(extensions['retryAfterMs']).toBeLessThanOrEqual(59_001);
    expect(Number(response.headers.get('retry-after'))).toBe(Math.ceil((extensions['retryAfterMs'] as number) / 1000));
    expect(body.errors![0]!.message).toMatch(/11 GHL calls.*has 5 now.*Nothing was sent to GHL/);
    expect(stack.sandbox.stats().total).toBe(15);

    // What fits is still admitted, and the other location has a budget of its own.
    const small = await stack.gql(
      `query($id: ID!) { contact(id: $id) { id tasks { id } } }`,
      { id: sunrise.richContactId },
      freshToken(),
    );
    expect(small.body.errors).toBeUndefined();
    const other = await stack.gql(page(5, ['tasks', 'notes']), undefined, stack.other.readOnly);
    expect(other.body.errors).toBeUndefined();
    expect(stack.sandbox.stats().total).toBe(15 + 2 + 11);
  });
});

describe('a price over the whole burst', () => {
  let stack: Stack;
  beforeAll(async () => {
    // 20 per 500 ms and a 1.2 s wait: windows open now, at 0.5 s and at 1 s, so 60 calls can be paid.
    stack = await startStack({
      sandbox: { rateLimit: { max: 20, intervalMs: 500 } },
      env: { RATE_LIMIT_MAX: '20', RATE_LIMIT_INTERVAL_MS: '500', RATE_LIMIT_MAX_WAIT_MS: '1200' },
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.sandbox.resetStats());

  it('is admitted when the wait lets it be paid over several windows, and reports every wait', async () => {
    const { body } = await stack.gql<{ contacts: { nodes: unknown[] } }>(page(20, ['tasks', 'notes']));
    expect(body.errors).toBeUndefined();
    expect(body.data?.contacts.nodes).toHaveLength(20);
    expect(stack.sandbox.stats()).toMatchObject({ total: 41, rateLimited: 0 });
    const cost = body.extensions?.['cost'] as Cost;
    expect(cost).toMatchObject({ estimatedCalls: 41, upstreamCalls: 41 });
    // Calls waited for the second and the third window, about a second in all: counted once each
    // moment, however many calls waited side by side, so never more than the request took.
    expect(cost.waitedForBudgetMs).toBeGreaterThanOrEqual(800);
    expect(cost.waitedForBudgetMs).toBeLessThanOrEqual(cost.durationMs);
  });

  it('is refused when even three windows are not enough, before any call', async () => {
    const { body } = await stack.gql(page(30, ['tasks', 'notes']), undefined, freshToken());
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', cost: 61, maxCost: 60 });
    expect(body.errors?.[0]?.message).toMatch(/can pay at most 60 within the 1\.2 s/);
    expect(stack.sandbox.stats().total).toBe(0);
  });
});
