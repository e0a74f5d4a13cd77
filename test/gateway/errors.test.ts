// Typed, masked errors and partial data: one failing field never takes the page down, and no
// token, stack or upstream URL reaches a response.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

const { sunrise } = sandboxFixtures;
let stack: Stack;

beforeAll(async () => {
  // Without the budget's retries, so that each injected fault reaches the resolver as it is
  // (test/gateway/budget.test.ts shows the retries absorbing them).
  stack = await startStack({
    env: { UPSTREAM_BUDGET: 'off', GHL_HEADERS_TIMEOUT_MS: '400', GHL_REQUEST_TIMEOUT_MS: '1500' },
  });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.sandbox.setFaults([]);
  stack.sandbox.resetStats();
});

function codes(body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) {
  return (body.errors ?? []).map((e) => e.extensions?.['code']);
}

describe('partial data', () => {
  it("one contact's failing notes call errors that field only; the rest of the page arrives", async () => {
    stack.sandbox.setFaults([{ kind: 'error500', route: 'GET /contacts/{contactId}/notes', count: 1 }]);
    const { status, body } = await stack.gql<{
      contacts: { nodes: Array<{ id: string; notes: unknown[] | null; tasks: unknown[] }> };
    }>('{ contacts(first: 5) { nodes { id tasks { id } notes { id } } } }');
    expect(status).toBe(200);
    const nodes = body.data?.contacts.nodes ?? [];
    expect(nodes).toHaveLength(5);
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UPSTREAM_UNAVAILABLE');
    expect(body.errors?.[0]?.path?.slice(0, 2)).toEqual(['contacts', 'nodes']);
    expect(body.errors?.[0]?.path?.at(-1)).toBe('notes');
    // Only that contact's notes are null; every contact and every other list arrived.
    expect(nodes.filter((n) => n.notes === null)).toHaveLength(1);
    expect(nodes.filter((n) => Array.isArray(n.notes))).toHaveLength(4);
    expect(nodes.every((n) => Array.isArray(n.tasks))).toBe(true);
  });
});

describe('error codes', () => {
  it('a missing contact is null with no error', async () => {
    const { body } = await stack.gql('{ contact(id: "NoSuchContact0000000") { id } }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ contact: null });
  });

  it.each([['../locations/x'], [''], ['x'.repeat(10_000)], ['abc?locationId=other']])(
    'a bad id %#  is BAD_USER_INPUT and never reaches GHL',
    async (id) => {
      const { body } = await stack.gql('query($id: ID!) { contact(id: $id) { id } }', { id });
      expect(codes(body)).toEqual(['BAD_USER_INPUT']);
      // Named as the caller typed it (`id`), not as GHL calls it (`contactId`).
      expect(body.errors?.[0]?.extensions?.['field']).toBe('id');
      expect(body.errors?.[0]?.message).toMatch(/^id /);
      expect(stack.sandbox.stats().total).toBe(0);
    },
  );

  it('first out of range is BAD_USER_INPUT naming the argument', async () => {
    const { body } = await stack.gql('{ contacts(first: 1000) { nodes { id } } }');
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(stack.sandbox.stats().total).toBe(0);
  });

  it('a forged cursor is BAD_USER_INPUT', async () => {
    const { body } = await stack.gql('{ contacts(first: 5, after: "bm9wZQ") { nodes { id } } }');
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('GHL rate limiting is RATE_LIMITED with the retry delay', async () => {
    stack.sandbox.setFaults([{ kind: 'rate429', route: 'GET /contacts/{contactId}', retryAfterSeconds: 7 }]);
    const { body } = await stack.gql(`{ contact(id: "${sunrise.richContactId}") { id } }`);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 7000 });
  });

  it.each([
    ['error500', 'UPSTREAM_UNAVAILABLE'],
    ['hang', 'UPSTREAM_UNAVAILABLE'],
    ['malformedJson', 'UPSTREAM_BAD_RESPONSE'],
    ['badShape', 'UPSTREAM_BAD_RESPONSE'],
  ] as const)('an upstream %s is %s', async (kind, code) => {
    stack.sandbox.setFaults([{ kind, route: 'GET /contacts/{contactId}' }]);
    const { body } = await stack.gql(`{ contact(id: "${sunrise.richContactId}") { id } }`);
    expect(codes(body)).toEqual([code]);
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/stack|127\.0\.0\.1|undici|Bearer/i);
    expect(text).not.toContain(stack.readOnly);
  });

  it("a typo in a field name gets graphql-js's suggestion, unmasked", async () => {
    const { status, body } = await stack.gql('{ contacts(first: 1) { nodes { emial } } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/Cannot query field "emial" on type "Contact". Did you mean "email"/);
  });

  it('no token ever appears in the logs', async () => {
    stack.sandbox.setFaults([{ kind: 'error500', route: 'GET /contacts/{contactId}' }]);
    await stack.gql(`{ contact(id: "${sunrise.richContactId}") { id } }`, {}, stack.readWrite);
    const logs = stack.logs.join('\n');
    expect(logs).not.toContain(stack.readOnly);
    expect(logs).not.toContain(stack.readWrite);
  });
});
