// GHL ids are opaque: 20-character Firestore-style ids for most records and 24-hex Mongo ids for
// businesses. We only accept the characters either can contain, with a hard length cap, so that
// nothing a caller types (`../locations/x`, a query string, 10 kB of text) ever shapes a URL.
import { GhlBadInputError } from './errors.js';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isGhlId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** Validates an id for use as a path segment and returns it URL-encoded. */
export function pathId(operation: string, field: string, value: unknown): string {
  if (!isGhlId(value)) throw new GhlBadInputError(operation, field, describeBadId(value));
  // The pattern leaves nothing to encode, but encoding keeps the guarantee if it ever widens.
  return encodeURIComponent(value);
}

/** Why a value is not a GHL id ("must not be empty", …), or undefined when it is one. */
export function badIdReason(value: unknown): string | undefined {
  return isGhlId(value) ? undefined : describeBadId(value);
}

function describeBadId(value: unknown): string {
  if (typeof value !== 'string') return 'must be a string id';
  if (value.length === 0) return 'must not be empty';
  if (value.length > 64) return `is ${value.length} characters long; GHL ids are at most 64`;
  return 'may contain only letters, digits, "-" and "_"';
}
