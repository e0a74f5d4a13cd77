// Search filters ({field, operator, value} and {group: AND|OR, filters}) and the free-text
// `query`, evaluated over stored contacts. Structural mistakes give 422 messages; an unknown
// field gives GHL's 400 "Invalid field x".

import { httpErrors } from './http-error.js';
import type { ContactRecord } from './records.js';

type FieldKind = 'text' | 'keyword' | 'list' | 'date' | 'boolean';

const FILTER_FIELDS: Record<string, { kind: FieldKind; get: (c: ContactRecord) => unknown }> = {
  id: { kind: 'keyword', get: (c) => c.id },
  email: { kind: 'text', get: (c) => c.email },
  firstName: { kind: 'text', get: (c) => c.firstName },
  firstNameLowerCase: { kind: 'text', get: (c) => c.firstName },
  lastName: { kind: 'text', get: (c) => c.lastName },
  lastNameLowerCase: { kind: 'text', get: (c) => c.lastName },
  phone: { kind: 'text', get: (c) => c.phone },
  companyName: { kind: 'text', get: (c) => c.companyName },
  businessName: { kind: 'text', get: (c) => c.companyName },
  address: { kind: 'text', get: (c) => c.address1 },
  city: { kind: 'text', get: (c) => c.city },
  state: { kind: 'text', get: (c) => c.state },
  country: { kind: 'text', get: (c) => c.country },
  postalCode: { kind: 'text', get: (c) => c.postalCode },
  source: { kind: 'text', get: (c) => c.source },
  type: { kind: 'keyword', get: (c) => c.type },
  businessId: { kind: 'keyword', get: (c) => c.businessId },
  assignedTo: { kind: 'keyword', get: (c) => c.assignedTo },
  tags: { kind: 'list', get: (c) => c.tags },
  // Stored loosely (sometimes one bare string); searched as a list either way.
  followers: { kind: 'list', get: (c) => (typeof c.followers === 'string' ? [c.followers] : c.followers) },
  dnd: { kind: 'boolean', get: (c) => c.dnd ?? false },
  dateAdded: { kind: 'date', get: (c) => Date.parse(c.dateAdded) },
  dateUpdated: { kind: 'date', get: (c) => Date.parse(c.dateUpdated) },
};

const OPERATORS = ['eq', 'not_eq', 'contains', 'not_contains', 'exists', 'not_exists', 'range'] as const;
type Operator = (typeof OPERATORS)[number];

export type ContactPredicate = (c: ContactRecord) => boolean;

/** GHL limits filter values and queries to 75 characters. */
const MAX_VALUE_LENGTH = 75;

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function textOf(value: unknown): string {
  return typeof value === 'string'
    ? value.toLowerCase()
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : '';
}

function toMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** Compiles `filters` (top level ANDed, as GHL does) into one predicate, or throws 400/422. */
export function compileFilters(filters: unknown, messages: string[]): ContactPredicate {
  if (filters === undefined) return () => true;
  if (!Array.isArray(filters)) {
    messages.push('filters must be an array');
    return () => true;
  }
  const parts = filters.map((f, i) => compileFilter(f, `filters.${i}`, messages));
  return (c) => parts.every((p) => p(c));
}

function compileFilter(filter: unknown, at: string, messages: string[]): ContactPredicate {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    messages.push(`${at} must be an object`);
    return () => true;
  }
  const f = filter as Record<string, unknown>;
  if ('group' in f) {
    if (f.group !== 'AND' && f.group !== 'OR')
      messages.push(`${at}.group must be one of the following values: AND, OR`);
    if (!Array.isArray(f.filters)) {
      messages.push(`${at}.filters must be an array`);
      return () => true;
    }
    const parts = f.filters.map((inner, i) => compileFilter(inner, `${at}.filters.${i}`, messages));
    return f.group === 'OR' ? (c) => parts.some((p) => p(c)) : (c) => parts.every((p) => p(c));
  }
  if (typeof f.field !== 'string' || f.field.length === 0) {
    messages.push(`${at}.field must be a string`);
    return () => true;
  }
  if (typeof f.operator !== 'string' || !(OPERATORS as readonly string[]).includes(f.operator)) {
    messages.push(`${at}.operator must be one of the following values: ${OPERATORS.join(', ')}`);
    return () => true;
  }
  const spec = FILTER_FIELDS[f.field];
  // GHL answers an unknown field with 400, not 422.
  if (!spec) throw httpErrors.badRequest(`Invalid field ${f.field}`);
  return compileCondition(spec, f.field, f.operator as Operator, f.value, at, messages);
}

function compileCondition(
  spec: { kind: FieldKind; get: (c: ContactRecord) => unknown },
  field: string,
  operator: Operator,
  value: unknown,
  at: string,
  messages: string[],
): ContactPredicate {
  const { kind, get } = spec;
  if (operator === 'exists') return (c) => !isEmpty(get(c));
  if (operator === 'not_exists') return (c) => isEmpty(get(c));

  if (operator === 'range') {
    if (kind !== 'date') {
      messages.push(`${at}.operator range is not supported for field ${field}`);
      return () => true;
    }
    const bounds =
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    const keys = bounds ? Object.keys(bounds) : [];
    if (!bounds || keys.length === 0 || keys.some((k) => !['gt', 'gte', 'lt', 'lte'].includes(k))) {
      messages.push(`${at}.value must be an object with gt, gte, lt or lte`);
      return () => true;
    }
    const limits: Partial<Record<'gt' | 'gte' | 'lt' | 'lte', number>> = {};
    for (const key of ['gt', 'gte', 'lt', 'lte'] as const) {
      if (bounds[key] === undefined) continue;
      const ms = toMs(bounds[key]);
      if (ms === undefined)
        messages.push(`${at}.value.${key} must be a date (ISO 8601) or a timestamp in milliseconds`);
      else limits[key] = ms;
    }
    return (c) => {
      const v = get(c);
      if (typeof v !== 'number' || Number.isNaN(v)) return false;
      return (
        (limits.gt === undefined || v > limits.gt) &&
        (limits.gte === undefined || v >= limits.gte) &&
        (limits.lt === undefined || v < limits.lt) &&
        (limits.lte === undefined || v <= limits.lte)
      );
    };
  }

  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0 || values.some((v) => v === undefined || v === null || typeof v === 'object')) {
    messages.push(`${at}.value must be a string, number or boolean (or a list of them)`);
    return () => true;
  }
  if (values.some((v) => typeof v === 'string' && v.length > MAX_VALUE_LENGTH)) {
    messages.push(`${at}.value must be shorter than or equal to ${MAX_VALUE_LENGTH} characters`);
  }

  if (operator === 'contains' || operator === 'not_contains') {
    if (kind === 'date' || kind === 'boolean') {
      messages.push(`${at}.operator ${operator} is not supported for field ${field}`);
      return () => true;
    }
    const needles = values.map(textOf);
    const test = (c: ContactRecord): boolean => {
      const v = get(c);
      const hay = Array.isArray(v) ? v.map(textOf) : [textOf(v)];
      return needles.some((n) => hay.some((h) => h.includes(n)));
    };
    return operator === 'contains' ? test : (c) => !test(c);
  }

  // eq / not_eq
  let test: ContactPredicate;
  if (kind === 'date') {
    const wanted = values.map(toMs);
    if (wanted.some((w) => w === undefined))
      messages.push(`${at}.value must be a date (ISO 8601) or a timestamp in milliseconds`);
    test = (c) => wanted.includes(get(c) as number);
  } else if (kind === 'boolean') {
    const wanted = values.map((v) => v === true || v === 'true');
    test = (c) => wanted.includes(Boolean(get(c)));
  } else {
    const wanted = values.map(textOf);
    test = (c) => {
      const v = get(c);
      const have = Array.isArray(v) ? v.map(textOf) : [textOf(v)];
      return wanted.some((w) => have.includes(w));
    };
  }
  return operator === 'eq' ? test : (c) => !test(c);
}

/**
 * Free-text `query`: every word must appear (case-insensitive) in the name, e-mail, phone or
 * company; a word of digits also matches the phone's digits ("602 555" finds +16025550147).
 */
export function matchesQuery(c: ContactRecord, query: string | null | undefined): boolean {
  const words = (query ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  if (words.length === 0) return true;
  const hay = [c.firstName, c.lastName, c.email, c.phone, c.companyName].map(textOf).join(' ');
  const phoneDigits = (c.phone ?? '').replace(/\D/g, '');
  return words.every((w) => {
    if (hay.includes(w)) return true;
    const digits = w.replace(/\D/g, '');
    return digits.length >= 3 && digits === w.replace(/[\s()+.-]/g, '') && phoneDigits.includes(digits);
  });
}
