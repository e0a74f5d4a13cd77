// Scalars that absorb GHL's loose formats on the way out and accept only strict ones on the way in.
//
// graphql-js turns a null returned by serialize into an error (masked, and the whole field lost),
// so an unreadable GHL value must never reach serialize. Field resolvers read GHL's values with
// readInstant / readCalendarDate and return null for what cannot be read, and each such field has
// a `…Raw` companion with the value as GHL sent it. serialize then only formats a value already
// read; anything else reaching it is a resolver that skipped the reader, a bug, and says so.
import { GraphQLError } from 'graphql';
import { readCalendarDate, readInstant } from '../ghl/dates.js';
import { builder } from './builder.js';

builder.scalarType('DateTime', {
  description:
    'A point in time as an ISO 8601 UTC string, e.g. "2026-12-01T09:00:00.000Z". GHL values without a zone are read as UTC.',
  serialize: (value) => readOrBug('DateTime', value, readInstant),
  parseValue: (value) => {
    const iso = typeof value === 'string' && /(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? readInstant(value) : null;
    if (iso === null) {
      throw new GraphQLError('DateTime must be an ISO 8601 string with a zone, e.g. "2026-12-01T09:00:00Z".', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return iso;
  },
});

builder.scalarType('Date', {
  description: 'A calendar date as YYYY-MM-DD, read from any of the formats GHL stores dates of birth in.',
  serialize: (value) => readOrBug('Date', value, readCalendarDate),
  parseValue: (value) => {
    const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? readCalendarDate(value) : null;
    if (date === null) {
      throw new GraphQLError('Date must be a valid date as YYYY-MM-DD.', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return date;
  },
});

builder.scalarType('JSON', {
  description: 'A value GHL sends in a shape that varies, passed through as JSON.',
  serialize: (value) => value,
  parseValue: (value) => value,
});

function readOrBug(scalar: string, value: unknown, reader: (value: unknown) => string | null): string {
  const read = reader(value);
  if (read === null) {
    throw new TypeError(
      `A ${scalar} field resolved to a value it cannot represent (${typeof value}); its resolver must read GHL values first.`,
    );
  }
  return read;
}
