// Lenient zod building blocks. GHL's data is loose (numbers where strings are documented, a
// string where an array is, fields missing or null, new fields appearing): a record with one odd
// field must still arrive, so every field falls back on its own instead of failing the record.
import { z } from 'zod';

/** A string, or a number/boolean GHL sent instead; anything else becomes null. */
export const text = () =>
  z
    .union([z.string(), z.number().transform(String), z.boolean().transform(String)])
    .nullish()
    .catch(null);

/** A boolean, also from "true"/"false"; anything else becomes null. */
export const flag = () =>
  z
    .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
    .nullish()
    .catch(null);

/**
 * A count (a total, a page size): a whole number from 0 to GraphQL's Int maximum, also from a
 * numeric string; anything else (1.5, -1, 1e12, "many") becomes null, because a count exposed as
 * an Int that GraphQL cannot represent would fail the field.
 */
export const count = () =>
  z
    .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
    .pipe(z.number().int().min(0).max(2_147_483_647))
    .nullish()
    .catch(null);

/** A list of strings; a lone string becomes a one-item list (GHL sends `followers` both ways). */
export const stringList = () =>
  z
    .union([
      z.array(z.unknown()).transform((items) => items.filter((i): i is string => typeof i === 'string')),
      z.string().transform((s) => (s === '' ? [] : [s])),
    ])
    .nullish()
    .catch(null);

/** Kept as GHL sent it, for fields whose shape varies too much to promise one. */
export const raw = () => z.unknown().optional();

/** A record must at least have an id; everything else is optional. */
export const recordId = () => z.union([z.string().min(1), z.number().transform(String)]);

/**
 * A list whose items are parsed one by one: an item that is not a record with an id is dropped
 * rather than failing the page (it could not be addressed anyway).
 */
export function lenientList<T extends z.ZodType>(item: T) {
  return z.array(z.unknown()).transform((items) =>
    items.flatMap((entry) => {
      const parsed = item.safeParse(entry);
      return parsed.success ? [parsed.data as z.output<T>] : [];
    }),
  );
}

/** GHL's answer to every delete: `{ succeded: true }`, spelled as GHL spells it. */
export const deleteEnvelope = z.object({ succeded: flag() });
