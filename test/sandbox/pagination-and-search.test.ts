// Cursors that walk every contact exactly once (list and search, several sorts, across the
// CSV-import batches whose contacts share one dateAdded), and search filters.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { api, tokensOf } from './helpers.js';

const S = sandboxFixtures.sunrise;
const H = sandboxFixtures.harbor;
let sb: Sandbox;

interface Listed {
  id: string;
  dateAdded: string;
  firstName?: string;
  email?: string;
  dateUpdated: string;
  tags: string[];
  businessId?: string;
  searchAfter: (string | number)[];
}

beforeAll(async () => {
  sb = await startSandbox({ rateLimit: 0 });
});
afterAll(async () => {
  await sb.close();
});

async function search(body: Record<string, unknown>, token?: string): Promise<{ contacts: Listed[]; total: number }> {
  const res = await api(sb, 'POST', '/contacts/search', {
    body: { locationId: S.locationId, pageLimit: 100, ...body },
    token,
  });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function searchAll(
  body: Record<string, unknown>,
  pageLimit: number,
): Promise<{ ids: string[]; contacts: Listed[]; total: number }> {
  const contacts: Listed[] = [];
  let searchAfter: unknown;
  let total = -1;
  for (let guard = 0; guard < 200; guard++) {
    const page = await search({ ...body, pageLimit, ...(searchAfter ? { searchAfter } : {}) });
    if (total < 0) total = page.total;
    expect(page.total).toBe(total);
    contacts.push(...page.contacts);
    if (page.contacts.length < pageLimit) break;
    searchAfter = page.contacts[page.contacts.length - 1]?.searchAfter;
  }
  return { ids: contacts.map((c) => c.id), contacts, total };
}

describe('GET /contacts/ cursor', () => {
  it('walks every contact once by following meta.nextPageUrl', async () => {
    const ids: string[] = [];
    let url: string | null = `/contacts/?locationId=${S.locationId}&limit=100`;
    let total = 0;
    while (url) {
      const res = await api(sb, 'GET', url.replace(sb.url, ''));
      expect(res.status).toBe(200);
      total = res.body.meta.total;
      expect(res.body.count).toBe(total);
      ids.push(...res.body.contacts.map((c: Listed) => c.id));
      url = res.body.meta.nextPageUrl;
    }
    expect(total).toBeGreaterThanOrEqual(200);
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
  });

  it('walks every contact once with startAfter + startAfterId, newest first, through date ties', async () => {
    const seen: Listed[] = [];
    let query = `locationId=${S.locationId}&limit=7`;
    let page = 0;
    for (;;) {
      const res = await api(sb, 'GET', `/contacts/?${query}`);
      page++;
      seen.push(...res.body.contacts);
      expect(res.body.meta.currentPage).toBe(page);
      expect(res.body.meta.prevPage).toBe(page === 1 ? null : page - 1);
      if (!res.body.meta.nextPage) break;
      query = `locationId=${S.locationId}&limit=7&startAfter=${res.body.meta.startAfter}&startAfterId=${res.body.meta.startAfterId}`;
    }
    const times = seen.map((c) => Date.parse(c.dateAdded));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(seen.map((c) => c.id)).size).toBe(seen.length);
    // The CSV batch shares one timestamp, more contacts than a page holds.
    const batch = seen.filter((c) => c.dateAdded === '2023-03-15T17:42:10.512Z');
    expect(batch.length).toBeGreaterThan(7);
    const all = await api(sb, 'GET', `/contacts/?locationId=${S.locationId}&limit=1`);
    expect(seen).toHaveLength(all.body.meta.total);
  });

  it('filters with query', async () => {
    const res = await api(
      sb,
      'GET',
      `/contacts/?locationId=${S.locationId}&query=${encodeURIComponent('maria alvarez')}`,
    );
    expect(res.body.contacts.map((c: Listed) => c.id)).toEqual([S.richContactId]);
  });
});

describe('POST /contacts/search cursor', () => {
  it.each([
    ['default (dateAdded desc)', undefined],
    ['firstNameLowerCase asc', [{ field: 'firstNameLowerCase', direction: 'asc' }]],
    ['email desc (some contacts have none)', [{ field: 'email', direction: 'desc' }]],
    [
      'dateUpdated asc, lastNameLowerCase desc',
      [
        { field: 'dateUpdated', direction: 'asc' },
        { field: 'lastNameLowerCase', direction: 'desc' },
      ],
    ],
    ['businessName asc (most contacts have none)', [{ field: 'businessName', direction: 'asc' }]],
  ])('searchAfter walks every contact exactly once: %s', async (_, sort) => {
    const walk = await searchAll(sort ? { sort } : {}, 13);
    expect(walk.ids).toHaveLength(walk.total);
    expect(new Set(walk.ids).size).toBe(walk.total);
    const byPage = await searchAll(sort ? { sort } : {}, 500);
    expect(walk.ids).toEqual(byPage.ids);
    if (!sort) {
      const times = walk.contacts.map((c) => Date.parse(c.dateAdded));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(walk.contacts[0]?.searchAfter).toEqual([times[0], walk.ids[0]]);
    }
    if (sort?.[0]?.field === 'firstNameLowerCase') {
      const names = walk.contacts.map((c) => (c.firstName ?? '').toLowerCase());
      expect(names).toEqual([...names].sort());
    }
    if (sort?.[0]?.field === 'email') {
      const withEmail = walk.contacts.filter((c) => c.email);
      // Missing values come last.
      expect(walk.contacts.slice(0, withEmail.length)).toEqual(withEmail);
      expect(walk.contacts.length).toBeGreaterThan(withEmail.length);
    }
  });

  it('page + pageLimit walks the same contacts as searchAfter', async () => {
    const ids: string[] = [];
    for (let page = 1; ; page++) {
      const res = await search({ page, pageLimit: 50 });
      ids.push(...res.contacts.map((c) => c.id));
      if (res.contacts.length < 50) break;
    }
    expect(ids).toEqual((await searchAll({}, 50)).ids);
  });

  it('a cursor still resumes after its contact was deleted', async () => {
    const first = await search({ pageLimit: 3 });
    const [, second, third] = first.contacts;
    expect(second && third).toBeTruthy();
    await api(sb, 'DELETE', `/contacts/${second?.id}`);
    const next = await search({ pageLimit: 1, searchAfter: second?.searchAfter });
    expect(next.contacts[0]?.id).toBe(third?.id);
    sb.reset();
  });

  it('rejects a cursor that does not fit the sort, and page windows past 10,000', async () => {
    const bad = await api(sb, 'POST', '/contacts/search', {
      body: { locationId: S.locationId, pageLimit: 10, searchAfter: ['x'] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.message[0]).toMatch(/searchAfter/);
    const deep = await api(sb, 'POST', '/contacts/search', {
      body: { locationId: S.locationId, pageLimit: 100, page: 101 },
    });
    expect(deep.status).toBe(422);
    expect(deep.body.message[0]).toMatch(/10000/);
    const edge = await api(sb, 'POST', '/contacts/search', {
      body: { locationId: S.locationId, pageLimit: 100, page: 100 },
    });
    expect(edge.status).toBe(200);
    expect(edge.body.contacts).toEqual([]);
  });
});

describe('search filters', () => {
  it('eq on tags, businessId and id; not_eq on type', async () => {
    const investors = await search({ pageLimit: 500, filters: [{ field: 'tags', operator: 'eq', value: 'investor' }] });
    expect(investors.total).toBeGreaterThan(3);
    expect(investors.contacts.every((c) => c.tags.includes('investor'))).toBe(true);
    const business = await search({ filters: [{ field: 'businessId', operator: 'eq', value: S.businessId }] });
    expect(business.contacts.map((c) => c.id).sort()).toEqual([...S.businessContactIds].sort());
    const leads = await search({ pageLimit: 500, filters: [{ field: 'type', operator: 'not_eq', value: 'lead' }] });
    const all = await search({ pageLimit: 500 });
    const customers = all.contacts.filter((c) => (c as unknown as { type: string }).type !== 'lead');
    expect(leads.total).toBe(customers.length);
  });

  it('contains, exists, not_exists, range and OR groups', async () => {
    const example = await search({
      pageLimit: 500,
      filters: [{ field: 'email', operator: 'contains', value: 'DESERTBLOOM' }],
    });
    // Maria's own address is personal; her three colleagues use the company domain.
    expect(example.contacts.map((c) => c.id).sort()).toEqual(S.businessContactIds.slice(1).sort());
    const noEmail = await search({ pageLimit: 500, filters: [{ field: 'email', operator: 'not_exists' }] });
    const withEmail = await search({ pageLimit: 500, filters: [{ field: 'email', operator: 'exists' }] });
    expect(noEmail.total + withEmail.total).toBe((await search({ pageLimit: 1 })).total);
    expect(noEmail.total).toBeGreaterThan(0);
    const range = await search({
      pageLimit: 500,
      filters: [
        {
          field: 'dateAdded',
          operator: 'range',
          value: { gte: '2023-01-01T00:00:00.000Z', lt: Date.parse('2024-01-01T00:00:00.000Z') },
        },
      ],
    });
    expect(range.total).toBeGreaterThan(0);
    expect(range.contacts.every((c) => c.dateAdded >= '2023' && c.dateAdded < '2024')).toBe(true);
    const either = await search({
      filters: [
        {
          group: 'OR',
          filters: [
            { field: 'id', operator: 'eq', value: S.richContactId },
            { field: 'id', operator: 'eq', value: S.bareContactId },
          ],
        },
      ],
    });
    expect(either.contacts.map((c) => c.id).sort()).toEqual([S.richContactId, S.bareContactId].sort());
  });

  it('query matches names, e-mail and phone digits', async () => {
    expect((await search({ query: 'Maria Alvarez' })).contacts.map((c) => c.id)).toEqual([S.richContactId]);
    expect((await search({ query: '602 555 0147' })).contacts.map((c) => c.id)).toEqual([S.richContactId]);
    const tooLong = await api(sb, 'POST', '/contacts/search', {
      body: { locationId: S.locationId, pageLimit: 1, query: 'x'.repeat(76) },
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.message).toEqual(['query must be shorter than or equal to 75 characters']);
  });

  it('explains bad filters', async () => {
    const bad = await api(sb, 'POST', '/contacts/search', {
      body: {
        locationId: S.locationId,
        pageLimit: 1,
        filters: [
          { field: 'email', operator: 'like', value: 'x' },
          { field: 'email', operator: 'range', value: {} },
        ],
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toEqual([
      'filters.0.operator must be one of the following values: eq, not_eq, contains, not_contains, exists, not_exists, range',
      'filters.1.operator range is not supported for field email',
    ]);
  });

  it('searches only the caller location', async () => {
    const harbor = await api(sb, 'POST', '/contacts/search', {
      token: tokensOf(sb, 1).readOnly,
      body: { locationId: H.locationId, pageLimit: 500 },
    });
    expect(harbor.body.total).toBeGreaterThanOrEqual(200);
    expect(harbor.body.contacts.every((c: { locationId: string }) => c.locationId === H.locationId)).toBe(true);
  });
});

describe('GET /contacts/business/{businessId}', () => {
  it('pages with skip and limit', async () => {
    const base = `/contacts/business/${S.businessId}?locationId=${S.locationId}`;
    const first = await api(sb, 'GET', `${base}&limit=3`);
    const rest = await api(sb, 'GET', `${base}&limit=3&skip=3`);
    expect(first.body.count).toBe(4);
    expect([...first.body.contacts, ...rest.body.contacts].map((c: Listed) => c.id).sort()).toEqual(
      [...S.businessContactIds].sort(),
    );
    const unknown = await api(sb, 'GET', `/contacts/business/000000000000000000000000?locationId=${S.locationId}`);
    expect(unknown.body).toEqual({ contacts: [], count: 0 });
  });
});
