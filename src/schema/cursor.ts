// Opaque cursors: base64url JSON that only the list that gave it out reads back. A cursor a
// client made up, or one from another list, is a BAD_USER_INPUT naming the argument.
import { clientError } from './errors/client-error.js';

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, check: (value: unknown) => value is T, field: string): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {
    // reported below
  }
  throw clientError('BAD_USER_INPUT', `${field} is not a cursor this list gave out`, { field });
}

/** A JSON array of strings and numbers, as GHL's searchAfter is. */
export const isSearchAfter = (value: unknown): value is Array<string | number> =>
  Array.isArray(value) && value.every((x) => typeof x === 'string' || typeof x === 'number');
