// What GHL answers that cannot be read is a typed error on the field that needed it, never a
// crash of the response, and never cached: counted at the sandbox, the second identical request
// calls GHL again. With the whole budget on (cache, coalescing, retries), as in production.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { mintSandboxToken } from '../../src/sandbox/tokens.js';
import { startStack, type Stack } from '../support/stack.js';

const { sunrise } = sandboxFixtures;
let stack: Stack;
let token: string;

beforeAll(async () => {
  // Retries stay on, only quicker: a failing search is retried before it fails the field.
  stack = await startStack({ env: { RETRY_BASE_DELAY_MS: '1', RETRY_MAX_DELAY_MS: '10' } });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.sandbox.setFaults([]);
  stack.sandbox.resetStats();
  // A token of its own per test: the shared cache is keyed by token, so no test sees another's entries.
  token = mintSandboxToken({ locationId: sunrise.locationId, scopes: ['contacts.readonly'], tokenId: randomUUID() });
});

const calls = (route: string) => stack.sandbox.stats().byRoute[route] ?? 0;

describe('an unreadable 2xx is a typed error and is not cached', () => {
  it.each([
    ['malformedJson', 'not_json'],
    ['badShape', 'bad_shape'],
    ['emptyBody', 'empty'],
    ['deepJson', 'too_deep'],
  ] as const)(
    '%s on GET /contacts/{id}: UPSTREAM_BAD_RESPONSE on contact alone; the next request asks GHL again',
    async (kind, reason) => {
      stack.sandbox.setFaults([{ kind, route: 'GET /contacts/{contactId}', count: 1 }]);
      const query = `{ viewer { locationId } contact(id: "${sunrise.richContactId}") { id name } }`;

      const first = await stack.gql<{ viewer: { locationId: string }; contact: unknown }>(query, undefined, token);
      expect(first.status).toBe(200);
      expect(first.body.data).toEqual({ viewer: { locationId: sunrise.locationId }, contact: null });
      expect(first.body.errors).toHaveLength(1);
      expect(first.body.errors?.[0]).toMatchObject({
        path: ['contact'],
        extensions: { code: 'UPSTREAM_BAD_RESPONSE', reason },
      });
      expect(calls('GET /contacts/{contactId}')).toBe(1);

      const second = await stack.gql<{ contact: { id: string } | null }>(query, undefined, token);
      expect(second.body.errors).toBeUndefined();
      expect(second.body.data?.contact?.id).toBe(sunrise.richContactId);
      expect(calls('GET /contacts/{contactId}')).toBe(2);

      // Now readable, it is cached: a third request costs nothing.
      await stack.gql(query, undefined, token);
      expect(calls('GET /contacts/{contactId}')).toBe(2);
    },
  );

  it("a contact's notes nested 10,000 levels deep null that contact's notes alone, and are not cached", async () => {
    stack.sandbox.setFaults([{ kind: 'deepJson', route: 'GET /contacts/{contactId}/notes', count: 1 }]);
    const query = `{ contact(id: "${sunrise.richContactId}") { id tasks { id } notes { id } appointments { id } } }`;
    type Shape = {
      contact: { id: string; tasks: unknown[] | null; notes: unknown[] | null; appointments: unknown[] | null };
    };

    const first = await stack.gql<Shape>(query, undefined, token);
    expect(first.body.errors?.map((e) => [e.path, e.extensions?.['code'], e.extensions?.['reason']])).toEqual([
      [['contact', 'notes'], 'UPSTREAM_BAD_RESPONSE', 'too_deep'],
    ]);
    expect(first.body.data?.contact.notes).toBeNull();
    expect(first.body.data?.contact.tasks).toHaveLength(3);
    expect(first.body.data?.contact.appointments).toHaveLength(3);

    const second = await stack.gql<Shape>(query, undefined, token);
    expect(second.body.errors).toBeUndefined();
    expect(second.body.data?.contact.notes).toHaveLength(2);
    // The deep reply was not cached; the readable ones were.
    expect(calls('GET /contacts/{contactId}/notes')).toBe(2);
    expect(calls('GET /contacts/{contactId}/tasks')).toBe(1);
    expect(calls('GET /contacts/{contactId}/appointments')).toBe(1);
  });
});

describe('Query.contacts failing does not take the rest of data with it', () => {
  it.each([
    ['deepJson', 'UPSTREAM_BAD_RESPONSE'],
    ['error500', 'UPSTREAM_UNAVAILABLE'],
  ] as const)('a search answered with %s nulls contacts alone; viewer arrives', async (kind, code) => {
    // Every attempt fails, retries included.
    stack.sandbox.setFaults([{ kind, route: 'POST /contacts/search' }]);
    const { status, body } = await stack.gql(
      '{ viewer { locationId canRead } contacts(first: 3) { totalCount nodes { id } } }',
      undefined,
      token,
    );
    expect(status).toBe(200);
    expect(body.data).toEqual({ viewer: { locationId: sunrise.locationId, canRead: true }, contacts: null });
    expect(body.errors?.map((e) => [e.path, e.extensions?.['code']])).toEqual([[['contacts'], code]]);
  });

  it('contactsByBusiness likewise', async () => {
    stack.sandbox.setFaults([{ kind: 'badShape', route: 'GET /contacts/business/{businessId}' }]);
    const { body } = await stack.gql(
      `{ viewer { locationId } contactsByBusiness(businessId: "${sunrise.businessId}") { nodes { id } } }`,
      undefined,
      token,
    );
    expect(body.data).toEqual({ viewer: { locationId: sunrise.locationId }, contactsByBusiness: null });
    expect(body.errors?.map((e) => [e.path, e.extensions?.['code']])).toEqual([
      [['contactsByBusiness'], 'UPSTREAM_BAD_RESPONSE'],
    ]);
  });
});
