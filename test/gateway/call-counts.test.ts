// Batching and dedupe, proved by counting calls at the sandbox (never by timing).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

const { sunrise } = sandboxFixtures;
let stack: Stack;

beforeAll(async () => {
  // The shared cache would serve repeats across these tests; what is measured here is what the
  // per-request loaders alone make of a query (test/gateway/budget.test.ts covers the cache).
  stack = await startStack({ env: { UPSTREAM_BUDGET: 'off' } });
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.resetStats());

const PAGE = `query Page($first: Int!) {
  contacts(first: $first) {
    nodes { id name tasks { id status } notes { id body } appointments { id startTime } }
  }
}`;

describe('upstream calls per query', () => {
  it.each([1, 5, 25])('a page of %i contacts with tasks, notes and appointments costs 1 + 3N calls', async (n) => {
    const { body } = await stack.gql<{ contacts: { nodes: unknown[] } }>(PAGE, { first: n });
    expect(body.errors).toBeUndefined();
    expect(body.data?.contacts.nodes).toHaveLength(n);
    const stats = stack.sandbox.stats();
    expect(stats.byRoute['POST /contacts/search']).toBe(1);
    expect(stats.byRoute['GET /contacts/{contactId}/tasks']).toBe(n);
    expect(stats.byRoute['GET /contacts/{contactId}/notes']).toBe(n);
    expect(stats.byRoute['GET /contacts/{contactId}/appointments']).toBe(n);
    expect(stats.byRoute['GET /contacts/{contactId}'] ?? 0).toBe(0);
    expect(stats.total).toBe(1 + 3 * n);
  });

  it('the same contact asked twice through aliases costs one call per resource', async () => {
    const { body } = await stack.gql(
      `query Twice($id: ID!) {
        a: contact(id: $id) { id name tasks { id } }
        b: contact(id: $id) { email notes { id } tasks(status: OVERDUE) { id } }
        c: contact(id: $id) { appointments { id } notes { body } }
      }`,
      { id: sunrise.richContactId },
    );
    expect(body.errors).toBeUndefined();
    const stats = stack.sandbox.stats();
    expect(stats.byRoute['GET /contacts/{contactId}']).toBe(1);
    expect(stats.byRoute['GET /contacts/{contactId}/tasks']).toBe(1);
    expect(stats.byRoute['GET /contacts/{contactId}/notes']).toBe(1);
    expect(stats.byRoute['GET /contacts/{contactId}/appointments']).toBe(1);
    expect(stats.total).toBe(4);
  });

  it('each request gets fresh loaders: the same query twice costs twice', async () => {
    await stack.gql(`query($id: ID!) { contact(id: $id) { id } }`, { id: sunrise.richContactId });
    await stack.gql(`query($id: ID!) { contact(id: $id) { id } }`, { id: sunrise.richContactId });
    expect(stack.sandbox.stats().byRoute['GET /contacts/{contactId}']).toBe(2);
  });

  it('contacts by business cost one call plus the children asked for', async () => {
    const { body } = await stack.gql<{ contactsByBusiness: { nodes: Array<{ id: string }> } }>(
      `query($b: ID!) { contactsByBusiness(businessId: $b, first: 10) { nodes { id tasks { id } } } }`,
      { b: sunrise.businessId },
    );
    expect(body.errors).toBeUndefined();
    const ids = body.data?.contactsByBusiness.nodes.map((c) => c.id) ?? [];
    expect(new Set(ids)).toEqual(new Set(sunrise.businessContactIds));
    expect(stack.sandbox.stats().total).toBe(1 + ids.length);
  });
});
