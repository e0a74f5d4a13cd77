// The contact sync contract, against the sandbox: within a walk each contact arrives once even
// while contacts are created and updated; what changed during the walk arrives in the next one;
// and a walk resumed from any cursor continues exactly where it stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient, type GatewaySdk } from '../../src/client/create-client.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let writer: GatewaySdk;

beforeAll(async () => {
  // No lag margin: the sandbox's search index has none, so the window can end at "now".
  stack = await startStack({ env: { SYNC_LAG_MS: '0', CACHE_TTL_MS: '0' } });
  writer = createGatewayClient({ url: stack.url, token: stack.readWrite });
});
afterAll(() => stack.close());

const SYNC = `query($cursor: String, $first: Int) {
  contactSync(cursor: $cursor, first: $first) { cursor walkComplete windowEnd contacts { id dateUpdated } }
}`;
interface SyncResult {
  contactSync: {
    cursor: string;
    walkComplete: boolean;
    windowEnd: string;
    contacts: Array<{ id: string; dateUpdated: string }>;
  };
}

async function page(cursor: string | null, first = 50) {
  const { body } = await stack.gql<SyncResult>(SYNC, { cursor, first }, stack.readOnly);
  expect(body.errors).toBeUndefined();
  return body.data!.contactSync;
}

async function walk(cursor: string | null, between?: (pageIndex: number) => Promise<void>) {
  const ids: string[] = [];
  const cursors: string[] = [];
  for (let i = 0; i < 50; i += 1) {
    const result = await page(cursor);
    ids.push(...result.contacts.map((c) => c.id));
    cursor = result.cursor;
    cursors.push(cursor);
    if (result.walkComplete) break;
    await between?.(i);
  }
  return { ids, next: cursor!, cursors };
}

describe('contact sync', () => {
  it('a full walk with concurrent edits yields every contact once; the edits arrive in the next walk', async () => {
    const total = (await stack.gql<{ contacts: { totalCount: number } }>('{ contacts(first: 1) { totalCount } }')).body
      .data!.contacts.totalCount;
    const { contacts } = (
      await stack.gql<{ contacts: { nodes: Array<{ id: string }> } }>(
        '{ contacts(first: 100, sort: { field: DATE_ADDED, direction: ASC }) { nodes { id } } }',
      )
    ).body.data!;
    const edited = new Set<string>();
    const created: string[] = [];

    const first = await walk(null, async (i) => {
      // Between pages: edit a contact likely seen already and one likely not, and create one.
      const early = contacts.nodes[i]!.id;
      const late = contacts.nodes[99 - i]!.id;
      for (const id of [early, late]) {
        await writer.UpdateContact({ id, input: { city: `Synctown ${i}` } });
        edited.add(id);
      }
      const made = await writer.CreateContact({
        input: { contact: { firstName: `Sync${i}`, email: `sync${i}@example.org` } },
      });
      created.push(made.createContact.contact.id);
    });
    expect(new Set(first.ids).size).toBe(first.ids.length);
    expect(edited.size).toBeGreaterThan(0);

    const second = await walk(first.next);
    expect(new Set(second.ids).size).toBe(second.ids.length);
    // The second walk holds exactly what changed during the first.
    expect(new Set(second.ids)).toEqual(new Set([...edited, ...created]));
    // Together they cover every contact, the new ones included.
    const union = new Set([...first.ids, ...second.ids]);
    expect(union.size).toBe(total + created.length);

    const third = await walk(second.next);
    expect(third.ids).toEqual([]);
  }, 60_000);

  it('a walk resumed from any cursor continues exactly where it stopped', async () => {
    const full = await walk(null);
    const pages: string[][] = [];
    let cursor: string | null = null;
    for (;;) {
      const result = await page(cursor);
      pages.push(result.contacts.map((c) => c.id));
      if (result.walkComplete) break;
      cursor = result.cursor;
    }
    expect(pages.flat()).toEqual(full.ids);
    const resumeAt = 2;
    const resumed = await walk(full.cursors[resumeAt - 1]!);
    expect(resumed.ids).toEqual(pages.slice(resumeAt).flat());
  }, 60_000);

  it('a cursor this API did not give out is BAD_USER_INPUT', async () => {
    const { body } = await stack.gql(SYNC, { cursor: 'bm9wZQ', first: 10 });
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'cursor' });
  });
});
