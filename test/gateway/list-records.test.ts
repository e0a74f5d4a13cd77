// The gateway against the strict sandbox, which answers as GHL's stricter reading says
// (src/sandbox/README.md): list pages keep their own record shape, a field they lack is read by
// id and priced so, contactsByBusiness counts with `count`, and task writes send what GHL's PUT
// needs. Every claim is proved by counting calls at the sandbox.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

const { sunrise } = sandboxFixtures;
let stack: Stack;

beforeAll(async () => {
  // No shared cache: each request's calls are its own, so they can be counted exactly.
  stack = await startStack({ env: { UPSTREAM_BUDGET: 'off' } });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.sandbox.reset();
  stack.sandbox.resetStats();
});

interface Cost {
  estimatedCalls: number;
  upstreamCalls: number;
}
const costOf = (body: { extensions?: Record<string, unknown> }) => body.extensions?.['cost'] as Cost;
const calls = (route: string) => stack.sandbox.stats().byRoute[route] ?? 0;
const SEARCH = 'POST /contacts/search';
const BY_ID = 'GET /contacts/{contactId}';

const FULL = 'name address1 website timezone lastActivity dndSettings { channel status } attributionSource';

async function byId(id: string, fields = FULL): Promise<Record<string, unknown>> {
  const { body } = await stack.gql<{ contact: Record<string, unknown> }>(
    `query($id: ID!) { contact(id: $id) { id ${fields} } }`,
    { id },
  );
  expect(body.errors).toBeUndefined();
  stack.sandbox.resetStats();
  return body.data!.contact;
}

describe('a list page and contact(id) in one request', () => {
  it('contact(id) answers the full record, though the page listed the same contact', async () => {
    const expected = await byId(sunrise.richContactId);
    expect(expected).toMatchObject({
      website: expect.any(String),
      timezone: expect.any(String),
      lastActivity: expect.any(String),
    });
    expect(expected.dndSettings).toContainEqual({ channel: 'RCS', status: 'inactive' });

    const { body } = await stack.gql<{ contacts: { nodes: Array<{ id: string }> }; contact: Record<string, unknown> }>(
      `query($id: ID!) { contacts(first: 5, query: "Maria Alvarez") { nodes { id city } } contact(id: $id) { id ${FULL} } }`,
      { id: sunrise.richContactId },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.contacts.nodes.map((c) => c.id)).toContain(sunrise.richContactId);
    expect(body.data?.contact).toEqual(expected);
    expect(calls(SEARCH)).toBe(1);
    expect(calls(BY_ID)).toBe(1);
    expect(costOf(body)).toMatchObject({ estimatedCalls: 2, upstreamCalls: 2 });
  });
});

describe('fields a search record lacks', () => {
  it("cost nothing when not selected: name from first and last name, address1 from search's address", async () => {
    const { body } = await stack.gql<{ contacts: { nodes: Array<Record<string, unknown>> } }>(
      '{ contacts(first: 5, query: "Maria Alvarez") { nodes { id name address1 city email tags dnd dateAdded } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(costOf(body)).toMatchObject({ estimatedCalls: 1, upstreamCalls: 1 });
    const maria = body.data?.contacts.nodes.find((c) => c.id === sunrise.richContactId);
    const full = await byId(sunrise.richContactId);
    expect(maria).toMatchObject({ name: full.name, address1: full.address1 });
    expect(maria?.address1).toEqual(expect.any(String));
  });

  it.each([
    'website',
    'timezone',
    'lastActivity',
    'dndSettings { channel status }',
    'attributionSource',
    'website timezone dndSettings { channel }',
  ])('selected on a page (%s), they are read by id: one call per contact, and the estimate says so', async (fields) => {
    const { body } = await stack.gql<{ contacts: { nodes: Array<Record<string, unknown>> } }>(
      `{ contacts(first: 7) { nodes { id ${fields} } } }`,
    );
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.contacts.nodes;
    expect(nodes).toHaveLength(7);
    expect(calls(SEARCH)).toBe(1);
    expect(calls(BY_ID)).toBe(7);
    expect(costOf(body)).toMatchObject({ estimatedCalls: 8, upstreamCalls: 8 });
    const [first] = nodes;
    expect(first).toEqual(await byId(String(first?.id), fields));
  });

  it("the page values are the contacts' own, never a silent null", async () => {
    const { body } = await stack.gql<{
      contacts: { nodes: Array<{ id: string; website: string | null; dndSettings: unknown[] }> };
    }>('{ contacts(first: 20, query: "Maria Alvarez") { nodes { id website dndSettings { channel status } } } }');
    const maria = body.data?.contacts.nodes.find((c) => c.id === sunrise.richContactId);
    expect(maria?.website).toBe((await byId(sunrise.richContactId)).website);
    expect(maria?.dndSettings).toHaveLength(7);
  });

  it('contact(id) of a listed contact adds no call to the by-id reads of the page', async () => {
    const { body } = await stack.gql<{ contacts: { nodes: Array<{ id: string }> } }>(
      `query($id: ID!) { contacts(first: 5, query: "Maria Alvarez") { nodes { id timezone } } contact(id: $id) { website } }`,
      { id: sunrise.richContactId },
    );
    expect(body.errors).toBeUndefined();
    const n = body.data!.contacts.nodes.length;
    expect(calls(BY_ID)).toBe(n);
    // The estimate is an upper bound: it counts contact(id) apart.
    expect(costOf(body)).toMatchObject({ estimatedCalls: 1 + 5 + 1, upstreamCalls: 1 + n });
  });

  it("one failing read by id nulls that contact's fields alone; the rest of the page arrives", async () => {
    stack.sandbox.setFaults([{ kind: 'error500', route: 'GET /contacts/{contactId}', count: 1 }]);
    const { body } = await stack.gql<{
      contacts: { nodes: Array<{ id: string; website: string | null; dndSettings: unknown[] | null }> };
    }>('{ contacts(first: 4) { nodes { id website dndSettings { channel } } } }');
    stack.sandbox.setFaults([]);
    const nodes = body.data?.contacts.nodes ?? [];
    expect(nodes).toHaveLength(4);
    const failed = nodes.filter((c) => c.dndSettings === null);
    expect(failed).toHaveLength(1);
    expect(nodes.filter((c) => c.dndSettings !== null)).toHaveLength(3);
    expect(body.errors?.map((e) => e.extensions?.['code'])).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);
    expect(body.errors?.map((e) => e.path?.slice(0, 3))).toEqual(
      Array(2).fill(['contacts', 'nodes', nodes.indexOf(failed[0]!)]),
    );
  });

  it('the by-id reads count toward the cost limit', async () => {
    const { body } = await stack.gql(
      '{ contacts(first: 100) { nodes { website tasks { id } notes { id } appointments { id } } } }',
    );
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', cost: 401 });
    expect(stack.sandbox.stats().total).toBe(0);
  });

  it('contactSync prices them per page too', async () => {
    const { body } = await stack.gql('{ contactSync(first: 3) { contacts { id timezone } } }');
    expect(body.errors).toBeUndefined();
    expect(costOf(body)).toMatchObject({ estimatedCalls: 4, upstreamCalls: 4 });
  });
});

describe('sorting and counting as GHL documents', () => {
  it('FIRST_NAME sorts by firstNameLowerCase, the field GHL documents (firstName is refused)', async () => {
    const { body } = await stack.gql<{ contacts: { nodes: Array<{ firstName: string | null }> } }>(
      '{ contacts(first: 50, sort: { field: FIRST_NAME, direction: ASC }) { nodes { firstName } } }',
    );
    expect(body.errors).toBeUndefined();
    const names = body.data!.contacts.nodes.map((c) => (c.firstName ?? '').toLowerCase());
    expect(names).toEqual([...names].sort());
    expect(calls(SEARCH)).toBe(1);
  });

  it("contactsByBusiness.totalCount is GHL's count", async () => {
    const query = `query($b: ID!, $after: String) {
      contactsByBusiness(businessId: $b, first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id name } }
    }`;
    type Page = {
      contactsByBusiness: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        nodes: Array<{ id: string }>;
      };
    };
    const first = (await stack.gql<Page>(query, { b: sunrise.businessId })).body.data!.contactsByBusiness;
    expect(first).toMatchObject({ totalCount: sunrise.businessContactIds.length, pageInfo: { hasNextPage: true } });
    const second = (await stack.gql<Page>(query, { b: sunrise.businessId, after: first.pageInfo.endCursor })).body.data!
      .contactsByBusiness;
    expect(second).toMatchObject({ totalCount: sunrise.businessContactIds.length, pageInfo: { hasNextPage: false } });
    expect(new Set([...first.nodes, ...second.nodes].map((c) => c.id))).toEqual(new Set(sunrise.businessContactIds));
    expect(calls('GET /contacts/business/{businessId}')).toBe(2);
    expect(calls(BY_ID)).toBe(0);
  });
});

describe('task writes against the strict sandbox', () => {
  const UPDATE = `mutation($c: ID!, $t: ID!, $input: UpdateTaskInput!) {
    updateTask(contactId: $c, taskId: $t, input: $input) { task { id title dueDate body } }
  }`;
  type Updated = { updateTask: { task: { id: string; title: string; dueDate: string; body: string | null } } };
  const TASK = 'GET /contacts/{contactId}/tasks/{taskId}';
  const PUT = 'PUT /contacts/{contactId}/tasks/{taskId}';

  it('updateTask with a title only reads the task first and keeps its due date: 2 calls, estimated 2', async () => {
    const before = await stack.sandbox.simulate({
      action: 'createTask',
      locationId: sunrise.locationId,
      contactId: sunrise.richContactId,
      task: { title: 'Old', dueDate: '2031-02-03T04:05:06Z' },
    });
    const taskId = String((before as { task: { id: string } }).task.id);
    stack.sandbox.resetStats();
    const { body } = await stack.gql<Updated>(
      UPDATE,
      { c: sunrise.richContactId, t: taskId, input: { title: 'New title' } },
      stack.readWrite,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.updateTask.task).toMatchObject({
      id: taskId,
      title: 'New title',
      dueDate: '2031-02-03T04:05:06.000Z',
    });
    expect(calls(TASK)).toBe(1);
    expect(calls(PUT)).toBe(1);
    expect(costOf(body)).toMatchObject({ estimatedCalls: 2, upstreamCalls: 2 });
  });

  it('updateTask with title and dueDate sends them as they are, milliseconds dropped: 1 call, estimated 1', async () => {
    const { body } = await stack.gql<Updated>(
      `mutation($c: ID!, $t: ID!) { updateTask(contactId: $c, taskId: $t, input: { title: "Both", dueDate: "2031-03-04T05:06:07.890+01:00" }) { task { title dueDate } } }`,
      { c: sunrise.richContactId, t: sunrise.taskIds.pending },
      stack.readWrite,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.updateTask.task).toMatchObject({ title: 'Both', dueDate: '2031-03-04T04:06:07.000Z' });
    expect(calls(TASK)).toBe(0);
    expect(costOf(body)).toMatchObject({ estimatedCalls: 1, upstreamCalls: 1 });
  });

  it('updateTask with a due date only keeps the title', async () => {
    const { body } = await stack.gql<Updated>(
      UPDATE,
      {
        c: sunrise.richContactId,
        t: sunrise.taskIds.pending,
        input: { dueDate: '2032-01-01T00:00:00Z', body: 'Bring the keys' },
      },
      stack.readWrite,
    );
    expect(body.errors).toBeUndefined();
    expect(calls(TASK)).toBe(1);
    expect(body.data?.updateTask.task).toMatchObject({
      dueDate: '2032-01-01T00:00:00.000Z',
      body: 'Bring the keys',
      title: expect.any(String),
    });
    expect(body.data?.updateTask.task.title.length).toBeGreaterThan(0);
  });

  it('updateTask of a task GHL does not have is NOT_FOUND, and nothing is written', async () => {
    const { body } = await stack.gql(
      UPDATE,
      { c: sunrise.richContactId, t: 'AAAAAAAAAAAAAAAAAAAA', input: { title: 'x' } },
      stack.readWrite,
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect(calls(TASK)).toBe(1);
    expect(calls(PUT)).toBe(0);
  });

  it('createTask drops milliseconds, which the strict sandbox refuses', async () => {
    const { body } = await stack.gql<{ createTask: { task: { dueDate: string } } }>(
      `mutation($c: ID!) { createTask(contactId: $c, input: { title: "Ms", dueDate: "2031-05-01T09:00:00.123Z" }) { task { dueDate } } }`,
      { c: sunrise.bareContactId },
      stack.readWrite,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.createTask.task.dueDate).toBe('2031-05-01T09:00:00.000Z');
  });
});
