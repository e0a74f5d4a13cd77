// Where GHL's truth is uncertain the sandbox takes the stricter reading, so that a client that
// works against it also works against GHL (src/sandbox/README.md lists each rule and its source):
// search records are not contacts by id; only documented sort fields are accepted; a task update
// needs title and dueDate; a due date is sent without milliseconds; DND settings carry RCS.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { commonSchema, responseSchemaFor, validate } from '../support/openapi.js';
import type { Schema } from '../support/openapi.js';
import { api } from './helpers.js';

const S = sandboxFixtures.sunrise;
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ rateLimit: 0 });
});
beforeEach(() => sb.reset());
afterAll(async () => {
  await sb.close();
});

type Json = Record<string, unknown>;

async function search(body: Json): Promise<{ status: number; body: Json & { contacts: Json[]; message: string[] } }> {
  const res = await api(sb, 'POST', '/contacts/search', {
    body: { locationId: S.locationId, pageLimit: 500, ...body },
  });
  return { status: res.status, body: res.body };
}

/** The spec's search response schema with its records closed: a key the spec does not name fails. */
function closedSearchSchema(): Schema {
  const schema = responseSchemaFor('search-contacts-advanced', 200);
  const contacts = (schema?.properties as Record<string, Schema>).contacts as Schema;
  return {
    ...schema,
    properties: {
      ...(schema?.properties as object),
      contacts: { ...contacts, items: { ...(contacts.items as Schema), additionalProperties: false } },
    },
  };
}

describe('POST /contacts/search records', () => {
  it('carry only fields the spec documents for a search record', async () => {
    const res = await search({});
    expect(res.status).toBe(200);
    expect(res.body.contacts.length).toBeGreaterThan(200);
    const extra = validate(closedSearchSchema(), res.body).filter((v) => v.keyword === 'additionalProperties');
    expect(extra).toEqual([]);
  });

  it('lack what only a contact by id has, though the contact has it', async () => {
    const byId = (await api(sb, 'GET', `/contacts/${S.richContactId}`)).body.contact as Json;
    const lacking = ['address1', 'name', 'website', 'timezone', 'lastActivity', 'dndSettings'];
    for (const field of lacking) expect(byId[field], `by id: ${field}`).toBeDefined();

    const res = await search({ filters: [{ field: 'id', operator: 'eq', value: S.richContactId }] });
    const [record] = res.body.contacts;
    expect(record).toBeDefined();
    for (const field of lacking) expect(record, field).not.toHaveProperty(field);
    // What search has instead: the street as `address`, lower-case names, a cursor.
    expect(record).toMatchObject({
      address: byId.address1,
      firstNameLowerCase: String(byId.firstName).toLowerCase(),
      lastNameLowerCase: String(byId.lastName).toLowerCase(),
      searchAfter: [Date.parse(String(byId.dateAdded)), S.richContactId],
    });
    for (const record of (await search({})).body.contacts) expect(record).not.toHaveProperty('dndSettings');
  });

  it('tags are lower case, also when written in capitals', async () => {
    await api(sb, 'POST', `/contacts/${S.bareContactId}/tags`, { body: { tags: ['Hot Lead', 'VIP'] } });
    const all = (await search({})).body.contacts;
    const tags = all.flatMap((c) => c.tags as string[]);
    expect(tags.length).toBeGreaterThan(100);
    expect(tags.filter((t) => t !== t.toLowerCase())).toEqual([]);
    expect(all.find((c) => c.id === S.bareContactId)?.tags).toEqual(expect.arrayContaining(['hot lead', 'vip']));
  });
});

describe('search sort fields', () => {
  const documented = ['dateAdded', 'dateUpdated', 'firstNameLowerCase', 'lastNameLowerCase', 'businessName', 'email'];

  it.each(documented)('sorts by the documented field %s', async (field) => {
    const res = await search({ pageLimit: 5, sort: [{ field, direction: 'asc' }] });
    expect(res.status).toBe(200);
    expect(res.body.contacts).toHaveLength(5);
  });

  it.each(['firstName', 'lastName', 'companyName', 'name', 'dateOfBirth'])(
    'refuses the undocumented field %s with a 422',
    async (field) => {
      const res = await search({
        pageLimit: 5,
        sort: [
          { field: 'dateAdded', direction: 'desc' },
          { field, direction: 'asc' },
        ],
      });
      expect(res.status).toBe(422);
      expect(validate(commonSchema('UnprocessableDTO'), res.body)).toEqual([]);
      expect(res.body.message).toEqual([`sort.1.field must be one of the following values: ${documented.join(', ')}`]);
    },
  );

  it('businessName sorts the contacts of a business first, by their company', async () => {
    const res = await search({ sort: [{ field: 'businessName', direction: 'asc' }] });
    const named = res.body.contacts.filter((c) => typeof c.businessName === 'string');
    expect(named.length).toBeGreaterThan(3);
    expect(res.body.contacts.slice(0, named.length)).toEqual(named);
  });
});

describe('GET /contacts/business/{businessId}', () => {
  it('answers {contacts, count}, as the spec says', async () => {
    const res = await api(sb, 'GET', `/contacts/business/${S.businessId}?locationId=${S.locationId}&limit=2`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['contacts', 'count']);
    expect(res.body.count).toBe(S.businessContactIds.length);
    expect(res.body.contacts).toHaveLength(2);
    expect(
      validate(responseSchemaFor({ method: 'GET', path: '/contacts/business/{businessId}' }, 200), res.body).filter(
        (v) => v.keyword !== 'type',
      ),
    ).toEqual([]);
  });
});

describe('task writes', () => {
  const base = `/contacts/${S.richContactId}/tasks`;
  const one = `${base}/${S.taskIds.pending}`;
  const unprocessable = commonSchema('UnprocessableDTO');

  async function refused(method: 'POST' | 'PUT', path: string, body: Json): Promise<string[]> {
    const res = await api(sb, method, path, { body });
    expect(res.status, res.text).toBe(422);
    expect(validate(unprocessable, res.body)).toEqual([]);
    return res.body.message as string[];
  }

  it('PUT without title or dueDate is refused, class-validator style, and changes nothing', async () => {
    const before = (await api(sb, 'GET', one)).body.task;
    expect(await refused('PUT', one, { body: 'new details' })).toEqual([
      'title should not be empty',
      'title must be a string',
      'dueDate should not be empty',
      'dueDate must be a valid ISO 8601 date string',
    ]);
    expect(await refused('PUT', one, { title: 'Only a title' })).toEqual([
      'dueDate should not be empty',
      'dueDate must be a valid ISO 8601 date string',
    ]);
    expect(await refused('PUT', one, { dueDate: '2031-01-02T10:00:00Z', completed: true })).toEqual([
      'title should not be empty',
      'title must be a string',
    ]);
    expect((await api(sb, 'GET', one)).body.task).toEqual(before);
  });

  it('PUT with both succeeds; the due date comes back as GHL returns it, with milliseconds', async () => {
    const res = await api(sb, 'PUT', one, { body: { title: 'Moved', dueDate: '2031-01-02T10:00:00+02:00' } });
    expect(res.status).toBe(200);
    expect(res.body.task).toMatchObject({ id: S.taskIds.pending, title: 'Moved', dueDate: '2031-01-02T08:00:00.000Z' });
  });

  it.each([
    ['PUT', one],
    ['POST', base],
  ] as const)('%s refuses a due date with milliseconds', async (method, path) => {
    const withMs = await api(sb, 'GET', one);
    const returned = withMs.body.task.dueDate as string;
    expect(returned).toMatch(/\.\d{3}Z$/);
    for (const dueDate of [returned, '2031-01-02T10:00:00.5+01:00']) {
      expect(await refused(method, path, { title: 'T', dueDate, completed: false })).toEqual([
        'dueDate must not have fractional seconds, e.g. 2020-10-25T11:00:00Z',
      ]);
    }
    const fine = await api(sb, method, path, {
      body: { title: 'T', dueDate: returned.replace(/\.\d{3}Z$/, 'Z'), completed: false },
    });
    expect(fine.status).toBe(method === 'POST' ? 201 : 200);
  });
});

describe('DND settings', () => {
  it('carry the RCS channel wherever seeded settings exist', async () => {
    const maria = (await api(sb, 'GET', `/contacts/${S.richContactId}`)).body.contact;
    expect(maria.dndSettings.RCS).toEqual({ status: 'inactive', message: '', code: '' });
    const page = (await api(sb, 'GET', `/contacts/?locationId=${S.locationId}&limit=100`)).body.contacts as Json[];
    const withSettings = page.filter((c) => c.dndSettings !== undefined);
    expect(withSettings.length).toBeGreaterThan(20);
    for (const c of withSettings) expect(c.dndSettings, String(c.id)).toHaveProperty('RCS');
  });

  it('ContactDndUpdate carries RCS, as GHL sends it (docs issue #264)', () => {
    const result = sb.simulate({
      action: 'updateContact',
      locationId: S.locationId,
      contactId: S.richContactId,
      changes: { dnd: true },
    });
    const event = result.webhooks.find((w) => w.type === 'ContactDndUpdate') as Json | undefined;
    expect(event?.dndSettings).toMatchObject({ RCS: { status: 'inactive' } });
  });
});
