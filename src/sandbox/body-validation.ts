// Turns zod issues into the messages GHL's NestJS validation pipe sends on 422, e.g.
// "title should not be empty", "each value in tags must be a string",
// "property locationId should not exist". Every message names the field.

import type { z } from 'zod';
import { httpErrors } from './http-error.js';

type Issue = z.core.$ZodIssue;

const TYPE_PHRASES: Record<string, string> = {
  string: 'a string',
  boolean: 'a boolean value',
  number: 'a number conforming to the specified constraints',
  int: 'an integer number',
  array: 'an array',
  object: 'an object',
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export interface MessageOptions {
  /** Per-field wording of "must be …", e.g. { dueDate: 'a valid ISO 8601 date string' }. */
  phrases?: Readonly<Record<string, string>>;
}

export function issueMessages(issues: readonly Issue[], input: unknown, options: MessageOptions = {}): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String);
    const field = path.join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(`property ${[...path, key].join('.')} should not exist`);
      continue;
    }
    if (path.length === 0) {
      out.push(issue.code === 'invalid_type' ? 'request body must be a JSON object' : issue.message);
      continue;
    }
    if (issue.code === 'invalid_type') {
      const last = issue.path[issue.path.length - 1];
      const phrase = options.phrases?.[field] ?? TYPE_PHRASES[issue.expected] ?? `a valid ${issue.expected}`;
      if (typeof last === 'number') {
        out.push(`each value in ${path.slice(0, -1).join('.')} must be ${TYPE_PHRASES[issue.expected] ?? phrase}`);
        continue;
      }
      const value = valueAt(input, issue.path);
      if (value === undefined || value === null || value === '') out.push(`${field} should not be empty`);
      out.push(`${field} must be ${phrase}`);
      continue;
    }
    if (issue.code === 'invalid_value') {
      out.push(`${field} must be one of the following values: ${issue.values.map(String).join(', ')}`);
      continue;
    }
    // Our own messages (refine, min) are full sentences that start with the field name.
    const root = path[0] ?? '';
    out.push(issue.message.startsWith(root) ? issue.message : `${field} ${issue.message}`);
  }
  return [...new Set(out)];
}

/** The parsed body, or a 422 in GHL's shape. A missing body is validated as `{}`. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, options: MessageOptions = {}): z.infer<S> {
  const input = body === undefined ? {} : body;
  const result = schema.safeParse(input);
  if (!result.success) throw httpErrors.unprocessable(issueMessages(result.error.issues, input, options));
  return result.data;
}
