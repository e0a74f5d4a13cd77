// The upstream budget end to end, proved by counting at the sandbox: a cache that never crosses
// tokens, writes that evict what they change, coalescing across requests, retries through a 429
// storm, a governor that keeps GHL's limiter quiet, and a price check before execution.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { mintSandboxToken } from '../../src/sandbox/tokens.js';
import { startStack, type Stack } from '../support/stack.js';

const { sunrise } = sandboxFixtures;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: { RETRY_BASE_DELAY_MS: '20', RETRY_MAX_DELAY_MS: '200' } });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.sandbox.setFaults([]);
  stack.sandbox.resetStats();
});

/** A token no other test uses, so nothing it reads can already be in the shared cache. */
let minted = 0;
const freshToken = () =>
  mintSandboxToken({
    locationId: sunrise.locationId,
    scopes: ['contacts.readonly'],
    expiresInSeconds: 3600 + (minted += 1),
  });

const CONTACT = `query($id: ID!) { contact(id: $id) { id city tags tasks { id title } } }`;
type ContactResult = {
  contact: { id: string; city: string | null; tags: string[]; tasks: Array<{ id: string; title: string }> };
};

describe('shared cache', () => {
  it('serves a repeat from the cache: the second identical query costs no upstream call', async () => {
    const token = freshToken();
    const first = await stack.gql<ContactResult>(CONTACT, { id: sunrise.richContactId }, token);
    const second = await stack.gql<ContactResult>(CONTACT, { id: sunrise.richContactId }, token);
    expect(second.body.data).toEqual(first.body.data);
    expect(stack.sandbox.stats().total).toBe(2);
    expect(second.body.extensions?.['cost']).toMatchObject({ upstreamCalls: 0, cacheHits: 2 });
  });

  it('never shares an entry between two tokens, even of the same location', async () => {
    const a = freshToken();
    const b = freshToken();
    await stack.gql(CONTACT, { id: sunrise.richContactId }, a);
    const other = await stack.gql(CONTACT, { id: sunrise.richContactId }, b);
    expect(stack.sandbox.stats().total).toBe(4);
    expect(other.body.extensions?.['cost']).toMatchObject({ upstreamCalls: 2, cacheHits: 0 });
  });

  it('a write followed by a read returns the new data', async () => {
    const writer = stack.readWrite;
    const before = await stack.gql<ContactResult>(CONTACT, { id: sunrise.bareContactId }, writer);
    expect(before.body.data?.contact.tasks).toEqual([]);
    await stack.gql(
      `mutation($c: ID!) { createTask(contactId: $c, input: { title: "Fresh", dueDate: "2031-05-01T09:00:00Z" }) { task { id } } }`,
      { c: sunrise.bareContactId },
      writer,
    );
    await stack.gql(
      `mutation($c: ID!) { addContactTags(contactId: $c, tags: ["fresh-tag"]) { tags } }`,
      { c: sunrise.bareContactId },
      writer,
    );
    await stack.gql(
      `mutation($c: ID!) { updateContact(id: $c, input: { city: "Tucson" }) { contact { id } } }`,
      { c: sunrise.bareContactId },
      writer,
    );
    const after = await stack.gql<ContactResult>(CONTACT, { id: sunrise.bareContactId }, writer);
    expect(after.body.data?.contact.tasks.map((t) => t.title)).toEqual(['Fresh']);
    expect(after.body.data?.contact.tags).toContain('fresh-tag');
    expect(after.body.data?.contact.city).toBe('Tucson');
  });
});

describe('coalescing', () => {
  it('concurrent identical reads from separate requests cost one call each', async () => {
    stack.sandbox.configure({ latencyMs: 100 });
    try {
      const token = freshToken();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => stack.gql<ContactResult>(CONTACT, { id: sunrise.richContactId }, token)),
      );
      expect(results.every((r) => r.body.data?.contact.id === sunrise.richContactId)).toBe(true);
      expect(stack.sandbox.stats().byRoute['GET /contacts/{contactId}']).toBe(1);
      expect(stack.sandbox.stats().byRoute['GET /contacts/{contactId}/tasks']).toBe(1);
    } finally {
      stack.sandbox.configure({ latencyMs: 0 });
    }
  });
});

describe('retries and the rate governor', () => {
  it('a 429 storm yields no failed idempotent read within the deadline', async () => {
    stack.sandbox.setFaults([
      { kind: 'rate429', route: 'GET /contacts/{contactId}/notes', count: 5, retryAfterSeconds: 0 },
    ]);
    const token = freshToken();
    const { body } = await stack.gql<{ contact: { notes: unknown[] } }>(
      `query($id: ID!) { contact(id: $id) { notes { id } } }`,
      { id: sunrise.richContactId },
      token,
    );
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    expect(body.data?.contact.notes).toHaveLength(sunrise.noteIds.length);
    expect(stack.sandbox.stats().byRoute['GET /contacts/{contactId}/notes']).toBe(6);
    expect(body.extensions?.['cost']).toMatchObject({ retries: 5 });
  });

  it('5xx on a read is retried; a write is never retried', async () => {
    stack.sandbox.setFaults([{ kind: 'error500', route: 'POST /contacts/{contactId}/notes', count: 1 }]);
    const { body } = await stack.gql(
      `mutation($c: ID!) { createNote(contactId: $c, input: { body: "once" }) { note { id } } }`,
      { c: sunrise.bareContactId },
      stack.readWrite,
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    expect(stack.sandbox.stats().byRoute['POST /contacts/{contactId}/notes']).toBe(1);
  });
});

describe('the governor under a burst', () => {
  let burst: Stack;
  beforeAll(async () => {
    // GHL's rule scaled down in time (50 per second instead of 100 per 10 s) so the test is short;
    // the sandbox enforces the same limit the gateway is told about.
    burst = await startStack({
      sandbox: { rateLimit: { max: 50, intervalMs: 1_000 } },
      // 50 per second for up to 20 s pays 1000 calls: the 301 below are admitted.
      env: {
        RATE_LIMIT_MAX: '50',
        RATE_LIMIT_INTERVAL_MS: '1000',
        RATE_LIMIT_MAX_WAIT_MS: '20000',
        MAX_QUERY_COST: '400',
      },
    });
  });
  afterAll(() => burst.close());

  it('keeps the sandbox from ever answering 429 under a burst of 301 calls', async () => {
    const { body } = await burst.gql<{ contacts: { nodes: unknown[] } }>(
      '{ contacts(first: 100) { nodes { id tasks { id } notes { id } appointments { id } } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.contacts.nodes).toHaveLength(100);
    const stats = burst.sandbox.stats();
    expect(stats.total).toBe(301);
    expect(stats.rateLimited).toBe(0);
    expect((body.extensions?.['cost'] as { waitedForBudgetMs: number }).waitedForBudgetMs).toBeGreaterThan(0);
  }, 30_000);
});

describe('a cold dashboard fanned out as wide as the budget allows', () => {
  it("costs 1 + 75 calls and never a 429 from GHL's 100 per 10 s", async () => {
    // GHL's real limit at the sandbox and the gateway's defaults: the 75 children go out together
    // (test/gateway/fan-out.test.ts counts the width), and not one more than the sandbox allows.
    const real = await startStack({ sandbox: { rateLimit: { max: 100, intervalMs: 10_000 } } });
    try {
      const { body } = await real.gql<{ contacts: { nodes: unknown[] } }>(
        '{ contacts(first: 25) { nodes { id tasks { id } notes { id } appointments { id } } } }',
      );
      expect(body.errors).toBeUndefined();
      expect(body.data?.contacts.nodes).toHaveLength(25);
      const stats = real.sandbox.stats();
      expect(stats.total).toBe(76);
      expect(stats.rateLimited).toBe(0);
      expect(body.extensions?.['cost']).toMatchObject({ upstreamCalls: 76 });
    } finally {
      await real.close();
    }
  });
});

describe('failing fast when the budget is spent', () => {
  it('calls that would wait past RATE_LIMIT_MAX_WAIT_MS fail at once as RATE_LIMITED with the delay', async () => {
    // The gateway is told 100 per minute, so the query (6 calls) is admitted; GHL (the sandbox)
    // allows only 4, and says so in its headers, as when another app spends the same location.
    const tight = await startStack({
      sandbox: { rateLimit: { max: 4, intervalMs: 60_000 } },
      env: { RATE_LIMIT_MAX: '100', RATE_LIMIT_INTERVAL_MS: '60000', RATE_LIMIT_MAX_WAIT_MS: '100' },
    });
    try {
      const { body } = await tight.gql<{ contacts: { nodes: Array<{ tasks: unknown[] | null }> } }>(
        '{ contacts(first: 5) { nodes { id tasks { id } } } }',
      );
      // 1 search + 3 task lists fit GHL's 4; the other 2 task lists are refused, never sent.
      const refused = body.errors ?? [];
      expect(refused).toHaveLength(2);
      for (const error of refused) {
        expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED' });
        expect(error.extensions?.['retryAfterMs']).toBeGreaterThan(50_000);
      }
      expect(body.data?.contacts.nodes.filter((n) => Array.isArray(n.tasks))).toHaveLength(3);
      expect(tight.sandbox.stats().total).toBe(4);
      expect(tight.sandbox.stats().rateLimited).toBe(0);
    } finally {
      await tight.close();
    }
  });
});

describe('cost before execution', () => {
  it('an operation over the limit is refused, with its price, before any upstream call', async () => {
    const { body } = await stack.gql(
      '{ contacts(first: 100) { nodes { tasks { id } notes { id } appointments { id } a: tasks(status: OVERDUE) { id } } } }',
    );
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', cost: 401, maxCost: 100 });
    expect(body.errors?.[0]?.message).toMatch(/401 GHL calls/);
    expect(stack.sandbox.stats().total).toBe(0);
  });

  it('the estimate follows variables, fragments and nesting', async () => {
    const { body } = await stack.gql(
      `query($n: Int) { contacts(first: $n) { nodes { ...Work } } }
       fragment Work on Contact { tasks { id } notes { id } }`,
      { n: 3 },
      freshToken(),
    );
    expect(body.extensions?.['cost']).toMatchObject({ estimatedCalls: 7, upstreamCalls: 7 });
  });

  it('depth and alias limits guard the rest', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: viewer { canRead }`).join(' ');
    const { body } = await stack.gql(`{ ${aliases} }`);
    expect(body.errors?.[0]?.message).toMatch(/alias/i);
    expect(stack.sandbox.stats().total).toBe(0);
  });
});
