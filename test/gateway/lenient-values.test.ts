// Every scalar is lenient on the way out: a date GHL sent that cannot be read is null, with the
// value as sent in its …Raw companion, and never an error; the rest of the record arrives.
import { afterEach, describe, expect, it } from 'vitest';
import { gatewaySchemas } from '../../src/schema/index.js';
import { createFakeGhl, FAKE_CONTACT } from './fake-ghl.js';
import { selectAll } from './select-all.js';

const ghl = createFakeGhl();
afterEach(() => ghl.reset());

const CONTACT = `query($id: ID!) { contact(id: $id) {
  id email dateOfBirth dateOfBirthRaw dateAdded dateAddedRaw dateUpdated dateUpdatedRaw lastActivity lastActivityRaw followers
  tasks { id dueDate dueDateRaw status } notes { id dateAdded dateAddedRaw }
  appointments { id startTime startTimeRaw endTime endTimeRaw dateAdded dateAddedRaw dateUpdated dateUpdatedRaw }
} }`;

async function contactWith(record: Record<string, unknown>) {
  ghl.answer({ 'contacts.get': { body: { contact: { id: FAKE_CONTACT, email: 'a@example.com', ...record } } } });
  const { status, body } = await ghl.query(CONTACT, { id: FAKE_CONTACT });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return (body.data as { contact: Record<string, unknown> }).contact;
}

describe('dates GHL sent that cannot be read', () => {
  it.each([
    ["the spec's own example", 'Date format YYYY-MM-DD'],
    ['an empty string', ''],
    ['a day that does not exist', '02/31/1990'],
    ['a month that does not exist', '1990-13-01'],
    ['text', 'N/A'],
  ])('dateOfBirth as %s is null, kept raw', async (_label, value) => {
    const contact = await contactWith({ dateOfBirth: value });
    expect(contact).toMatchObject({ dateOfBirth: null, dateOfBirthRaw: value, email: 'a@example.com' });
  });

  it.each([
    ['text', 'N/A', 'N/A'],
    ['epoch seconds (GHL documents milliseconds)', 1_700_000_000, '1700000000'],
    ['a time without a date', '11:00', '11:00'],
    ['an impossible time', '2021-07-16T25:61:00Z', '2021-07-16T25:61:00Z'],
  ])('lastActivity, dateAdded and dateUpdated as %s are null, kept raw', async (_label, value, raw) => {
    const contact = await contactWith({ lastActivity: value, dateAdded: value, dateUpdated: value });
    expect(contact).toMatchObject({
      lastActivity: null,
      lastActivityRaw: raw,
      dateAdded: null,
      dateAddedRaw: raw,
      dateUpdated: null,
      dateUpdatedRaw: raw,
    });
  });

  it("a task's, a note's and an appointment's unreadable dates are null and raw; the records arrive", async () => {
    ghl.answer({
      'tasks.list': { body: { tasks: [{ id: 'Tbad0000000000000001', dueDate: 'tomorrow-ish', completed: false }] } },
      'notes.list': { body: { notes: [{ id: 'Nbad0000000000000001', dateAdded: { $date: 1 } }] } },
      'appointments.list': {
        body: {
          events: [
            {
              id: 'Abad0000000000000001',
              startTime: '2021-07-16 11:00:00',
              endTime: 'soon',
              dateAdded: '',
              dateUpdated: 'x',
            },
          ],
        },
      },
    });
    const { body } = await ghl.query(CONTACT, { id: FAKE_CONTACT });
    expect(body.errors).toBeUndefined();
    const contact = (body.data as { contact: Record<string, unknown> }).contact;
    expect(contact['tasks']).toEqual([
      { id: 'Tbad0000000000000001', dueDate: null, dueDateRaw: 'tomorrow-ish', status: 'PENDING' },
    ]);
    // An object where a string belongs is not kept: the raw companions are strings.
    expect(contact['notes']).toEqual([{ id: 'Nbad0000000000000001', dateAdded: null, dateAddedRaw: null }]);
    expect(contact['appointments']).toEqual([
      {
        id: 'Abad0000000000000001',
        startTime: '2021-07-16T11:00:00.000Z',
        startTimeRaw: '2021-07-16 11:00:00',
        endTime: null,
        endTimeRaw: 'soon',
        dateAdded: null,
        dateAddedRaw: '',
        dateUpdated: null,
        dateUpdatedRaw: 'x',
      },
    ]);
  });
});

describe('dates GHL sent that can be read', () => {
  it.each([
    ['1990/07/04'],
    ['07/04/1990'],
    ['1990-07-04'],
    ['07-04-1990'],
    ['1990.07.04'],
    ['07.04.1990'],
    ['1990_07_04'],
    ['07_04_1990'],
    ['1990-07-04T00:00:00.000Z'],
  ])('dateOfBirth %s is 1990-07-04', async (value) => {
    const contact = await contactWith({ dateOfBirth: value });
    expect(contact).toMatchObject({ dateOfBirth: '1990-07-04', dateOfBirthRaw: value });
  });

  it.each([
    ['2021-07-16T11:39:30.564Z', '2021-07-16T11:39:30.564Z'],
    ['2021-07-16 11:00:00', '2021-07-16T11:00:00.000Z'],
    ['2021-07-16T13:00:00+02:00', '2021-07-16T11:00:00.000Z'],
    [1_626_435_570_564, '2021-07-16T11:39:30.564Z'],
    ['1626435570564', '2021-07-16T11:39:30.564Z'],
  ])('lastActivity %s is %s', async (value, iso) => {
    const contact = await contactWith({ lastActivity: value });
    expect(contact).toMatchObject({ lastActivity: iso, lastActivityRaw: String(value) });
  });
});

describe('counts GraphQL cannot represent', () => {
  it.each([
    [1.5, null],
    [1e12, null],
    [-3, null],
    ['12', 12],
    ['many', null],
    [12, 12],
  ])('total %s is totalCount %s', async (total, expected) => {
    ghl.answer({ 'contacts.search': { body: { contacts: [{ id: FAKE_CONTACT }], total } } });
    const { body } = await ghl.query('{ contacts(first: 1) { totalCount nodes { id } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ contacts: { totalCount: expected, nodes: [{ id: FAKE_CONTACT }] } });
  });
});

describe('the whole schema over one loose contact', () => {
  it('every field of every type, selected at once, arrives without an error', async () => {
    const loose = {
      id: FAKE_CONTACT,
      dateOfBirth: 'Date format YYYY-MM-DD',
      lastActivity: 'N/A',
      dateAdded: 1_700_000_000,
      followers: 'Uone0000000000000001',
      tags: 'solo-tag',
      dnd: 'maybe',
      customFields: [{ id: 'F1', value: { nested: [1, 2, { deeper: true }] } }, { value: 'no id' }],
      attributionSource: { url: 'Trigger Link', extra: [[[]]] },
      unknownField: { from: 'a newer GHL' },
      email: 42,
    };
    ghl.answer({
      'contacts.get': { body: { contact: loose } },
      'contacts.search': { body: { contacts: [loose], total: '1' } },
      'contacts.byBusiness': { body: { contacts: [loose], count: 1 } },
      'tasks.list': { body: { tasks: [{ id: 'T1', dueDate: '02/31/1990', completed: 'true' }] } },
      'tasks.get': { body: { task: { id: 'T1', dueDate: 'never' } } },
      'notes.get': { body: { note: { id: 'N1', dateAdded: '' } } },
    });
    const query = selectAll(gatewaySchemas().read, {
      args: { id: `"${FAKE_CONTACT}"`, businessId: '"B1"', first: '2' },
    });
    const { body } = await ghl.query(query);
    expect(body.errors, ghl.logs.join('\n')).toBeUndefined();
    const contact = (body.data as { contact: Record<string, unknown> }).contact;
    expect(contact).toMatchObject({
      email: '42',
      dateOfBirth: null,
      dateOfBirthRaw: 'Date format YYYY-MM-DD',
      lastActivity: null,
      dateAdded: null,
      dateAddedRaw: '1700000000',
      followers: ['Uone0000000000000001'],
      tags: ['solo-tag'],
      dnd: null,
      attributionSource: { url: 'Trigger Link', extra: [[[]]] },
      customFields: [{ id: 'F1', value: { nested: [1, 2, { deeper: true }] } }],
      tasks: [{ id: 'T1', dueDate: null, dueDateRaw: '02/31/1990', completed: true, status: 'COMPLETED' }],
      task: { id: 'T1', dueDate: null, dueDateRaw: 'never', completed: false, status: 'PENDING' },
    });
  });
});
