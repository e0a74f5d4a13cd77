// One total order over contacts for every paginated endpoint: the requested sort fields, then
// the id as tie-breaker. A cursor is the tuple of a record's sort values plus its id, so
// "resume after this record" is exact even when many records share a date (CSV imports do).

import type { ContactRecord } from './records.js';

/**
 * The sort fields GHL's search guide documents (the page contacts.json's search operation links
 * to): names sort by their lower-case copies, so `firstName` or `companyName` is refused with a
 * 422 like any other undocumented field.
 */
export const SORT_FIELDS = {
  dateAdded: 'date',
  dateUpdated: 'date',
  firstNameLowerCase: 'text',
  lastNameLowerCase: 'text',
  businessName: 'text',
  email: 'text',
} as const;

export type SortField = keyof typeof SORT_FIELDS;

export interface SortSpec {
  field: SortField;
  direction: 'asc' | 'desc';
}

export function isSortField(field: string): field is SortField {
  return Object.hasOwn(SORT_FIELDS, field);
}

/** Date fields sort as epoch ms; text fields case-insensitively; empty text is "missing". */
export function sortValue(c: ContactRecord, field: SortField): number | string | null {
  switch (field) {
    case 'dateAdded':
      return Date.parse(c.dateAdded);
    case 'dateUpdated':
      return Date.parse(c.dateUpdated);
    case 'firstNameLowerCase':
      return textKey(c.firstName);
    case 'lastNameLowerCase':
      return textKey(c.lastName);
    case 'email':
      return textKey(c.email);
    case 'businessName':
      // As search records carry it: the company name of a contact linked to a business.
      return c.businessId ? textKey(c.companyName) : null;
  }
}

function textKey(value: string | null | undefined): string | null {
  return typeof value === 'string' && value.length > 0 ? value.toLowerCase() : null;
}

export type SortTuple = (number | string | null)[];

export function sortTuple(c: ContactRecord, sorts: readonly SortSpec[]): SortTuple {
  return [...sorts.map((s) => sortValue(c, s.field)), c.id];
}

/** Missing values come last in either direction (Elasticsearch's default, which GHL search sits on). */
function compareValues(a: number | string | null, b: number | string | null, direction: 'asc' | 'desc'): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const order = a < b ? -1 : a > b ? 1 : 0;
  return direction === 'asc' ? order : -order;
}

export function compareTuples(a: SortTuple, b: SortTuple, sorts: readonly SortSpec[]): number {
  for (let i = 0; i < sorts.length; i++) {
    const spec = sorts[i];
    if (!spec) continue;
    const diff = compareValues(a[i] ?? null, b[i] ?? null, spec.direction);
    if (diff !== 0) return diff;
  }
  // Ids ascending, by code unit (not locale), so the order never depends on the machine.
  return compareValues(a[sorts.length] ?? null, b[sorts.length] ?? null, 'asc');
}

/** Contacts in order, with their tuples. */
export function ordered(
  contacts: readonly ContactRecord[],
  sorts: readonly SortSpec[],
): { contact: ContactRecord; tuple: SortTuple }[] {
  return contacts
    .map((contact) => ({ contact, tuple: sortTuple(contact, sorts) }))
    .sort((x, y) => compareTuples(x.tuple, y.tuple, sorts));
}

/** The cursor a client gets back: missing text is sent as "" (the tuple keeps null). */
export function cursorOut(tuple: SortTuple): (number | string)[] {
  return tuple.map((v) => (v === null ? '' : v));
}

/** A client's cursor → a tuple, or a message naming what is wrong with it. */
export function cursorIn(values: readonly unknown[], sorts: readonly SortSpec[]): SortTuple | string {
  if (values.length !== sorts.length + 1) {
    return `searchAfter must have ${sorts.length + 1} values (the sort values and the id of the last contact seen), got ${values.length}`;
  }
  const tuple: SortTuple = [];
  for (let i = 0; i < sorts.length; i++) {
    const spec = sorts[i];
    const value = values[i];
    if (!spec) continue;
    if (SORT_FIELDS[spec.field] === 'date') {
      const ms =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && /^\d+$/.test(value)
            ? Number(value)
            : Number.NaN;
      if (!Number.isFinite(ms)) return `searchAfter[${i}] must be a timestamp in milliseconds (${spec.field})`;
      tuple.push(ms);
    } else {
      if (typeof value !== 'string') return `searchAfter[${i}] must be a string (${spec.field})`;
      tuple.push(value === '' ? null : value.toLowerCase());
    }
  }
  const id = values[sorts.length];
  if (typeof id !== 'string') return `searchAfter[${sorts.length}] must be a contact id`;
  tuple.push(id);
  return tuple;
}
