// Bad input is refused at the edge with a clear, typed error and the HTTP status
// GraphQL-over-HTTP gives a request that fails before execution: a body over MAX_REQUEST_BYTES
// (413), a query string over 8 KB (414), variables nested too deep or of the wrong type (400 with
// application/graphql-response+json, 200 with application/json, as for every request error).
// Nothing of it reaches GHL.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeGhl, FAKE_CONTACT, type GraphQLBody } from './fake-ghl.js';

const ghl = createFakeGhl();
beforeEach(() => ghl.reset());

const ACCEPTS = ['application/json', 'application/graphql-response+json'] as const;
/** The status of an error in the request (not the HTTP), by Accept: GraphQL-over-HTTP's legacy rule. */
const REQUEST_ERROR_STATUS = { 'application/json': 200, 'application/graphql-response+json': 400 } as const;

async function post(
  body: BodyInit,
  options: { accept?: string; app?: typeof ghl.app; headers?: Record<string, string> } = {},
) {
  const init: RequestInit & { duplex?: 'half' } = {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: options.accept ?? 'application/json',
      authorization: `Bearer ${ghl.token}`,
      ...options.headers,
    },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  };
  const response = await (options.app ?? ghl.app).fetch('http://gateway/graphql', init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLBody };
}

const viewer = '{ viewer { locationId } }';
/** A request of exactly `bytes` bytes, padded in `extensions`, which the gateway ignores. */
function requestOf(bytes: number): string {
  const empty = JSON.stringify({ query: viewer, extensions: { pad: '' } });
  return JSON.stringify({ query: viewer, extensions: { pad: 'x'.repeat(bytes - empty.length) } });
}

/** The body in 64 KB chunks with no Content-Length, as a chunked upload arrives. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, (at += 65_536)));
    },
  });
}

describe('request body limit (MAX_REQUEST_BYTES, default 1 MB)', () => {
  it.each(ACCEPTS)('a body over 1 MB is 413 PAYLOAD_TOO_LARGE naming the limit (accept %s)', async (accept) => {
    const { status, headers, body } = await post(requestOf(1_048_577), { accept });
    expect(status).toBe(413);
    expect(headers.get('content-type')).toContain(accept);
    expect(body.errors).toEqual([
      {
        message: 'The request body is larger than the limit of 1048576 bytes (MAX_REQUEST_BYTES).',
        extensions: { code: 'PAYLOAD_TOO_LARGE', limitBytes: 1_048_576 },
      },
    ]);
    expect(body.data).toBeUndefined();
  });

  it('a body of exactly 1 MB is served', async () => {
    const { status, body } = await post(requestOf(1_048_576));
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ viewer: { locationId: expect.any(String) } });
  });

  it('without a Content-Length the bytes are counted as they arrive, and the connection is closed after the 413', async () => {
    const { status, headers, body } = await post(chunked(requestOf(3_000_000)));
    expect(status).toBe(413);
    expect(headers.get('connection')).toBe('close');
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', limitBytes: 1_048_576 });
    // A chunked body within the limit is read as usual.
    expect((await post(chunked(requestOf(500_000)))).status).toBe(200);
  });

  it('variables count towards the limit', async () => {
    const { status } = await post(
      JSON.stringify({
        query: 'query($q: String) { contacts(query: $q) { totalCount } }',
        variables: { q: 'x'.repeat(1_100_000) },
      }),
    );
    expect(status).toBe(413);
    expect(ghl.calls.size).toBe(0);
  });

  it('MAX_REQUEST_BYTES sets the limit', async () => {
    const small = createFakeGhl({ MAX_REQUEST_BYTES: '2048' });
    const { status, body } = await post(requestOf(2_049), { app: small.app });
    expect(status).toBe(413);
    expect(body.errors?.[0]?.message).toContain('2048 bytes');
    expect((await post(requestOf(2_048), { app: small.app })).status).toBe(200);
  });
});

describe('query string limit (8 KB)', () => {
  const get = (search: string) =>
    ghl.app.fetch(`http://gateway/graphql?${search}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${ghl.token}` },
    });

  it('a GET over 8 KB is 414 URI_TOO_LONG naming the limit', async () => {
    const variables = encodeURIComponent(JSON.stringify({ pad: 'x'.repeat(9_000) }));
    const response = await get(`query=${encodeURIComponent(viewer)}&variables=${variables}`);
    expect(response.status).toBe(414);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'The query string is longer than the limit of 8192 bytes; send the operation as a POST body.',
          extensions: { code: 'URI_TOO_LONG', limitBytes: 8192 },
        },
      ],
    });
  });

  it('a GET within the limit is served', async () => {
    const response = await get(
      `query=${encodeURIComponent(viewer)}&extensions=${encodeURIComponent(JSON.stringify({ pad: 'x'.repeat(7_000) }))}`,
    );
    expect(response.status).toBe(200);
  });
});

describe('variables', () => {
  const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  const CONTACT = 'query($id: ID!) { contact(id: $id) { id } }';
  // Written as text: JSON.stringify itself recurses, and 10,000 levels would overflow it here.
  const withId = (idJson: string) => `{"query":${JSON.stringify(CONTACT)},"variables":{"id":${idJson}}}`;

  it.each([21, 10_000])('a value nested %i levels deep is BAD_USER_INPUT naming the variable', async (levels) => {
    for (const accept of ACCEPTS) {
      const { status, body } = await post(withId(nested(levels)), { accept });
      expect(status).toBe(REQUEST_ERROR_STATUS[accept]);
      expect(body.errors).toEqual([
        {
          message: 'Variable "$id" is nested deeper than the limit of 20 levels.',
          extensions: { code: 'BAD_USER_INPUT', field: '$id', limitDepth: 20 },
        },
      ]);
    }
    expect(ghl.calls.size).toBe(0);
  });

  it('a value 20 levels deep passes the depth limit (and is then refused as no ID)', async () => {
    const { body } = await post(withId(nested(20)));
    expect(body.errors?.[0]?.message).toMatch(/^Variable "\$id" got invalid value/);
  });

  it.each([
    [
      'a string for an Int',
      'query($first: Int) { contacts(first: $first) { totalCount } }',
      { first: 'abc' },
      'first',
      /Int cannot represent non-integer value: "abc"/,
    ],
    [
      'a float for an Int',
      'query($first: Int) { contacts(first: $first) { totalCount } }',
      { first: 2.5 },
      'first',
      /Int cannot represent/,
    ],
    ['an object for an ID!', CONTACT, { id: { a: 1 } }, 'id', /ID cannot represent value/],
    ['a list for an ID!', CONTACT, { id: ['a'] }, 'id', /ID cannot represent value/],
    ['null for an ID!', CONTACT, { id: null }, 'id', /must not be null/],
    ['nothing for an ID!', CONTACT, {}, 'id', /was not provided/],
    [
      'a zone-less DateTime',
      'query($since: DateTime) { contactSync(since: $since) { cursor } }',
      { since: '2026-01-01 10:00' },
      'since',
      /DateTime must be an ISO 8601 string with a zone/,
    ],
    [
      'an unknown enum value',
      'query($s: TaskStatusFilter) { contact(id: "x") { tasks(status: $s) { id } } }',
      { s: 'SOON' },
      's',
      /does not exist in "TaskStatusFilter"/,
    ],
    [
      'an unknown input field',
      'query($f: ContactFilter) { contacts(filter: $f) { totalCount } }',
      { f: { colour: 'red' } },
      'f',
      /Field "colour" is not defined/,
    ],
  ] as const)(
    '%s is BAD_USER_INPUT naming the variable, 400 with graphql-response+json',
    async (_label, query, variables, name, detail) => {
      for (const accept of ACCEPTS) {
        const { status, body } = await post(JSON.stringify({ query, variables }), { accept });
        expect(status).toBe(REQUEST_ERROR_STATUS[accept]);
        expect(body.errors).toHaveLength(1);
        expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: `$${name}` });
        expect(body.errors?.[0]?.message).toContain(`"$${name}"`);
        expect(body.errors?.[0]?.message).toMatch(detail);
        expect(body.data).toBeUndefined();
      }
      expect(ghl.calls.size).toBe(0);
      expect(ghl.logs.join('\n')).not.toMatch(/unexpected/);
    },
  );

  it('a right variable still runs', async () => {
    const { status, body } = await post(JSON.stringify({ query: CONTACT, variables: { id: FAKE_CONTACT } }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ data: { contact: { id: FAKE_CONTACT } } });
  });
});

describe('over a real socket', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer(ghl.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const send = async (body: BodyInit) => {
    const init: RequestInit & { duplex?: 'half' } = {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ghl.token}` },
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    };
    const response = await fetch(url, init);
    return { status: response.status, body: (await response.json()) as GraphQLBody };
  };

  it('answers 413 to a large body, with or without a Content-Length, and keeps serving', async () => {
    expect((await send(requestOf(2_000_000))).status).toBe(413);
    expect((await send(JSON.stringify({ query: viewer }))).status).toBe(200);
    const refused = await send(chunked(requestOf(3_000_000)));
    expect(refused.status).toBe(413);
    expect(refused.body.errors?.[0]?.extensions?.['code']).toBe('PAYLOAD_TOO_LARGE');
    for (let i = 0; i < 3; i++) expect((await send(JSON.stringify({ query: viewer }))).status).toBe(200);
  });
});
