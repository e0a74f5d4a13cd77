// Scope gating twice: the read-only caller's schema has no mutations at all, and every write
// field checks the scope again before any upstream call.
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { mintSandboxToken } from '../../src/sandbox/tokens.js';
import { startStack, type Stack } from '../support/stack.js';

const { sunrise, harbor } = sandboxFixtures;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.resetStats());

interface Introspection {
  __schema: { mutationType: { name: string } | null; types: Array<{ name: string }> };
}

describe('schema variants', () => {
  it('a read-only token sees no Mutation type and no write-only types', async () => {
    const { body } = await stack.gql<Introspection>(getIntrospectionQuery(), {}, stack.readOnly);
    expect(body.errors).toBeUndefined();
    expect(body.data?.__schema.mutationType).toBeNull();
    const names = body.data?.__schema.types.map((t) => t.name) ?? [];
    expect(names).toContain('Contact');
    for (const writeOnly of ['TaskPayload', 'CreateTaskInput', 'ContactUpdateInput', 'DeletePayload', 'TagsPayload']) {
      expect(names).not.toContain(writeOnly);
    }
    expect(stack.sandbox.stats().total).toBe(0);
  });

  it('a read-write token sees the mutations', async () => {
    const { body } = await stack.gql<{ __schema: { mutationType: { fields: Array<{ name: string }> } } }>(
      '{ __schema { mutationType { fields { name } } } }',
      {},
      stack.readWrite,
    );
    const fields = body.data?.__schema.mutationType.fields.map((f) => f.name).sort();
    expect(fields).toEqual(
      [
        'addContactTags',
        'completeTask',
        'createContact',
        'createNote',
        'createTask',
        'deleteContact',
        'deleteNote',
        'deleteTask',
        'removeContactTags',
        'reopenTask',
        'updateContact',
        'updateNote',
        'updateTask',
      ].sort(),
    );
  });

  it('a read-only token cannot run a mutation, and nothing reaches GHL', async () => {
    const { body } = await stack.gql(
      `mutation { createTask(contactId: "${sunrise.richContactId}", input: { title: "x", dueDate: "2030-01-01T00:00:00Z" }) { task { id } } }`,
      {},
      stack.readOnly,
    );
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.message).toMatch(/mutation/i);
    expect(stack.sandbox.stats().total).toBe(0);
  });

  it('the write check runs again in the resolver: a schema that has the field still refuses', async () => {
    // A token that claims contacts.write but not contacts.readonly gets the write schema; its
    // read fields are refused by scope-auth before any call.
    const writeOnly = mintSandboxToken({
      locationId: sunrise.locationId,
      scopes: ['contacts.write'],
      expiresInSeconds: 3600,
    });
    const { body } = await stack.gql(
      `query($id: ID!) { contact(id: $id) { id } }`,
      { id: sunrise.richContactId },
      writeOnly,
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(stack.sandbox.stats().total).toBe(0);
  });

  it('viewer reports location, scopes and whether writes are available', async () => {
    const q = '{ viewer { locationId canRead canWrite tokenKind scopes } }';
    const ro = await stack.gql<{ viewer: Record<string, unknown> }>(q, {}, stack.readOnly);
    expect(ro.body.data?.viewer).toMatchObject({
      locationId: sunrise.locationId,
      canRead: true,
      canWrite: false,
      tokenKind: 'oauth-jwt',
    });
    const rw = await stack.gql<{ viewer: Record<string, unknown> }>(q, {}, stack.readWrite);
    expect(rw.body.data?.viewer).toMatchObject({ canRead: true, canWrite: true });
  });
});

describe('authentication', () => {
  it.each([
    ['no Authorization header', null, {}],
    ['a Basic header', null, { authorization: 'Basic dXNlcjpwYXNz' }],
    ['a token with spaces', 'not a token', {}],
    ['a JWT whose payload is not JSON', 'eyJhbGciOiJIUzI1NiJ9.bm90LWpzb24.c2ln', {}],
  ])('%s gets HTTP 401 with a clear error and no upstream call', async (_name, token, headers) => {
    const { status, body } = await stack.gql(
      '{ viewer { locationId } }',
      {},
      token as string | null,
      headers as Record<string, string>,
    );
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toMatch(/Authorization|token/i);
    expect(stack.sandbox.stats().total).toBe(0);
  });

  it('an expired token is refused before any upstream call', async () => {
    const expired = mintSandboxToken({
      locationId: sunrise.locationId,
      scopes: ['contacts.readonly'],
      expiresInSeconds: -60,
    });
    const { status, body } = await stack.gql('{ viewer { locationId } }', {}, expired);
    expect(status).toBe(401);
    expect(body.errors?.[0]?.message).toMatch(/expired/);
    expect(stack.sandbox.stats().total).toBe(0);
  });

  it('an opaque private integration token is read-only by default and works with the location header', async () => {
    const pit = stack.sandbox.tokens[0]!.privateIntegration;
    const { body } = await stack.gql<{
      viewer: { canWrite: boolean; tokenKind: string };
      contact: { id: string } | null;
    }>(
      `query($id: ID!) { viewer { canWrite tokenKind locationId } contact(id: $id) { id } }`,
      { id: sunrise.richContactId },
      pit,
      { 'x-ghl-location-id': sunrise.locationId },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.viewer).toMatchObject({ canWrite: false, tokenKind: 'opaque' });
    expect(body.data?.contact?.id).toBe(sunrise.richContactId);
  });

  it("another location's contact is FORBIDDEN, decided by GHL", async () => {
    const { body } = await stack.gql(
      `query($id: ID!) { contact(id: $id) { id } }`,
      { id: harbor.richContactId },
      stack.readOnly,
    );
    expect(body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(JSON.stringify(body)).not.toContain(stack.readOnly);
  });
});
