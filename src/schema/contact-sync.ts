// Incremental contact sync for the leadPops backend: walk every contact created or updated since
// a point in time, in a stable order (dateUpdated, then id), page by page, and keep a cursor to
// resume from.
//
// The contract. A walk covers the window (from, until], where `until` is fixed when the walk
// starts, SYNC_LAG_MS before "now". Within a walk the order is stable and each contact arrives at
// most once: a contact changed during the walk gets a dateUpdated after `until`, so it leaves this
// walk's window and arrives in the next one. When a walk ends, its cursor starts the next walk at
// `until`, so consecutive walks neither overlap nor leave a gap, and a walk resumed from any
// cursor it gave out continues exactly where it stopped. What GHL cannot promise: its search
// index lags writes by seconds; a change not yet indexed SYNC_LAG_MS after it happened (rare) is
// missed by the walk that covered its time. Keep SYNC_LAG_MS above the index lag.
import { builder } from './builder.js';
import { ContactRef } from './contact.js';
import { ghlCost } from './cost.js';
import { decodeCursor, encodeCursor, isSearchAfter } from './cursor.js';
import { clientError } from './errors/client-error.js';
import type { SearchedContact } from '../ghl/contacts.js';

interface SyncCursor {
  /** Exclusive lower bound of the window, epoch ms. */
  from: number;
  /** Inclusive upper bound, fixed at the walk's start; absent before the walk starts. */
  until?: number;
  /** GHL's searchAfter of the last contact returned in this walk. */
  after?: Array<string | number>;
}

interface SyncPage {
  contacts: SearchedContact[];
  cursor: string;
  walkComplete: boolean;
  windowEnd: number;
}

const SyncPageRef = builder.objectRef<SyncPage>('ContactSyncPage').implement({
  description: 'One page of a contact sync walk.',
  fields: (t) => ({
    contacts: t.field({
      type: [ContactRef],
      nullable: false,
      description: 'Contacts created or updated in the window, ordered by dateUpdated then id.',
      resolve: (page) => page.contacts,
    }),
    cursor: t.exposeString('cursor', {
      nullable: false,
      description:
        'Pass as `cursor` to continue. When the walk is complete it starts the next walk where this one ended.',
    }),
    walkComplete: t.exposeBoolean('walkComplete', {
      nullable: false,
      description:
        'True when this walk has returned every contact of its window; call again later with `cursor` for newer changes.',
    }),
    windowEnd: t.field({
      type: 'DateTime',
      nullable: false,
      description: "The end of this walk's window: changes after it arrive in the next walk.",
      resolve: (page) => new Date(page.windowEnd).toISOString(),
    }),
  }),
});

const isSyncCursor = (value: unknown): value is SyncCursor => {
  const c = value as SyncCursor | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    Number.isFinite(c.from) &&
    (c.until === undefined || Number.isFinite(c.until)) &&
    (c.after === undefined || isSearchAfter(c.after))
  );
};

builder.queryField('contactSync', (t) =>
  t.field({
    type: SyncPageRef,
    // Nullable so that a failed search nulls this field alone, not the rest of `data`.
    authScopes: { contactsRead: true },
    extensions: ghlCost({ calls: 1, pageArg: 'first', pageDefault: 100, recordShape: 'search' }),
    description:
      'Walks the contacts created or updated since a point in time, in a stable order, one GHL call per page. ' +
      'Start with `since` (or nothing, for every contact); continue with `cursor` until `walkComplete`, and keep the last ' +
      'cursor to pick up newer changes later. Each contact arrives once per walk; changes made during a walk arrive in the next.',
    args: {
      since: t.arg({ type: 'DateTime', description: 'Start a new walk at changes after this instant.' }),
      cursor: t.arg.string({ description: 'Continue from a cursor this query returned.' }),
      first: t.arg.int({ defaultValue: 100, description: 'Page size, 1 to 100.' }),
    },
    resolve: async (_root, args, context) => {
      const first = args.first ?? 100;
      if (!Number.isInteger(first) || first < 1 || first > 100) {
        throw clientError('BAD_USER_INPUT', 'first must be between 1 and 100', { field: 'first' });
      }
      if (args.cursor && args.since) {
        throw clientError('BAD_USER_INPUT', 'give either since or cursor, not both', { field: 'cursor' });
      }
      const start: SyncCursor = args.cursor
        ? decodeCursor(args.cursor, isSyncCursor, 'cursor')
        : { from: args.since ? Date.parse(args.since) : 0 };
      const until = start.until ?? context.now() - context.settings.syncLagMs;
      if (until <= start.from) {
        // Nothing can be settled yet: the window is still inside the index lag.
        return { contacts: [], cursor: encodeCursor({ from: start.from }), walkComplete: true, windowEnd: start.from };
      }
      const result = await context.ghl.contacts.search({
        pageLimit: first,
        filters: [
          {
            field: 'dateUpdated',
            operator: 'range',
            value: { gt: new Date(start.from).toISOString(), lte: new Date(until).toISOString() },
          },
        ],
        sort: [{ field: 'dateUpdated', direction: 'asc' }],
        ...(start.after ? { searchAfter: start.after } : {}),
      });
      const last = result.contacts.at(-1);
      const walkComplete = result.contacts.length < first || last?.searchAfter == null;
      const cursor = walkComplete
        ? encodeCursor({ from: until })
        : encodeCursor({ from: start.from, until, after: last!.searchAfter! });
      return { contacts: result.contacts, cursor, walkComplete, windowEnd: until };
    },
  }),
);
