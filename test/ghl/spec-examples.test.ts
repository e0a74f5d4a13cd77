// Every response example in the official contacts spec, for each operation the client covers,
// parses with the client's zod envelopes, and keeps its id. Examples are assembled from the
// spec's own `example` values (the spec gives them per property).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { eventsEnvelope } from '../../src/ghl/appointments.js';
import {
  contactEnvelope,
  contactListEnvelope,
  contactSearchEnvelope,
  contactUpdateEnvelope,
} from '../../src/ghl/contacts.js';
import { deleteEnvelope } from '../../src/ghl/lenient.js';
import { noteEnvelope, notesEnvelope } from '../../src/ghl/notes.js';
import { tagsEnvelope } from '../../src/ghl/tags.js';
import { taskEnvelope, tasksEnvelope } from '../../src/ghl/tasks.js';
import { SPEC_ROOT } from '../support/openapi.js';

type Json = Record<string, unknown>;
const specDir = path.join(SPEC_ROOT, 'apps');
const specs: Record<string, Json> = {
  current: JSON.parse(readFileSync(path.join(specDir, 'contacts.json'), 'utf8')) as Json,
  // The only revision that still documents the search response.
  search: JSON.parse(readFileSync(path.join(specDir, 'contacts@de87e88.json'), 'utf8')) as Json,
};

function resolve(spec: Json, node: Json): Json {
  const ref = node['$ref'];
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  return ref
    .slice(2)
    .split('/')
    .reduce<Json>((at, key) => at[key] as Json, spec);
}

/** Builds an example value from a schema: its own example, or one assembled from its parts. */
function exampleOf(spec: Json, schemaNode: Json, depth = 0): unknown {
  const schema = resolve(spec, schemaNode);
  if ('example' in schema) return schema['example'];
  if (depth > 8) return undefined;
  if (schema['type'] === 'array' || schema['items']) {
    return [exampleOf(spec, (schema['items'] ?? {}) as Json, depth + 1)];
  }
  const properties = schema['properties'] as Record<string, Json> | undefined;
  if (properties) {
    return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, exampleOf(spec, v, depth + 1)]));
  }
  const anyOf = (schema['anyOf'] ?? schema['oneOf']) as Json[] | undefined;
  return anyOf?.[0] ? exampleOf(spec, anyOf[0], depth + 1) : undefined;
}

function responseExample(which: keyof typeof specs, method: string, route: string, status: string): unknown {
  const spec = specs[which]!;
  const operation = ((spec['paths'] as Json)[route] as Json)[method] as Json;
  const response = (operation['responses'] as Json)[status] as Json;
  const schema = ((response['content'] as Json)['application/json'] as Json)['schema'] as Json;
  return exampleOf(spec, schema);
}

/** Ids of the records an envelope carries: `{contact}`, `{tasks: [...]}` and the like. */
function recordIds(envelope: unknown): string[] {
  const values = Object.values((envelope ?? {}) as Json);
  const records = values.flatMap((v) => (Array.isArray(v) ? v : v !== null && typeof v === 'object' ? [v] : []));
  return records.map((r) => (r as Json)['id']).filter((id): id is string => typeof id === 'string');
}

const cases: Array<[string, keyof typeof specs, string, string, string, z.ZodType]> = [
  ['contacts.get', 'current', 'get', '/contacts/{contactId}', '200', contactEnvelope],
  ['contacts.list', 'current', 'get', '/contacts/', '200', contactListEnvelope],
  ['contacts.byBusiness', 'current', 'get', '/contacts/business/{businessId}', '200', contactListEnvelope],
  ['contacts.search', 'search', 'post', '/contacts/search', '200', contactSearchEnvelope],
  ['contacts.create', 'current', 'post', '/contacts/', '201', contactEnvelope],
  ['contacts.update', 'current', 'put', '/contacts/{contactId}', '200', contactUpdateEnvelope],
  ['contacts.delete', 'current', 'delete', '/contacts/{contactId}', '200', deleteEnvelope],
  ['tasks.list', 'current', 'get', '/contacts/{contactId}/tasks', '200', tasksEnvelope],
  ['tasks.get', 'current', 'get', '/contacts/{contactId}/tasks/{taskId}', '200', taskEnvelope],
  ['tasks.create', 'current', 'post', '/contacts/{contactId}/tasks', '201', taskEnvelope],
  ['tasks.update', 'current', 'put', '/contacts/{contactId}/tasks/{taskId}', '200', taskEnvelope],
  ['tasks.setCompleted', 'current', 'put', '/contacts/{contactId}/tasks/{taskId}/completed', '200', taskEnvelope],
  ['tasks.delete', 'current', 'delete', '/contacts/{contactId}/tasks/{taskId}', '200', deleteEnvelope],
  ['notes.list', 'current', 'get', '/contacts/{contactId}/notes', '200', notesEnvelope],
  ['notes.get', 'current', 'get', '/contacts/{contactId}/notes/{id}', '200', noteEnvelope],
  ['notes.create', 'current', 'post', '/contacts/{contactId}/notes', '201', noteEnvelope],
  ['notes.update', 'current', 'put', '/contacts/{contactId}/notes/{id}', '200', noteEnvelope],
  ['notes.delete', 'current', 'delete', '/contacts/{contactId}/notes/{id}', '200', deleteEnvelope],
  ['appointments.list', 'current', 'get', '/contacts/{contactId}/appointments', '200', eventsEnvelope],
  ['tags.add', 'current', 'post', '/contacts/{contactId}/tags', '201', tagsEnvelope],
  ['tags.remove', 'current', 'delete', '/contacts/{contactId}/tags', '200', tagsEnvelope],
];

describe('official spec response examples parse', () => {
  it.each(cases)('%s', (_name, which, method, route, status, envelope) => {
    const example = responseExample(which, method, route, status);
    expect(example).toBeTypeOf('object');
    const parsed = envelope.safeParse(example);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    // Every record of the envelope arrives with its id: nothing was dropped as unreadable.
    expect(recordIds(parsed.data)).toEqual(recordIds(example));
  });

  it('the spec documents search contacts with `followers` as a string example; it reads as a list', () => {
    const example = responseExample('current', 'get', '/contacts/', '200') as {
      contacts: Array<{ followers: unknown }>;
    };
    expect(typeof example.contacts[0]?.followers).toBe('string');
    const parsed = contactListEnvelope.parse(example);
    expect(parsed.contacts[0]?.followers).toEqual([example.contacts[0]?.followers]);
  });
});
