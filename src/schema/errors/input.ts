// What a caller typed, checked before it reaches the GHL client, so an error names the argument or
// input field as the caller wrote it (`id`, `input.dueDate`), not the name GHL gives it.
import type { z } from 'zod';
import { badIdReason } from '../../ghl/ids.js';
import { clientError } from './client-error.js';

/** Parses mutation input with a shared zod schema; the error names the field as the caller typed it. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, argName: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const field = [argName, ...issue.path, issue.keys[0]].join('.');
    throw clientError('BAD_USER_INPUT', `${field} is not accepted by GHL for this operation`, { field });
  }
  const field = [argName, ...(issue?.path ?? [])].join('.');
  throw clientError('BAD_USER_INPUT', `${field} ${issue?.message ?? 'is invalid'}`, { field });
}

/**
 * An id argument, checked by the rule the GHL client applies before an id goes into a URL. The
 * client checks again; this check is here so the error names `argName` (`contact(id:)` reads GHL's
 * `contactId`).
 */
export function idArg(argName: string, value: string): string {
  const bad = badIdReason(value);
  if (bad !== undefined) throw clientError('BAD_USER_INPUT', `${argName} ${bad}`, { field: argName });
  return value;
}
