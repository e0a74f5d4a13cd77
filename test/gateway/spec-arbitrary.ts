// fast-check arbitraries from the OpenAPI 3.0 response schemas of the official GHL specs (the
// subset test/support/openapi.ts dereferences: type, properties, items, required, nullable, enum,
// anyOf/oneOf/allOf, example), loosened the way real GHL data is loose: any field may hold
// something else instead, optional fields go missing, unknown fields appear.
import fc from 'fast-check';
import type { Schema } from '../support/openapi.js';

export interface SpecArbitraryOptions {
  /** What any field may hold instead of what the spec says (about one field in `looseOneIn`). */
  loose?: fc.Arbitrary<unknown>;
  looseOneIn?: number;
  /** Arbitraries for properties of this name wherever they appear (e.g. ids the gateway accepts). */
  byName?: Record<string, fc.Arbitrary<unknown>>;
  /** Schema levels expanded before a branch is cut off with null (the specs reuse shapes). */
  maxDepth?: number;
  /** Longest array generated; default 3. */
  maxItems?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Values for `schema`; the top level always has every property (the reply envelope). */
export function specArbitrary(schema: Schema, options: SpecArbitraryOptions = {}): fc.Arbitrary<unknown> {
  return build(schema, options, 0);
}

function build(schema: Schema, options: SpecArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  if (depth > (options.maxDepth ?? 8)) return fc.constant(null);
  const base = baseOf(schema, options, depth);
  return schema.nullable === true ? fc.option(base, { nil: null }) : base;
}

function baseOf(schema: Schema, options: SpecArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...(schema.enum as unknown[]));
  const branches = [schema.anyOf, schema.oneOf].find((b): b is Schema[] => Array.isArray(b) && b.length > 0);
  if (branches) return fc.oneof(...branches.map((b) => build(b, options, depth + 1)));
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const parts = (schema.allOf as Schema[]).map((s) => build(s, options, depth + 1));
    return fc.tuple(...parts).map((values) => Object.assign({}, ...values.filter(isObject)));
  }
  const type = schema.type ?? (isObject(schema.properties) ? 'object' : undefined);
  switch (type) {
    case 'object':
      return objectOf(schema, options, depth);
    case 'array': {
      const items = isObject(schema.items) ? build(schema.items, options, depth + 1) : fc.jsonValue({ maxDepth: 1 });
      return fc.array(items, { maxLength: options.maxItems ?? 3 });
    }
    case 'string':
      return typeof schema.example === 'string'
        ? fc.oneof(fc.constant(schema.example), fc.string({ maxLength: 24 }))
        : fc.string({ maxLength: 24 });
    case 'number':
      return fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'integer':
      return fc.integer();
    case 'boolean':
      return fc.boolean();
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(schema: Schema, options: SpecArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  const properties = isObject(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, child] of Object.entries(properties)) {
    const spec = options.byName?.[name] ?? build(child, options, depth + 1);
    fields[name] =
      options.loose && depth > 0
        ? fc.oneof({ weight: (options.looseOneIn ?? 5) - 1, arbitrary: spec }, { weight: 1, arbitrary: options.loose })
        : spec;
  }
  const required =
    depth === 0 ? Object.keys(fields) : ((schema.required as string[] | undefined) ?? []).filter((k) => k in fields);
  const record = fc.record(fields, { requiredKeys: required });
  // Fields GHL added after the spec was written.
  const unknown = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
    maxKeys: 2,
  });
  return fc.tuple(record, unknown).map(([known, extra]) => ({ ...extra, ...known }));
}
