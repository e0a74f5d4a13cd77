// Reads through the typed SDK: the shapes a CRM screen needs, loose GHL data, and cursors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient, type GatewaySdk } from '../../src/client/create-client.js';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

const { sunrise } = sandboxFixtures;
let stack: Stack;
let client: GatewaySdk;

beforeAll(async () => {
  stack = await startStack();
  client = createGatewayClient({ url: stack.url, token: stack.readOnly });
});
afterAll(() => stack.close());

describe('contact reads', () => {
  it('a contact with tasks by status, notes and appointments', async () => {
    const { contact } = await client.Contact({ id: sunrise.richContactId });
    expect(contact).toMatchObject({ id: sunrise.richContactId, email: sunrise.richContactEmail });
    expect(contact?.tasks?.map((t) => t.status).sort()).toEqual(['COMPLETED', 'OVERDUE', 'PENDING']);
    expect(contact?.notes?.map((n) => n.id).sort()).toEqual([...sunrise.noteIds].sort());
    expect(contact?.appointments?.map((a) => a.id).sort()).toEqual([...sunrise.appointmentIds].sort());
    const overdue = await client.Contact({ id: sunrise.richContactId, taskStatus: 'OVERDUE' });
    expect(overdue.contact?.tasks?.map((t) => t.id)).toEqual([sunrise.taskIds.overdue]);
  });

  it("a contact in GHL's loose formats still arrives, odd fields read or null", async () => {
    const { contact } = await client.Contact({ id: sunrise.looseContactId });
    expect(contact?.id).toBe(sunrise.looseContactId);
    expect(contact?.dateOfBirth).toBe('1976-07-04');
    expect(contact?.followers.length).toBe(1);
    const zoneless = contact?.appointments?.find((a) => a.startTime?.startsWith('2021-07-16'));
    expect(zoneless?.startTime).toBe('2021-07-16T11:00:00.000Z');
  });

  it('walks every contact of the location exactly once with cursors', async () => {
    const seen: string[] = [];
    let after: string | null | undefined;
    let total: number | null | undefined;
    for (let page = 0; page < 20; page += 1) {
      // Non-null: graphql-request throws when the search failed, the one way contacts is null.
      const contacts = (await client.ContactList({ first: 100, after })).contacts!;
      total = contacts.totalCount;
      seen.push(...contacts.nodes.map((c) => c.id));
      if (!contacts.pageInfo.hasNextPage) break;
      after = contacts.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThanOrEqual(200);
    expect(seen).toHaveLength(total ?? -1);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('filters by tag and searches by text', async () => {
    const contacts = (await client.ContactList({ first: 50, query: 'maria.alvarez' })).contacts!;
    expect(contacts.nodes.map((c) => c.id)).toContain(sunrise.richContactId);
    const tag = contacts.nodes.find((c) => c.id === sunrise.richContactId)?.tags[0];
    expect(tag).toBeDefined();
    const tagged = (await client.ContactList({ first: 100, filter: { tags: [tag!] } })).contacts!;
    expect(tagged.nodes.length).toBeGreaterThan(0);
    expect(tagged.nodes.every((c) => c.tags.includes(tag!))).toBe(true);
  });

  it('contacts by business pages with cursors', async () => {
    const first = (await client.ContactsByBusiness({ businessId: sunrise.businessId, first: 3 })).contactsByBusiness!;
    expect(first.nodes).toHaveLength(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (
      await client.ContactsByBusiness({ businessId: sunrise.businessId, first: 3, after: first.pageInfo.endCursor })
    ).contactsByBusiness!;
    const ids = [...first.nodes, ...second.nodes].map((c) => c.id);
    expect(new Set(ids)).toEqual(new Set(sunrise.businessContactIds));
  });
});
