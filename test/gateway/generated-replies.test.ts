// Property: whatever GHL answers, the gateway never crashes a field. Replies are generated from
// the official spec's response schemas (get contact, search from contacts@de87e88.json, list and
// by business, tasks, notes, appointments), loosened as real GHL data is (every date format GHL
// uses and unreadable ones, followers as a string, nulls, missing and unknown fields, numbers for
// strings, JSON nested past the gateway's limit) and now and then replaced by a body that cannot
// be read at all. Each case runs one query selecting every field of every type, in process.
// Asserted: HTTP 200, `viewer` always arrives, and every error is a typed one on a field that
// called GHL; no INTERNAL_SERVER_ERROR, and nothing logged as unexpected.
import fc from 'fast-check';
import { isObjectType } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { gatewaySchemas } from '../../src/schema/index.js';
import { responseSchemaFor, type Schema } from '../support/openapi.js';
import { createFakeGhl, FAKE_CONTACT, FAKE_LOCATION, type FakeReply, type ReadOperation } from './fake-ghl.js';
import { selectAll } from './select-all.js';
import { specArbitrary } from './spec-arbitrary.js';

const RUNS = 1_000;

function spec(method: string, path: string, options: { spec?: string } = {}): Schema {
  const schema = responseSchemaFor({ method, path }, 200, options);
  if (!schema) throw new Error(`the spec documents no 200 schema for ${method} ${path}`);
  return schema;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Dates in every shape ghl-api.md lists, readable or not, from parts that may not form a date. */
const oddDate = fc
  .tuple(
    fc.integer({ min: 1890, max: 2100 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 25 }),
  )
  .chain(([y, m, d, h]) =>
    fc.constantFrom<unknown>(
      `${y}-${pad(m)}-${pad(d)}T${pad(h)}:30:00.000Z`,
      `${y}-${pad(m)}-${pad(d)}T${pad(h)}:30:00+05:30`,
      `${y}-${pad(m)}-${pad(d)} ${pad(h)}:30:00`,
      `${y}-${pad(m)}-${pad(d)}`,
      `${y}/${pad(m)}/${pad(d)}`,
      `${pad(m)}/${pad(d)}/${y}`,
      `${pad(m)}-${pad(d)}-${y}`,
      `${y}.${pad(m)}.${pad(d)}`,
      `${pad(m)}.${pad(d)}.${y}`,
      `${y}_${pad(m)}_${pad(d)}`,
      `${pad(m)}_${pad(d)}_${y}`,
      Date.UTC(y, m, d, h),
      String(Date.UTC(y, m, d, h)),
      Math.floor(Date.UTC(y, m, d, h) / 1000),
    ),
  );

const knownOddities = fc.constantFrom<unknown>(
  'Date format YYYY-MM-DD',
  '',
  '02/31/1990',
  'N/A',
  ' ',
  'null',
  '1e400',
  '9'.repeat(30),
);

/** JSON nested 1 to 40 levels: past about 30, the reply holding it exceeds the gateway's limit. */
const deepValue = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.boolean()).map(([levels, asObjects]) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = asObjects ? { v: value } : [value];
  return value;
});

const loose: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: oddDate },
  { weight: 2, arbitrary: knownOddities },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) },
  { weight: 1, arbitrary: deepValue },
);

/** Mostly ids the gateway accepts in a URL, so children are fetched; sometimes anything. */
const id = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{20}$/) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null)) },
);

const generated = (schema: Schema) => specArbitrary(schema, { loose, byName: { id }, maxItems: 2 });

/** Bodies no envelope survives: not JSON, empty, the wrong shape, 10,000 levels deep. */
const unreadable = fc.constantFrom<string>(
  '',
  'not json',
  '<html><body>502 Bad Gateway</body></html>',
  '{"contact":{"id":"abc"',
  'null',
  '[]',
  '"text"',
  '{}',
  `{"contact":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
);

function reply(body: fc.Arbitrary<unknown>): fc.Arbitrary<FakeReply> {
  return fc.oneof(
    { weight: 20, arbitrary: body.map((b) => ({ body: b })) },
    { weight: 2, arbitrary: unreadable.map((text) => ({ body: text })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(404, 500, 400, 422)
        .map((status) => ({ status, body: { statusCode: status, message: ['odd'] } })),
    },
  );
}

const listSchema = fc.constantFrom(spec('GET', '/contacts/'), spec('GET', '/contacts/business/{businessId}'));

/** The contact `contact(id:)` reads is FAKE_CONTACT, so that its children are the ones generated below. */
const asTheContact = (body: unknown) =>
  isObject(body) && isObject(body['contact']) ? { ...body, contact: { ...body['contact'], id: FAKE_CONTACT } } : body;

/**
 * The record by id and the children are generated for that one contact; every other contact's
 * (a list record read by id for a field it lacks, its tasks…) are the fake's small defaults.
 * Whose they are changes nothing in how they are read, and resolving the same generated replies
 * under every contact of every page would only slow the cases down.
 */
const only = (arbitrary: fc.Arbitrary<FakeReply>) => arbitrary.map((r) => ({ ...r, onlyForContact: FAKE_CONTACT }));
const child = (schema: Schema) => only(reply(generated(schema)));

const replies: fc.Arbitrary<Record<ReadOperation, FakeReply>> = fc.record({
  'contacts.get': only(reply(generated(spec('GET', '/contacts/{contactId}')).map(asTheContact))),
  // The current contacts.json documents no schema for search's 200; the earlier revision does.
  'contacts.search': reply(generated(spec('POST', '/contacts/search', { spec: 'apps/contacts@de87e88.json' }))),
  // The gateway reads GET /contacts/ and by-business replies with one envelope; either spec's shape is fed to it.
  'contacts.byBusiness': reply(listSchema.chain(generated)),
  'tasks.list': child(spec('GET', '/contacts/{contactId}/tasks')),
  'tasks.get': child(spec('GET', '/contacts/{contactId}/tasks/{taskId}')),
  'notes.list': child(spec('GET', '/contacts/{contactId}/notes')),
  'notes.get': child(spec('GET', '/contacts/{contactId}/notes/{id}')),
  'appointments.list': child(spec('GET', '/contacts/{contactId}/appointments')),
});

/** The codes a GHL reply may end in; INTERNAL_SERVER_ERROR is not one of them. */
const TYPED = new Set(['UPSTREAM_BAD_RESPONSE', 'UPSTREAM_UNAVAILABLE', 'BAD_USER_INPUT', 'NOT_FOUND']);
/**
 * The fields that call GHL, as the schema declares them (`ghlCost`: a call of their own, or a
 * read by id when a list record lacks the field): an error may only sit on one of them.
 */
const GHL_FIELDS = new Set(
  Object.values(gatewaySchemas().read.getTypeMap())
    .filter(isObjectType)
    .flatMap((type) => Object.values(type.getFields()))
    .filter((field) => field.extensions?.['ghlCost'] !== undefined)
    .map((field) => field.name),
);

const ghl = createFakeGhl();
afterAll(() => ghl.reset());
const query = selectAll(gatewaySchemas().read, {
  args: { id: `"${FAKE_CONTACT}"`, businessId: '"Bfake00000000000001"', first: '2' },
  // Each of these returns records a sibling selection already expands in full (the same search reply).
  idOnly: ['ContactEdge.node', 'ContactSyncPage.contacts'],
});

describe('generated GHL replies', () => {
  it(`never crash a field: ${RUNS} cases, every field of every type selected`, async () => {
    const seen = { cases: 0, withErrors: 0, errorCodes: new Map<string, number>() };
    await fc.assert(
      fc.asyncProperty(replies, async (answers) => {
        ghl.reset();
        ghl.answer(answers);
        const { status, body } = await ghl.query(query);
        seen.cases += 1;
        if ((body.errors?.length ?? 0) > 0) seen.withErrors += 1;
        expect(status).toBe(200);
        expect(body.data?.['viewer']).toMatchObject({ locationId: FAKE_LOCATION });
        for (const error of body.errors ?? []) {
          const code = String(error.extensions?.['code']);
          seen.errorCodes.set(code, (seen.errorCodes.get(code) ?? 0) + 1);
          expect(TYPED, `${code}: ${error.message} at ${error.path?.join('.')}\n${ghl.logs.join('\n')}`).toContain(
            code,
          );
          const field = error.path?.filter((p): p is string => typeof p === 'string').at(-1);
          expect(GHL_FIELDS, `error on ${error.path?.join('.')}`).toContain(field);
        }
        expect(ghl.logs.filter((line) => line.includes('unexpected'))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
    // The generator reaches both outcomes often: clean responses and typed errors.
    expect(seen.cases).toBeGreaterThanOrEqual(RUNS);
    expect(seen.withErrors).toBeGreaterThan(RUNS / 10);
    expect(seen.withErrors).toBeLessThan(RUNS);
    expect(seen.errorCodes.get('UPSTREAM_BAD_RESPONSE') ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
