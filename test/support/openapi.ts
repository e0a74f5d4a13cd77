// A small loader and validator for the OpenAPI 3.0 subset the GHL specs use: type, properties,
// items, required, nullable, enum, anyOf/oneOf/allOf, additionalProperties and $ref (local and
// across files, e.g. "../common/common-schemas.json#/components/schemas/BadRequestDTO").
// The specs are the repository's own unmodified copy in test/fixtures/ghl-openapi (SOURCE.md there
// says where and at which commit they came from).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Schema = Record<string, unknown>;

export interface Violation {
  /** Where in the value, e.g. "$.contacts[3].followers". */
  path: string;
  keyword: 'type' | 'nullable' | 'required' | 'enum' | 'anyOf' | 'oneOf' | 'additionalProperties';
  message: string;
}

/** The repository's copy of the official specs; a missing copy fails loudly rather than skips. */
export const SPEC_ROOT = fileURLToPath(new URL('../fixtures/ghl-openapi', import.meta.url));
if (!existsSync(path.join(SPEC_ROOT, 'apps', 'contacts.json'))) {
  throw new Error(`The official GHL OpenAPI specs are missing from ${SPEC_ROOT}; restore test/fixtures/ghl-openapi.`);
}

/** Where an operation is looked up first, then in older revisions that still document more. */
export const CONTACT_SPECS = ['apps/contacts.json', 'apps/contacts@de87e88.json'] as const;

const documents = new Map<string, unknown>();

function loadDocument(file: string): unknown {
  let doc = documents.get(file);
  if (doc === undefined) {
    doc = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    documents.set(file, doc);
  }
  return doc;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function pointerGet(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const raw of pointer.split('/').filter((p) => p.length > 0)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** A self-contained copy of `node` with every $ref replaced by its target (cycles shared). */
export function dereference(node: unknown, file: string, seen = new Map<string, Schema>()): unknown {
  if (Array.isArray(node)) return node.map((n) => dereference(n, file, seen));
  if (!isObject(node)) return node;
  const ref = node.$ref;
  if (typeof ref === 'string') {
    const [target = '', pointer = ''] = ref.split('#');
    const targetFile = target === '' ? file : path.resolve(path.dirname(file), target);
    const key = `${targetFile}#${pointer}`;
    const known = seen.get(key);
    if (known) return known;
    const placeholder: Schema = {};
    seen.set(key, placeholder);
    const resolved = pointerGet(loadDocument(targetFile), pointer);
    if (resolved === undefined) throw new Error(`unresolvable $ref ${ref} in ${file}`);
    Object.assign(placeholder, dereference(resolved, targetFile, seen));
    return placeholder;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node))
    out[k] = k === 'example' || k === 'examples' ? v : dereference(v, file, seen);
  return out;
}

export interface OperationRef {
  method: string;
  path: string;
}

export interface FoundOperation {
  specFile: string;
  method: string;
  path: string;
  operation: Record<string, unknown>;
}

export function operations(spec: string = CONTACT_SPECS[0]): FoundOperation[] {
  const specFile = path.join(SPEC_ROOT, spec);
  const doc = loadDocument(specFile);
  const paths = isObject(doc) && isObject(doc.paths) ? doc.paths : {};
  const out: FoundOperation[] = [];
  for (const [p, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (isObject(operation) && ['get', 'put', 'post', 'delete', 'patch'].includes(method)) {
        out.push({ specFile, method: method.toUpperCase(), path: p, operation });
      }
    }
  }
  return out;
}

export function findOperation(op: string | OperationRef, spec: string = CONTACT_SPECS[0]): FoundOperation | undefined {
  return operations(spec).find((o) =>
    typeof op === 'string'
      ? o.operation.operationId === op
      : o.method === op.method.toUpperCase() && o.path === op.path,
  );
}

/** Scopes named by the operation's `security` (empty when it lists none). */
export function securityScopesFor(op: string | OperationRef, spec: string = CONTACT_SPECS[0]): string[] {
  const found = findOperation(op, spec);
  const security = found?.operation.security;
  if (!Array.isArray(security)) return [];
  return security.flatMap((req) =>
    isObject(req)
      ? Object.values(req)
          .flat()
          .filter((s): s is string => typeof s === 'string')
      : [],
  );
}

/**
 * The JSON schema of an operation's response for a status, dereferenced. Looked up in
 * contacts.json first; where that documents no schema for the status (search's 200), in the
 * older revision that does. Undefined when no spec documents one.
 */
export function responseSchemaFor(
  op: string | OperationRef,
  status: number | string,
  options: { spec?: string } = {},
): Schema | undefined {
  const specs = options.spec ? [options.spec] : CONTACT_SPECS;
  for (const spec of specs) {
    const found = findOperation(op, spec);
    const responses = found?.operation.responses;
    const response = isObject(responses) ? responses[String(status)] : undefined;
    const content = isObject(response) && isObject(response.content) ? response.content['application/json'] : undefined;
    if (found && isObject(content) && isObject(content.schema))
      return dereference(content.schema, found.specFile) as Schema;
  }
  return undefined;
}

/** A schema from common-schemas.json, e.g. "BadRequestDTO". */
export function commonSchema(name: string): Schema {
  const file = path.join(SPEC_ROOT, 'common/common-schemas.json');
  return dereference({ $ref: `#/components/schemas/${name}` }, file) as Schema;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

/** Every place `value` breaks `schema` (an empty list when it conforms). */
export function validate(schema: Schema | undefined, value: unknown, at = '$'): Violation[] {
  if (!schema) return [];
  if (value === null) {
    if (schema.nullable === true || schema.type === undefined) return [];
    return [{ path: at, keyword: 'nullable', message: `is null, but ${String(schema.type)} is not nullable` }];
  }
  const out: Violation[] = [];
  const branches = (key: string): Schema[] => (Array.isArray(schema[key]) ? (schema[key] as Schema[]) : []);

  if (branches('allOf').length > 0) for (const s of branches('allOf')) out.push(...validate(s, value, at));
  if (branches('anyOf').length > 0 && !branches('anyOf').some((s) => validate(s, value, at).length === 0)) {
    out.push({ path: at, keyword: 'anyOf', message: 'matches none of anyOf' });
  }
  if (branches('oneOf').length > 0) {
    const matching = branches('oneOf').filter((s) => validate(s, value, at).length === 0).length;
    if (matching !== 1)
      out.push({ path: at, keyword: 'oneOf', message: `matches ${matching} of oneOf (want exactly 1)` });
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    out.push({
      path: at,
      keyword: 'enum',
      message: `${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`,
    });
  }
  if (typeof schema.type === 'string' && !hasType(value, schema.type)) {
    out.push({ path: at, keyword: 'type', message: `expected ${schema.type}, got ${typeOf(value)}` });
    return out;
  }

  if (isObject(value)) {
    const properties = isObject(schema.properties) ? schema.properties : {};
    for (const key of Array.isArray(schema.required) ? schema.required : []) {
      if (typeof key === 'string' && value[key] === undefined)
        out.push({ path: `${at}.${key}`, keyword: 'required', message: 'is required' });
    }
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) continue;
      const propertySchema = properties[key];
      if (isObject(propertySchema)) out.push(...validate(propertySchema, child, `${at}.${key}`));
      else if (schema.additionalProperties === false) {
        out.push({ path: `${at}.${key}`, keyword: 'additionalProperties', message: 'is not allowed' });
      } else if (isObject(schema.additionalProperties))
        out.push(...validate(schema.additionalProperties, child, `${at}.${key}`));
    }
  }
  if (Array.isArray(value) && isObject(schema.items)) {
    const items = schema.items;
    value.forEach((item, i) => out.push(...validate(items, item, `${at}[${i}]`)));
  }
  return out;
}
