// Contact lists as Relay connections: Query.contacts over GHL's search (searchAfter cursors) and
// Query.contactsByBusiness over GHL's skip/limit. Cursors are opaque to clients: base64url JSON
// that only this file reads. The contacts of a page stay in their list's shape and never prime
// the by-id loader (listed-contact.ts reads what they lack from the contact by id).
import type { ContactSearchInput, ListedContact } from '../ghl/contacts.js';
import { builder } from './builder.js';
import { ContactRef } from './contact.js';
import { ghlCost } from './cost.js';
import { decodeCursor, encodeCursor, isSearchAfter } from './cursor.js';
import { clientError } from './errors/client-error.js';

interface Page {
  contacts: ListedContact[];
  cursors: string[];
  hasNextPage: boolean;
  totalCount: number | null;
}

const PageInfoRef = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo').implement({
  description: 'Where a page ends and whether another follows.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', {
      nullable: false,
      description: 'Whether asking with `after: endCursor` returns more.',
    }),
    endCursor: t.exposeString('endCursor', { description: 'Cursor of the last edge; pass it as `after`.' }),
  }),
});

const ContactEdgeRef = builder.objectRef<{ cursor: string; node: ListedContact }>('ContactEdge').implement({
  description: 'A contact and its cursor.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', {
      nullable: false,
      description: 'Pass as `after` to continue after this contact.',
    }),
    node: t.field({ type: ContactRef, nullable: false, description: 'The contact.', resolve: (e) => e.node }),
  }),
});

const ContactConnectionRef = builder.objectRef<Page>('ContactConnection').implement({
  description: 'A page of contacts.',
  fields: (t) => ({
    edges: t.field({
      type: [ContactEdgeRef],
      nullable: false,
      description: 'Contacts with their cursors.',
      resolve: (page) => page.contacts.map((node, i) => ({ node, cursor: page.cursors[i] ?? '' })),
    }),
    nodes: t.field({
      type: [ContactRef],
      nullable: false,
      description: 'The contacts alone.',
      resolve: (p) => p.contacts,
    }),
    pageInfo: t.field({
      type: PageInfoRef,
      nullable: false,
      description: 'Paging state.',
      resolve: (p) => ({ hasNextPage: p.hasNextPage, endCursor: p.cursors.at(-1) ?? null }),
    }),
    totalCount: t.exposeInt('totalCount', { description: 'How many contacts match in all, when GHL says.' }),
  }),
});

const ContactSortField = builder.enumType('ContactSortField', {
  description: 'What contacts are ordered by.',
  values: {
    DATE_ADDED: { value: 'dateAdded', description: 'Creation time.' },
    DATE_UPDATED: { value: 'dateUpdated', description: 'Last change.' },
    // GHL's search sorts names by their lower-case copies; `firstName` itself is not a sort field.
    FIRST_NAME: { value: 'firstNameLowerCase', description: 'First name, ignoring case.' },
    LAST_NAME: { value: 'lastNameLowerCase', description: 'Last name, ignoring case.' },
    EMAIL: { value: 'email', description: 'Email.' },
  } as const,
});

const SortDirection = builder.enumType('SortDirection', {
  description: 'Ascending or descending.',
  values: { ASC: { value: 'asc' }, DESC: { value: 'desc' } } as const,
});

const ContactSort = builder.inputType('ContactSort', {
  description: 'Order of a contact list.',
  fields: (t) => ({
    field: t.field({ type: ContactSortField, required: true, description: 'What to order by.' }),
    direction: t.field({ type: SortDirection, required: true, defaultValue: 'desc', description: 'Direction.' }),
  }),
});

const ContactFilter = builder.inputType('ContactFilter', {
  description: 'Narrows a contact list; every given condition must hold.',
  fields: (t) => ({
    tags: t.stringList({ description: 'Contacts carrying every one of these tags.' }),
    type: t.string({ description: 'GHL contact type, e.g. lead.' }),
    source: t.string({ description: 'Exact source.' }),
    assignedTo: t.id({ description: 'Assigned GHL user id.' }),
  }),
});

const MAX_PAGE = 100;

function pageSize(first: number | null | undefined): number {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
    throw clientError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE}`, { field: 'first' });
  }
  return size;
}

interface SearchCursor {
  s: Array<string | number>;
  n: number;
}
const isSearchCursor = (v: unknown): v is SearchCursor =>
  typeof v === 'object' &&
  v !== null &&
  isSearchAfter((v as SearchCursor).s) &&
  Number.isInteger((v as SearchCursor).n);

const isSkipCursor = (v: unknown): v is { k: number } =>
  typeof v === 'object' && v !== null && Number.isInteger((v as { k: number }).k) && (v as { k: number }).k >= 0;

builder.queryField('contacts', (t) =>
  t.field({
    type: ContactConnectionRef,
    // Nullable so that a failed search nulls this field alone, not `viewer` and the rest of `data`.
    authScopes: { contactsRead: true },
    extensions: ghlCost({ calls: 1, pageArg: 'first', pageDefault: 20, recordShape: 'search' }),
    description:
      "Contacts of the caller's location, searched and paged with GHL's search. One GHL call per page, plus one per " +
      'contact when a field search records lack is selected (website, timezone, lastActivity, dndSettings, attributionSource). ' +
      "GHL's search index lags writes by a few seconds: read a contact you just wrote with Query.contact.",
    args: {
      first: t.arg.int({ defaultValue: 20, description: `Page size, 1 to ${MAX_PAGE}.` }),
      after: t.arg.string({ description: 'endCursor of the previous page.' }),
      query: t.arg.string({
        description: 'Free text matched against names, emails, phones and companies (≤ 75 characters).',
      }),
      filter: t.arg({ type: ContactFilter, description: 'Conditions every contact must meet.' }),
      sort: t.arg({ type: ContactSort, description: 'Order; newest first by default.' }),
    },
    resolve: async (_root, args, context) => {
      const first = pageSize(args.first);
      const after = args.after ? decodeCursor(args.after, isSearchCursor, 'after') : undefined;
      if (args.query && args.query.length > 75) {
        throw clientError('BAD_USER_INPUT', 'query must be at most 75 characters (GHL search limit)', {
          field: 'query',
        });
      }
      const filters: NonNullable<ContactSearchInput['filters']> = [];
      for (const tag of args.filter?.tags ?? []) filters.push({ field: 'tags', operator: 'eq', value: tag });
      for (const field of ['type', 'source', 'assignedTo'] as const) {
        const value = args.filter?.[field];
        if (value !== null && value !== undefined) filters.push({ field, operator: 'eq', value: String(value) });
      }
      const sort = args.sort ?? { field: 'dateAdded', direction: 'desc' as const };
      const result = await context.ghl.contacts.search({
        pageLimit: first,
        ...(after ? { searchAfter: after.s } : {}),
        ...(args.query ? { query: args.query } : {}),
        ...(filters.length > 0 ? { filters } : {}),
        sort: [{ field: sort.field, direction: sort.direction }],
      });
      const seen = after?.n ?? 0;
      const cursors = result.contacts.map((c, i) => encodeCursor({ s: c.searchAfter ?? [c.id], n: seen + i + 1 }));
      const total = result.total ?? null;
      const hasNextPage = result.contacts.length === first && (total === null || seen + result.contacts.length < total);
      return { contacts: result.contacts, cursors, hasNextPage, totalCount: total };
    },
  }),
);

builder.queryField('contactsByBusiness', (t) =>
  t.field({
    type: ContactConnectionRef,
    // Nullable for the same reason as contacts.
    authScopes: { contactsRead: true },
    extensions: ghlCost({ calls: 1, pageArg: 'first', pageDefault: 20, recordShape: 'list' }),
    description:
      "Contacts linked to one business (company record) of the caller's location. One GHL call per page; a field GHL's " +
      'list records may lack is read from the contact by id when they do (the estimate counts one call per contact for it).',
    args: {
      businessId: t.arg.id({ required: true, description: 'GHL business id.' }),
      first: t.arg.int({ defaultValue: 20, description: `Page size, 1 to ${MAX_PAGE}.` }),
      after: t.arg.string({ description: 'endCursor of the previous page.' }),
      query: t.arg.string({ description: 'Free text to narrow the list.' }),
    },
    resolve: async (_root, args, context) => {
      const first = pageSize(args.first);
      const skip = args.after ? decodeCursor(args.after, isSkipCursor, 'after').k : 0;
      const result = await context.ghl.contacts.byBusiness(args.businessId, {
        limit: first,
        skip,
        ...(args.query ? { query: args.query } : {}),
      });
      const cursors = result.contacts.map((_c, i) => encodeCursor({ k: skip + i + 1 }));
      // The spec's answer is `{contacts, count}`: count is every matching contact.
      const total = result.count ?? null;
      const hasNextPage = result.contacts.length === first && (total === null || skip + result.contacts.length < total);
      return { contacts: result.contacts, cursors, hasNextPage, totalCount: total };
    },
  }),
);
