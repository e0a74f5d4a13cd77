// POST /contacts/search: filters, sort, free-text query, and two ways to page: `page` (GHL
// stops at 10,000 records: page × pageLimit beyond that is a 422) and `searchAfter`, the
// cursor each returned contact carries, which goes past that. Default order: newest first.
// Records are in search's own shape (contact-views.ts), sorts limited to the documented fields
// (contact-order.ts).

import { z } from 'zod';
import { parseBody } from '../body-validation.js';
import { compileFilters, matchesQuery } from '../contact-filters.js';
import { SORT_FIELDS, compareTuples, cursorIn, cursorOut, isSortField, ordered } from '../contact-order.js';
import type { SortSpec } from '../contact-order.js';
import { searchedContact } from '../contact-views.js';
import { httpErrors } from '../http-error.js';
import { requireOwnLocation } from './context.js';
import type { Handler } from './context.js';

const MAX_WINDOW = 10_000;

const searchBody = z.strictObject({
  locationId: z.string().min(1, { error: 'locationId should not be empty' }),
  pageLimit: z
    .number()
    .int({ error: 'pageLimit must be an integer number' })
    .min(1, { error: 'pageLimit must not be less than 1' })
    .max(500, { error: 'pageLimit must not be greater than 500' }),
  page: z
    .number()
    .int({ error: 'page must be an integer number' })
    .min(1, { error: 'page must not be less than 1' })
    .optional(),
  searchAfter: z.array(z.union([z.string(), z.number()])).optional(),
  query: z.string().max(75, { error: 'query must be shorter than or equal to 75 characters' }).optional(),
  filters: z.array(z.unknown()).optional(),
  sort: z.array(z.strictObject({ field: z.string(), direction: z.enum(['asc', 'desc']) })).optional(),
});

export const searchContacts: Handler = (ctx) => {
  const input = parseBody(searchBody, ctx.body);
  const messages: string[] = [];

  const sorts: SortSpec[] = [];
  (input.sort ?? []).forEach((s, i) => {
    if (isSortField(s.field)) sorts.push({ field: s.field, direction: s.direction });
    else messages.push(`sort.${i}.field must be one of the following values: ${Object.keys(SORT_FIELDS).join(', ')}`);
  });
  if (sorts.length === 0) sorts.push({ field: 'dateAdded', direction: 'desc' });

  const predicate = compileFilters(input.filters, messages);
  const cursor = input.searchAfter ? cursorIn(input.searchAfter, sorts) : undefined;
  if (typeof cursor === 'string') messages.push(cursor);
  // With searchAfter the page number is not used (GHL: "do not include page").
  const page = input.page ?? 1;
  if (!input.searchAfter && page * input.pageLimit > MAX_WINDOW) {
    messages.push(
      `page × pageLimit must not exceed ${MAX_WINDOW} (asked for records up to ${page * input.pageLimit}); use searchAfter to go past ${MAX_WINDOW} records`,
    );
  }
  if (messages.length > 0) throw httpErrors.unprocessable(messages);
  requireOwnLocation(ctx, input.locationId);

  const matches = ordered(
    ctx.store.contactsIn(input.locationId).filter((c) => predicate(c) && matchesQuery(c, input.query)),
    sorts,
  );
  let start = (page - 1) * input.pageLimit;
  if (cursor !== undefined && typeof cursor !== 'string') {
    const index = matches.findIndex((e) => compareTuples(e.tuple, cursor, sorts) > 0);
    start = index < 0 ? matches.length : index;
  }
  const slice = matches.slice(start, start + input.pageLimit);
  return {
    status: 200,
    body: { contacts: slice.map((e) => searchedContact(e.contact, cursorOut(e.tuple))), total: matches.length },
  };
};
