// Every row of the README's "Caller mistakes" table, sent to a running gateway as a new user would
// send it: the code, the HTTP status (for both Accept headers where the table says `400 / 200`),
// and that the message names the fix. The table and this list must stay the same rows: a row
// added to one and not the other fails here. Whatever was refused before GHL sent nothing to it
// (counted at the sandbox), and no message repeats a token.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { mintSandboxToken, signSandboxJwt } from '../../src/sandbox/tokens.js';
import { startStack, type Stack } from '../support/stack.js';

const { sunrise, harbor } = sandboxFixtures;

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

interface Send {
  query?: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** Sent as `Authorization: Bearer <token>`; null sends none. */
  token?: string | null;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  /** The body as it goes on the wire, instead of the JSON of query and variables. */
  rawBody?: string;
  accept?: string;
  /** Which gateway: the managed one (default), one with PASSTHROUGH=off, or one with a tight budget. */
  on?: 'main' | 'keysOnly' | 'tight';
}

interface Case {
  label: string;
  send: () => Send;
  /** The message names the fix. */
  hint: RegExp;
  extensions?: Record<string, unknown>;
  /** GHL itself decides this one, so one call reaches the sandbox. */
  reachesGhl?: boolean;
}

interface Mistake {
  code: string;
  /** As in the README's HTTP column: a status for every Accept, or `400 / 200`. */
  http: string;
  /** The README row's "when", word for word. */
  when: string;
  cases: Case[];
}

const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const JSON_ONLY = 'application/json';
const TOKEN_KINDS = /JWT.*pit-.*X-GHL-Location-Id.*lpk_/;
const VIEWER = '{ viewer { locationId } }';
const FAR = 4_102_444_800;
const jwt = (claims: Record<string, unknown>) => signSandboxJwt({ iat: 1, exp: FAR, ...claims }, 'any-secret');

let main: Stack;
let keysOnly: Stack;
let tight: Stack;
const keys = {
  readOnly: '',
  writeOnReadOnlyCredential: '',
  revoked: '',
  expired: '',
  notInstalled: '',
  needsReinstall: '',
  keysOnly: '',
};

beforeAll(async () => {
  [main, keysOnly, tight] = await Promise.all([
    startStack({ managed: true }),
    startStack({ managed: true, env: { PASSTHROUGH: 'off' } }),
    // 3 calls a minute and a short wait: one page of two contacts with tasks spends it all.
    startStack({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_INTERVAL_MS: '60000', RATE_LIMIT_MAX_WAIT_MS: '500' } }),
  ]);
  const managed = main.managed!;
  const pit = (locationId: string, scopes: string[], status: 'active' | 'needs_reinstall' = 'active') =>
    managed.store.putCredential({
      kind: 'pit',
      locationId,
      token: main.sandbox.tokens[0]!.privateIntegration,
      scopes,
      status,
      updatedAt: Date.now(),
    });
  await pit(sunrise.locationId, ['contacts.readonly', 'contacts.write']);
  await pit(harbor.locationId, ['contacts.readonly']);
  await pit('LocationGhlRefused01', ['contacts.readonly'], 'needs_reinstall');
  const key = async (locationId: string, scopes: string[], expiresInMs?: number) =>
    managed.apiKeys.create({ locationId, scopes, ...(expiresInMs ? { expiresInMs } : {}) });
  keys.readOnly = (await key(sunrise.locationId, ['contacts.readonly'])).key;
  keys.writeOnReadOnlyCredential = (await key(harbor.locationId, ['contacts.readonly', 'contacts.write'])).key;
  const revoked = await key(sunrise.locationId, ['contacts.readonly']);
  await managed.apiKeys.revoke(revoked.record.id);
  keys.revoked = revoked.key;
  keys.expired = (await key(sunrise.locationId, ['contacts.readonly'], 1)).key;
  keys.notInstalled = (await key('LocationNotInstalled', ['contacts.readonly'])).key;
  keys.needsReinstall = (await key('LocationGhlRefused01', ['contacts.readonly'])).key;
  keys.keysOnly = (await keysOnly.managed!.apiKeys.create({ locationId: sunrise.locationId, scopes: ['x'] })).key;
  // Spend the tight gateway's budget: 1 search and 2 task lists.
  const spent = await tight.gql('{ contacts(first: 2) { nodes { tasks { id } } } }');
  expect(spent.body.errors).toBeUndefined();
}, 60_000);
afterAll(() => Promise.all([main?.close(), keysOnly?.close(), tight?.close()]));

const stacks = () => ({ main, keysOnly, tight });

async function send(request: Send, accept: string): Promise<Answer> {
  const stack = stacks()[request.on ?? 'main'];
  const token = request.token === undefined ? stack.readOnly : request.token;
  const headers: Record<string, string> = {
    accept: request.accept ?? accept,
    ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    ...(request.method === 'GET' ? {} : { 'content-type': 'application/json' }),
    ...request.headers,
  };
  const params = { query: request.query ?? VIEWER, variables: request.variables, operationName: request.operationName };
  const response =
    request.method === 'GET'
      ? await fetch(`${stack.url}?${new URLSearchParams({ query: params.query })}`, { headers })
      : await fetch(stack.url, { method: 'POST', headers, body: request.rawBody ?? JSON.stringify(params) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Answer['body']) };
}

const pit = () => main.sandbox.tokens[0]!.privateIntegration;
const createTask = (contactId: string) =>
  `mutation { createTask(contactId: "${contactId}", input: { title: "x", dueDate: "2030-01-01T00:00:00Z" }) { task { id } } }`;
const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { locationId }`).join(' ')} }`;
const MISTAKES: Mistake[] = [
  {
    code: 'UNAUTHENTICATED',
    http: '401',
    when: 'no `Authorization` header (`reason: missing_token`)',
    cases: [
      {
        label: 'no header',
        send: () => ({ token: null }),
        hint: TOKEN_KINDS,
        extensions: { reason: 'missing_token' },
      },
    ],
  },
  {
    code: 'UNAUTHENTICATED',
    http: '401',
    when: '`Authorization` is not `Bearer <token>` (`malformed_header`)',
    cases: [
      {
        label: 'Basic',
        send: () => ({ token: null, headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
        hint: TOKEN_KINDS,
        extensions: { reason: 'malformed_header' },
      },
    ],
  },
  {
    code: 'UNAUTHENTICATED',
    http: '401',
    when: 'a bearer token of none of those shapes (`malformed_token`)',
    cases: [
      { label: 'too short', send: () => ({ token: 'short' }), hint: TOKEN_KINDS },
      { label: 'a quote in it', send: () => ({ token: '"abcdefghijklmnopq"' }), hint: TOKEN_KINDS },
    ],
  },
  {
    code: 'UNAUTHENTICATED',
    http: '401',
    when: "a JWT whose payload is not GHL's claims (`unreadable_jwt`)",
    cases: [
      {
        label: 'payload not JSON',
        send: () => ({ token: 'eyJhbGciOiJIUzI1NiJ9.bm90LWpzb24.c2lnbmF0dXJl' }),
        hint: TOKEN_KINDS,
        extensions: { reason: 'unreadable_jwt' },
      },
    ],
  },
  {
    code: 'UNAUTHENTICATED',
    http: '401',
    when: 'a GHL token past its `exp` (`expired_token`)',
    cases: [
      {
        label: 'expired a minute ago',
        send: () => ({
          token: mintSandboxToken({
            locationId: sunrise.locationId,
            scopes: ['contacts.readonly'],
            expiresInSeconds: -60,
          }),
        }),
        hint: /expired: get a new access token/,
        extensions: { reason: 'expired_token' },
      },
    ],
  },
  {
    code: 'UNAUTHENTICATED',
    http: '401',
    when: 'a JWT without a location (`authClassId` with `authClass: "Location"`) or without `oauthMeta.scopes`, e.g. an agency token (`missing_claims`)',
    cases: [
      {
        label: 'no claims at all',
        send: () => ({ token: jwt({}), query: '{ contacts(first: 1) { totalCount } }' }),
        hint: /authClassId.*oauthMeta\.scopes.*location's OAuth access token/,
        extensions: { reason: 'missing_claims' },
      },
      {
        label: 'scopes but no location',
        send: () => ({ token: jwt({ authClass: 'Location', oauthMeta: { scopes: ['contacts.readonly'] } }) }),
        hint: /^(?!.*oauthMeta).*authClassId/,
      },
      {
        label: 'a location but no scopes',
        send: () => ({ token: jwt({ authClass: 'Location', authClassId: sunrise.locationId }) }),
        hint: /^(?!.*authClassId).*oauthMeta\.scopes/,
      },
      {
        label: 'an agency token',
        send: () => ({
          token: jwt({
            authClass: 'Company',
            authClassId: 'AgencyCompany0001',
            oauthMeta: { scopes: ['contacts.readonly'] },
          }),
        }),
        hint: /agency \(Company\) token.*POST \/oauth\/locationToken/,
      },
    ],
  },
  {
    code: 'UNAUTHENTICATED',
    http: '401',
    when: 'a private integration token without `X-GHL-Location-Id` (`missing_location_header`)',
    cases: [
      {
        label: 'no header',
        send: () => ({ token: pit(), query: '{ contacts(first: 1) { totalCount } }' }),
        hint: /send "X-GHL-Location-Id: <location id>"/,
        extensions: { reason: 'missing_location_header' },
      },
    ],
  },
  {
    code: 'UNAUTHENTICATED',
    http: '401',
    when: 'an `X-GHL-Location-Id` that is not a location id (`malformed_location_header`)',
    cases: [
      {
        label: 'a path',
        send: () => ({ token: pit(), headers: { 'x-ghl-location-id': '../locations/x' } }),
        hint: /x-ghl-location-id.*letters, digits/i,
        extensions: { reason: 'malformed_location_header' },
      },
    ],
  },
  {
    code: 'UNAUTHENTICATED',
    http: '401',
    when: 'an API key on a gateway without `CREDENTIALS_KEY` (`api_keys_off`)',
    cases: [
      {
        label: 'a key',
        send: () => ({ on: 'tight', token: keys.readOnly }),
        hint: /CREDENTIALS_KEY.*send a GHL token/,
        extensions: { reason: 'api_keys_off' },
      },
    ],
  },
  {
    code: 'UNAUTHENTICATED',
    http: '401',
    when: 'a GHL token on a gateway with `PASSTHROUGH=off` (`passthrough_off`)',
    cases: [
      {
        label: 'a GHL token',
        send: () => ({ on: 'keysOnly' }),
        hint: /PASSTHROUGH=off.*lpk_/,
        extensions: { reason: 'passthrough_off' },
      },
    ],
  },
  {
    code: 'UNAUTHENTICATED',
    http: '401',
    when: 'an API key cut short or mistyped (`api_key_malformed`)',
    cases: [
      {
        label: 'cut short',
        send: () => ({ token: keys.readOnly.slice(0, -5) }),
        hint: /"lpk_", 16 hex digits.*copied whole/,
        extensions: { reason: 'api_key_malformed' },
      },
    ],
  },
  {
    code: 'UNAUTHENTICATED',
    http: '401',
    when: 'an API key this gateway does not have (`api_key_unknown`)',
    cases: [
      {
        label: "another gateway's key",
        send: () => ({ token: keys.keysOnly }),
        hint: /npm run credentials -- keys create/,
        extensions: { reason: 'api_key_unknown' },
      },
    ],
  },
  {
    code: 'UNAUTHENTICATED',
    http: '401',
    when: 'a revoked or expired API key (`api_key_revoked`, `api_key_expired`)',
    cases: [
      {
        label: 'revoked',
        send: () => ({ token: keys.revoked }),
        hint: /revoked: use the key that replaced it, or create one/,
        extensions: { reason: 'api_key_revoked' },
      },
      {
        label: 'expired',
        send: () => ({ token: keys.expired }),
        hint: /expired: use the key that replaced it, or create one/,
        extensions: { reason: 'api_key_expired' },
      },
    ],
  },
  {
    code: 'UNAUTHENTICATED',
    http: '401',
    when: 'an API key of a location with no GHL credential, or one GHL no longer accepts (`not_installed`, `needs_reinstall`)',
    cases: [
      {
        label: 'not installed',
        send: () => ({ token: keys.notInstalled }),
        hint: /install the app \(GET \/oauth\/install\)/,
        extensions: { reason: 'not_installed' },
      },
      {
        label: 'needs a re-install',
        send: () => ({ token: keys.needsReinstall }),
        hint: /re-install the app for that location/,
        extensions: { reason: 'needs_reinstall' },
      },
    ],
  },
  {
    code: 'UNAUTHENTICATED',
    http: '200',
    when: 'GHL refused a token the gateway could not check (a bad signature, revoked), on the field that called GHL',
    cases: [
      {
        label: 'signed with another key',
        send: () => ({
          token: jwt({
            authClass: 'Location',
            authClassId: sunrise.locationId,
            oauthMeta: { scopes: ['contacts.readonly'] },
          }),
          query: `{ contact(id: "${sunrise.richContactId}") { id } }`,
        }),
        hint: /GHL refused the token: Invalid JWT\. .*get a new one/,
        reachesGhl: true,
      },
    ],
  },
  {
    code: 'FORBIDDEN',
    http: '403',
    when: 'a mutation from a caller without `contacts.write` (`reason: read_only`)',
    cases: [
      {
        label: 'a read-only GHL token',
        send: () => ({ query: createTask(sunrise.richContactId) }),
        hint: /This token is read-only.*Use a GHL token with contacts\.write/,
        extensions: { reason: 'read_only', scope: 'contacts.write' },
      },
      {
        label: 'a read-only GHL token, with input variables the read schema does not have',
        send: () => ({
          query:
            'mutation Add($input: CreateTaskInput!) { createTask(contactId: "abc", input: $input) { task { id } } }',
          variables: { input: { title: 'x', dueDate: '2030-01-01T00:00:00Z' } },
        }),
        hint: /This token is read-only/,
      },
      {
        label: 'a private integration token',
        send: () => ({
          token: pit(),
          headers: { 'x-ghl-location-id': sunrise.locationId },
          query: createTask(sunrise.richContactId),
        }),
        hint: /read-only.*OPAQUE_TOKEN_SCOPES \(now "contacts\.readonly"\).*contacts\.write/,
      },
      {
        label: 'a read-only API key',
        send: () => ({ token: keys.readOnly, query: createTask(sunrise.richContactId) }),
        hint: /This API key is read-only.*Use an API key with contacts\.write.*keys create/,
      },
      {
        label: 'a write API key on a read-only credential',
        send: () => ({ token: keys.writeOnReadOnlyCredential, query: createTask(harbor.richContactId) }),
        hint: new RegExp(`key has it, but the GHL credential of location ${harbor.locationId} does not: re-install`),
      },
    ],
  },
  {
    code: 'FORBIDDEN',
    http: '200',
    when: 'a field whose scope the caller lacks, e.g. `contacts` without `contacts.readonly` (`reason: missing_scope`)',
    cases: [
      {
        label: 'a token with calendar scopes only',
        send: () => ({
          token: mintSandboxToken({ locationId: sunrise.locationId, scopes: ['calendars.readonly'] }),
          query: '{ viewer { locationId } contacts(first: 1) { totalCount } }',
        }),
        hint: /Query\.contacts needs the contacts\.readonly scope; this token has: calendars\.readonly\. Use a GHL token with contacts\.readonly/,
        extensions: { reason: 'missing_scope', scope: 'contacts.readonly' },
      },
    ],
  },
  {
    code: 'FORBIDDEN',
    http: '200',
    when: "a record of another location than the token's (GHL's 403)",
    cases: [
      {
        label: "harbor's contact with sunrise's token",
        send: () => ({ query: `{ contact(id: "${harbor.richContactId}") { id } }` }),
        hint: /may belong to another location/,
        reachesGhl: true,
      },
    ],
  },
  {
    code: 'GRAPHQL_PARSE_FAILED',
    http: '400 / 200',
    when: 'a syntax error',
    cases: [{ label: 'unclosed', send: () => ({ query: '{ viewer { ' }), hint: /Expected Name, found <EOF>/ }],
  },
  {
    code: 'GRAPHQL_VALIDATION_FAILED',
    http: '400 / 200',
    when: 'a field, argument, type or enum value the schema does not have',
    cases: [
      {
        label: 'a typo',
        send: () => ({ query: '{ contacts(first: 1) { nodes { emial } } }' }),
        hint: /Did you mean "email"/,
      },
    ],
  },
  {
    code: 'OPERATION_RESOLUTION_FAILURE',
    http: '400 / 200',
    when: 'several operations and no `operationName`, or an `operationName` the document lacks',
    cases: [
      {
        label: 'two operations',
        send: () => ({ query: 'query A { viewer { locationId } } query B { viewer { canWrite } }' }),
        hint: /needs "operationName"/,
      },
      {
        label: 'an unknown name',
        send: () => ({ query: 'query A { viewer { locationId } }', operationName: 'Dashboard' }),
        hint: /"operationName" must match/,
      },
    ],
  },
  {
    code: 'BAD_USER_INPUT',
    http: '400 / 200',
    when: 'a variable of the wrong type, a missing one, or one nested over 20 levels (`field: "$first"`)',
    cases: [
      {
        label: 'a string for an Int',
        send: () => ({
          query: 'query($first: Int) { contacts(first: $first) { totalCount } }',
          variables: { first: 'abc' },
        }),
        hint: /"\$first" got invalid value.*Int/,
        extensions: { field: '$first' },
      },
      {
        label: 'a missing ID!',
        send: () => ({ query: 'query($id: ID!) { contact(id: $id) { id } }' }),
        hint: /"\$id" of required type "ID!" was not provided/,
      },
      {
        label: 'nested 21 levels',
        send: () => ({
          query: 'query($id: ID!) { contact(id: $id) { id } }',
          variables: { id: JSON.parse(`${'['.repeat(21)}${']'.repeat(21)}`) as unknown },
        }),
        hint: /"\$id" is nested deeper than the limit of 20 levels/,
      },
    ],
  },
  {
    code: 'QUERY_TOO_DEEP',
    http: '400 / 200',
    when: 'nested deeper than `MAX_QUERY_DEPTH` (10; introspection is exempt)',
    cases: [
      {
        label: 'eleven levels through fragments',
        send: () => ({
          query:
            '{ contacts(first: 1) { ...A } } fragment A on ContactConnection { nodes { tasks { ...B } } } ' +
            'fragment B on Task { id ...C } fragment C on Task { ...D } fragment D on Task { ...E } ' +
            'fragment E on Task { ...F } fragment F on Task { ...G } fragment G on Task { ...H } ' +
            'fragment H on Task { ...I } fragment I on Task { title }',
        }),
        hint: /levels of nesting; the limit is 10 \(MAX_QUERY_DEPTH\)\. To fit, select fewer nested levels/,
        extensions: { limit: 10 },
      },
    ],
  },
  {
    code: 'QUERY_TOO_MANY_ALIASES',
    http: '400 / 200',
    when: 'more aliases than `MAX_QUERY_ALIASES` (30)',
    cases: [
      {
        label: '31 aliases',
        send: () => ({ query: aliases(31) }),
        hint: /has 31 aliases; the limit is 30 \(MAX_QUERY_ALIASES\)\. To fit, use fewer aliases \(a list field with `first`/,
        extensions: { limit: 30, found: 31 },
      },
    ],
  },
  {
    code: 'QUERY_TOO_MANY_TOKENS',
    http: '400 / 200',
    when: 'more than 5,000 tokens',
    cases: [
      {
        label: '5,001 names',
        send: () => ({ query: `{ viewer { ${'locationId '.repeat(5_001)}} }` }),
        hint: /more than 5000 tokens.*pass values as variables/,
        extensions: { limit: 5000 },
      },
    ],
  },
  {
    code: 'QUERY_TOO_MANY_DIRECTIVES',
    http: '400 / 200',
    when: 'more than 50 directives',
    cases: [
      {
        label: '51 @include',
        send: () => ({
          query: `{ viewer { ${Array.from({ length: 51 }, (_, i) => `f${i}: locationId @include(if: true)`).join(' ')} } }`,
        }),
        hint: /has 51 directives; the limit is 50\. To fit, use fewer @include\/@skip \(one on a fragment/,
        extensions: { limit: 50, found: 51 },
      },
    ],
  },
  {
    code: 'COST_LIMIT_EXCEEDED',
    http: '400 / 200',
    when: "priced over `MAX_QUERY_COST`, or over what the location's budget can pay within the wait (`cost`, `maxCost`)",
    cases: [
      {
        label: '100 contacts with their tasks',
        send: () => ({ query: '{ contacts(first: 100) { nodes { tasks { id } } } }' }),
        hint: /101 GHL calls, more than the 100 allowed per request \(MAX_QUERY_COST\)\. Ask for fewer contacts per page \(first\)/,
        extensions: { cost: 101, maxCost: 100 },
      },
    ],
  },
  {
    code: 'BAD_REQUEST',
    http: '400',
    when: 'a body that is not JSON, without `query`, or with `variables` that are not an object',
    cases: [
      { label: 'not JSON', send: () => ({ rawBody: '{"query": ' }), hint: /POST body sent invalid JSON/ },
      { label: 'no query', send: () => ({ rawBody: '{}' }), hint: /Must provide query string/ },
      {
        label: 'variables a string',
        send: () => ({ rawBody: JSON.stringify({ query: VIEWER, variables: 'x' }) }),
        hint: /"variables" param to be empty or an object/,
      },
    ],
  },
  {
    code: 'BAD_REQUEST',
    http: '405',
    when: 'a mutation sent with GET',
    cases: [{ label: 'GET', send: () => ({ method: 'GET', query: createTask('abc') }), hint: /from a POST request/ }],
  },
  {
    code: 'PAYLOAD_TOO_LARGE',
    http: '413',
    when: 'a body over `MAX_REQUEST_BYTES` (`limitBytes`)',
    cases: [
      {
        label: '2 MB of variables',
        send: () => ({ variables: { pad: 'x'.repeat(2_000_000) } }),
        hint: /larger than the limit of 1048576 bytes \(MAX_REQUEST_BYTES\)/,
        extensions: { limitBytes: 1_048_576 },
      },
    ],
  },
  {
    code: 'URI_TOO_LONG',
    http: '414',
    when: 'a query string over 8 KB (`limitBytes`)',
    cases: [
      {
        label: 'a 9 KB GET',
        send: () => ({ method: 'GET', query: `{ viewer { locationId } } # ${'x'.repeat(9_000)}` }),
        hint: /send the operation as a POST body/,
      },
    ],
  },
  {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    http: '415',
    when: 'a POST that is not `Content-Type: application/json`',
    cases: [
      {
        label: 'text/plain',
        send: () => ({ headers: { 'content-type': 'text/plain' } }),
        hint: /"Content-Type: application\/json" with a body like \{"query"/,
      },
    ],
  },
  {
    code: 'NOT_ACCEPTABLE',
    http: '406',
    when: 'an `Accept` the gateway cannot answer, e.g. a subscription without `text/event-stream`',
    cases: [
      {
        label: 'a subscription as JSON',
        send: () => ({ query: 'subscription { contactChanged { contactId } }', accept: JSON_ONLY }),
        hint: /"Accept: text\/event-stream"/,
      },
      {
        label: 'a query as XML',
        send: () => ({ accept: 'application/xml' }),
        hint: /Accept header .*application\/graphql-response\+json, application\/json/,
      },
    ],
  },
  {
    code: 'RATE_LIMITED',
    http: '429',
    when: "the location's budget cannot pay the operation's price now; nothing was sent (`Retry-After`)",
    cases: [
      {
        label: 'after the budget is spent',
        send: () => ({ on: 'tight', query: `{ contact(id: "${sunrise.richContactId}") { id } }` }),
        hint: /Nothing was sent to GHL; retry in \d+ s/,
        extensions: { cost: 1, availableNow: 0 },
      },
    ],
  },
  {
    code: 'BAD_USER_INPUT',
    http: '200',
    when: 'an id argument GHL cannot have (`field` is the argument: `id`, `contactId`, `taskId`, …)',
    cases: [
      {
        label: 'contact(id:)',
        send: () => ({ query: '{ viewer { locationId } contact(id: "../locations/x") { id } }' }),
        hint: /^id may contain only letters, digits/,
        extensions: { field: 'id' },
      },
      {
        label: 'Contact.task(id:)',
        send: () => ({ query: `{ contact(id: "${sunrise.richContactId}") { task(id: "") { id } } }` }),
        hint: /^id must not be empty/,
        extensions: { field: 'id' },
        // The contact is read; the task never is.
        reachesGhl: true,
      },
      {
        label: 'completeTask(taskId:)',
        send: () => ({
          token: main.readWrite,
          query: `mutation { completeTask(contactId: "${sunrise.richContactId}", taskId: "a?b=c") { task { id } } }`,
        }),
        hint: /^taskId may contain only/,
        extensions: { field: 'taskId' },
      },
    ],
  },
  {
    code: 'BAD_USER_INPUT',
    http: '200',
    when: '`first` out of range, a cursor this list did not give out (`after`, `cursor`), a search `query` over 75 characters',
    cases: [
      {
        label: 'first: 1000',
        send: () => ({ query: '{ contacts(first: 1000) { totalCount } }' }),
        hint: /^first must be between 1 and 100/,
        extensions: { field: 'first' },
      },
      {
        label: 'a forged cursor',
        send: () => ({ query: '{ contacts(after: "bm9wZQ") { totalCount } }' }),
        hint: /^after is not a cursor this list gave out/,
        extensions: { field: 'after' },
      },
      {
        label: 'a long search',
        send: () => ({ query: `{ contacts(query: "${'a'.repeat(76)}") { totalCount } }` }),
        hint: /^query must be at most 75 characters/,
        extensions: { field: 'query' },
      },
    ],
  },
  {
    code: 'BAD_USER_INPUT',
    http: '200',
    when: 'mutation input GHL would refuse (`field`, e.g. `input.dueDate`)',
    cases: [
      {
        label: 'a due date without a zone',
        send: () => ({
          token: main.readWrite,
          query: `mutation { createTask(contactId: "${sunrise.richContactId}", input: { title: "x", dueDate: "tomorrow" }) { task { id } } }`,
        }),
        hint: /^input\.dueDate must be an ISO 8601 date-time with a zone, e\.g\. 2026-12-01T09:00:00Z/,
        extensions: { field: 'input.dueDate' },
      },
    ],
  },
  {
    code: 'NOT_FOUND',
    http: '200',
    when: 'a write on a record GHL does not have',
    cases: [
      {
        label: 'completing a task that is not there',
        send: () => ({
          token: main.readWrite,
          query: `mutation { completeTask(contactId: "${sunrise.richContactId}", taskId: "NoSuchTask000000000") { task { id } } }`,
        }),
        hint: /Not found in GHL: Task not found\. Check the id/,
        reachesGhl: true,
      },
    ],
  },
];

/** The README's "Caller mistakes" table, as (code, HTTP, when) rows. */
function readmeRows(): Array<Pick<Mistake, 'code' | 'http' | 'when'>> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split('#### Caller mistakes')[1] ?? '';
  const table = section.slice(section.indexOf('| code |')).split('\n\n')[0] ?? '';
  return table
    .split('\n')
    .slice(2)
    .map((line) => line.replace(/^\| /, '').split(' | '))
    .map(([code = '', http = '', when = '']) => ({ code: code.replaceAll('`', ''), http, when }));
}

function tokensIn(stack: Stack): string[] {
  return stack.sandbox.tokens.flatMap((t) => [t.readOnly, t.readWrite, t.privateIntegration]);
}

describe("the README's caller mistakes", () => {
  it('lists exactly the rows this test walks', () => {
    expect(readmeRows()).toEqual(MISTAKES.map(({ code, http, when }) => ({ code, http, when })));
  });

  beforeEach(() => {
    for (const stack of Object.values(stacks())) stack.sandbox.resetStats();
  });

  describe.each(MISTAKES)('$code $http: $when', (mistake) => {
    it.each(mistake.cases)('$label', async (mistakeCase) => {
      const request = mistakeCase.send();
      // `400 / 200`: 400 with graphql-response+json, 200 with application/json; else one status for both.
      const [strict, legacy = strict] = mistake.http.split(' / ').map(Number);
      const answers: Array<[string, number | undefined, Answer]> = [
        [GRAPHQL_RESPONSE, strict, await send(request, GRAPHQL_RESPONSE)],
        [JSON_ONLY, legacy, await send(request, JSON_ONLY)],
      ];
      for (const [accept, status, answer] of answers) {
        const errors = answer.body.errors ?? [];
        expect({ accept, status: answer.status }).toEqual({ accept, status });
        expect(errors.length).toBeGreaterThan(0);
        const [error] = errors;
        expect(error?.extensions?.['code']).toBe(mistake.code);
        expect(error?.extensions).toMatchObject(mistakeCase.extensions ?? {});
        expect(error?.message).toMatch(mistakeCase.hint);
        const text = JSON.stringify(answer.body);
        for (const token of [...tokensIn(main), ...Object.values(keys)]) {
          if (token !== '') expect(text).not.toContain(token);
        }
        expect(text).not.toContain('INTERNAL_SERVER_ERROR');
      }
      const upstream = Object.values(stacks()).reduce((sum, stack) => sum + stack.sandbox.stats().total, 0);
      if (mistakeCase.reachesGhl) expect(upstream).toBeGreaterThan(0);
      else expect(upstream).toBe(0);
    });
  });
});

describe('no caller mistake is an INTERNAL_SERVER_ERROR', () => {
  const c = sunrise.richContactId;
  const write = (query: string, variables?: Record<string, unknown>): Send => ({
    token: main.readWrite,
    query,
    ...(variables ? { variables } : {}),
  });
  // Odd things a caller may send beyond the table's rows; each must get a coded, unmasked error
  // (or data), never a 5xx or a masked failure.
  const ODD: Array<[string, () => Send]> = [
    ['an empty contact', () => write('mutation { createContact(input: { contact: {} }) { contact { id } } }')],
    [
      'a bad email',
      () => write('mutation { createContact(input: { contact: { email: "nope" } }) { contact { id } } }'),
    ],
    [
      'an object as a custom field value',
      () =>
        write(
          'mutation($v: JSON!) { createContact(input: { contact: { name: "x", customFields: [{ id: "cf1", value: $v }] } }) { contact { id } } }',
          { v: { a: [1, { b: null }] } },
        ),
    ],
    [
      'a bad date of birth',
      () => write(`mutation { updateContact(id: "${c}", input: { dateOfBirth: "31/31/31" }) { contact { id } } }`),
    ],
    ['no tags', () => write(`mutation { addContactTags(contactId: "${c}", tags: []) { tags } }`)],
    ['a blank tag', () => write(`mutation { removeContactTags(contactId: "${c}", tags: [" "]) { tags } }`)],
    ['a note without a body', () => write(`mutation { createNote(contactId: "${c}", input: {}) { note { id } } }`)],
    [
      'a note of a missing contact',
      () => write('mutation { createNote(contactId: "NoSuchContact0000000", input: { body: "x" }) { note { id } } }'),
    ],
    [
      'an empty task update',
      () =>
        write(`mutation { updateTask(contactId: "${c}", taskId: "NoSuchTask000000000", input: {}) { task { id } } }`),
    ],
    ['a forged sync cursor', () => ({ query: '{ contactSync(cursor: "e30") { walkComplete } }' })],
    ['a sync from the year 2999', () => ({ query: '{ contactSync(since: "2999-01-01T00:00:00Z") { walkComplete } }' })],
    ['a zone-less DateTime literal', () => ({ query: '{ contactSync(since: "2026-01-01 10:00") { walkComplete } }' })],
    ['first: -1 on automation runs', () => ({ query: '{ automationRuns(first: -1) { ruleId } }' })],
    ['a business id with a slash', () => ({ query: '{ contactsByBusiness(businessId: "a/b") { totalCount } }' })],
    ['an unknown directive', () => ({ query: '{ viewer @defer { locationId } }' })],
    ['a number as the query', () => ({ rawBody: '{"query": 5}' })],
    ['an array of operations', () => ({ rawBody: `[{"query": ${JSON.stringify(VIEWER)}}]` })],
    ['variables as a list', () => ({ rawBody: `{"query": ${JSON.stringify(VIEWER)}, "variables": [1]}` })],
    [
      'a persisted-query hash only',
      () => ({ rawBody: '{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}}' }),
    ],
    ['an unknown parameter', () => ({ rawBody: `{"query": ${JSON.stringify(VIEWER)}, "mutation": true}` })],
    ['a subscription over GET as JSON', () => ({ method: 'GET', query: 'subscription { taskChanged { taskId } }' })],
    [
      'introspection, 10 levels of ofType',
      () => ({ query: `{ __schema { types { ${'ofType { '.repeat(10)}name${' }'.repeat(10)} } } }` }),
    ],
  ];

  it.each(ODD)('%s', async (_label, request) => {
    const logsBefore = main.logs.length;
    for (const accept of [GRAPHQL_RESPONSE, JSON_ONLY]) {
      const { status, body } = await send(request(), accept);
      expect(status).toBeLessThan(500);
      for (const error of body.errors ?? []) {
        expect(error.extensions?.['code'], error.message).toEqual(expect.any(String));
        expect(error.extensions?.['code']).not.toBe('INTERNAL_SERVER_ERROR');
        expect(error.message).not.toBe('Unexpected error.');
      }
    }
    // maskError logs what it masks as an error; a caller's mistake is at most a debug line.
    expect(main.logs.slice(logsBefore).filter((line) => line.includes('"level":"error"'))).toEqual([]);
  });
});
