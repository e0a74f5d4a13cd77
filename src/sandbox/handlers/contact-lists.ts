// GET /contacts/ (deprecated list, cursor = startAfter + startAfterId) and
// GET /contacts/business/{businessId} (skip/limit). Both newest first: dateAdded descending,
// then id ascending, so the cursor resumes exactly after the last contact of a page.

import { listedContact } from '../contact-views.js';
import { matchesQuery } from '../contact-filters.js';
import { compareTuples, ordered } from '../contact-order.js';
import type { SortSpec, SortTuple } from '../contact-order.js';
import { httpErrors } from '../http-error.js';
import { param, requireOwnLocation } from './context.js';
import type { Handler, HandlerContext } from './context.js';

const NEWEST_FIRST: readonly SortSpec[] = [{ field: 'dateAdded', direction: 'desc' }];

/** An integer query parameter, with class-validator-style messages on bad input. */
function intParam(
  ctx: HandlerContext,
  name: string,
  fallback: number,
  min: number,
  max: number,
  messages: string[],
): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) {
    messages.push(`${name} must be a number conforming to the specified constraints`);
    return fallback;
  }
  if (value < min) messages.push(`${name} must not be less than ${min}`);
  if (value > max) messages.push(`${name} must not be greater than ${max}`);
  return value;
}

function requiredLocation(ctx: HandlerContext, messages: string[]): string {
  const locationId = ctx.query.get('locationId');
  if (!locationId) messages.push('locationId should not be empty', 'locationId must be a string');
  return locationId ?? '';
}

export const listContacts: Handler = (ctx) => {
  const messages: string[] = [];
  const locationId = requiredLocation(ctx, messages);
  const limit = intParam(ctx, 'limit', 20, 1, 100, messages);
  const startAfterRaw = ctx.query.get('startAfter');
  const startAfter = startAfterRaw === null || startAfterRaw === '' ? undefined : Number(startAfterRaw);
  if (startAfter !== undefined && !Number.isFinite(startAfter))
    messages.push('startAfter must be a number conforming to the specified constraints');
  if (messages.length > 0) throw httpErrors.unprocessable(messages);
  requireOwnLocation(ctx, locationId);

  const query = ctx.query.get('query');
  const all = ordered(
    ctx.store.contactsIn(locationId).filter((c) => matchesQuery(c, query)),
    NEWEST_FIRST,
  );

  // Where to resume: both values give the exact position (even if that contact was deleted
  // since); an id alone resumes after that contact; a time alone after every contact at it.
  const startAfterId = ctx.query.get('startAfterId') || undefined;
  let cursor: SortTuple | undefined;
  if (startAfter !== undefined) cursor = [startAfter, startAfterId ?? '\uffff'];
  else if (startAfterId !== undefined) cursor = all.find((e) => e.contact.id === startAfterId)?.tuple;
  const from = cursor ? all.findIndex((e) => compareTuples(e.tuple, cursor, NEWEST_FIRST) > 0) : 0;
  const start = from < 0 ? all.length : from;
  const page = all.slice(start, start + limit);
  const last = page[page.length - 1];
  const hasMore = start + page.length < all.length;

  const currentPage = Math.floor(start / limit) + 1;
  let nextPageUrl: string | null = null;
  if (hasMore && last) {
    const next = new URLSearchParams({ locationId, startAfter: String(last.tuple[0]), startAfterId: last.contact.id });
    if (ctx.query.get('limit')) next.set('limit', String(limit));
    if (query) next.set('query', query);
    nextPageUrl = `${ctx.baseUrl}/contacts/?${next.toString()}`;
  }
  return {
    status: 200,
    body: {
      contacts: page.map((e) => listedContact(e.contact)),
      // `count` is the number of matching contacts, as meta.total (GHL does not document which).
      count: all.length,
      meta: {
        total: all.length,
        nextPageUrl,
        startAfterId: last ? last.contact.id : null,
        startAfter: last ? last.tuple[0] : null,
        currentPage,
        nextPage: hasMore ? currentPage + 1 : null,
        prevPage: currentPage > 1 ? currentPage - 1 : null,
      },
    },
  };
};

export const listBusinessContacts: Handler = (ctx) => {
  const messages: string[] = [];
  const locationId = requiredLocation(ctx, messages);
  // The spec's defaults: limit 25, skip 0 (sent as strings).
  const limit = intParam(ctx, 'limit', 25, 1, 100, messages);
  const skip = intParam(ctx, 'skip', 0, 0, Number.MAX_SAFE_INTEGER, messages);
  if (messages.length > 0) throw httpErrors.unprocessable(messages);
  requireOwnLocation(ctx, locationId);
  const businessId = param(ctx, 'businessId');
  const query = ctx.query.get('query');
  const matches = ordered(
    ctx.store.contactsIn(locationId).filter((c) => c.businessId === businessId && matchesQuery(c, query)),
    NEWEST_FIRST,
  );
  return {
    status: 200,
    body: { contacts: matches.slice(skip, skip + limit).map((e) => listedContact(e.contact)), count: matches.length },
  };
};
