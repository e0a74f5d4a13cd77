// Reply bodies are bounded before anything parses, freezes or caches them: at most 10 MB, nested
// at most 32 levels; a 2xx past a limit, empty or not JSON is a typed GhlBadJsonError, an error
// status keeps its status whatever its body.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GhlCall } from '../../src/ghl/call.js';
import { GhlBadJsonError, GhlServerError } from '../../src/ghl/errors.js';
import { decodeReplyBody, nestingExceeds, REPLY_LIMITS } from '../../src/ghl/reply-body.js';
import { createTransport, type Transport } from '../../src/ghl/transport.js';

const deep = (levels: number) => `{"contact":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;

describe('nestingExceeds', () => {
  it('counts objects and arrays, the envelope included', () => {
    expect(nestingExceeds(deep(32), 32)).toBe(false);
    expect(nestingExceeds(deep(33), 32)).toBe(true);
    expect(nestingExceeds('{"a":{"b":[1,{"c":2}]},"d":[[]]}', 4)).toBe(false);
    expect(nestingExceeds('{"a":{"b":[1,{"c":2}]},"d":[[]]}', 3)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ note: '[[[[{{{{ "quoted \\" [[[[' + '['.repeat(100) });
    expect(nestingExceeds(text, 1)).toBe(false);
    expect(JSON.parse(text)).toHaveProperty('note');
  });

  it('walks 10,000 levels without recursion', () => {
    expect(nestingExceeds(deep(10_000), 32)).toBe(true);
  });
});

describe('decodeReplyBody', () => {
  const decode = (status: number, text: string) => decodeReplyBody('contacts.get', status, { text });
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error;
    }
    throw new Error('expected a refusal');
  };

  it.each([
    ['empty', ''],
    ['empty', ' \n '],
    ['not_json', '<html>oops</html>'],
    ['not_json', '{"contact":{"id":"a"'],
    ['too_deep', deep(33)],
    ['too_deep', deep(10_000)],
  ] as const)('a 200 that is %s is GhlBadJsonError with that reason', (reason, text) => {
    const error = refusal(() => decode(200, text));
    expect(error).toBeInstanceOf(GhlBadJsonError);
    expect(error).toMatchObject({ reason, status: 200, operation: 'contacts.get' });
  });

  it('a 200 past the size limit is too_large and names the limit', () => {
    const error = refusal(() => decodeReplyBody('contacts.get', 200, { tooLarge: true }));
    expect(error).toMatchObject({ reason: 'too_large', limit: REPLY_LIMITS.maxBytes });
    expect((error as Error).message).toContain(String(REPLY_LIMITS.maxBytes));
  });

  it('JSON at the depth limit is parsed', () => {
    expect(decode(200, deep(32))).toHaveProperty('contact');
  });

  it('an error status keeps what can be read and nothing it cannot', () => {
    expect(decode(404, '{"statusCode":404,"message":"Contact not found"}')).toEqual({
      statusCode: 404,
      message: 'Contact not found',
    });
    expect(decode(502, '<html>Bad gateway</html>')).toEqual({ message: '<html>Bad gateway</html>' });
    expect(decode(500, deep(10_000))).toBeUndefined();
    expect(decode(500, '')).toBeUndefined();
    expect(decodeReplyBody('contacts.get', 500, { tooLarge: true })).toBeUndefined();
  });

  it('204 No Content is an empty body, not an error', () => {
    expect(decode(204, '')).toBeUndefined();
  });
});

describe('the transport reads at most maxBytes', () => {
  let server: Server;
  let transport: Transport;
  let served = { status: 200, body: Buffer.alloc(0), chunked: false };
  const call: GhlCall = {
    operation: 'contacts.get',
    method: 'GET',
    path: '/contacts/abc',
    version: '2021-07-28',
    access: 'read',
    tags: [],
  };
  const caller = { token: 't', tenant: 't', locationId: 'loc' };

  beforeAll(async () => {
    server = createServer((_req, res) => {
      const { status, body, chunked } = served;
      res.writeHead(status, {
        'content-type': 'application/json',
        ...(chunked ? {} : { 'content-length': String(body.length) }),
      });
      if (!chunked) return void res.end(body);
      // Without a Content-Length, in 64 KB pieces: the limit must be counted as bytes arrive.
      for (let at = 0; at < body.length; at += 65_536) res.write(body.subarray(at, at + 65_536));
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    transport = createTransport({
      baseUrl: `http://127.0.0.1:${port}`,
      connectTimeoutMs: 1000,
      headersTimeoutMs: 2000,
      bodyTimeoutMs: 2000,
      requestTimeoutMs: 5000,
    });
  });
  afterAll(async () => {
    await transport.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** A valid contact envelope padded to `bytes`. */
  const contactOf = (bytes: number) => {
    const head = '{"contact":{"id":"abc","notes":"';
    return Buffer.from(`${head}${'x'.repeat(bytes - head.length - 3)}"}}`);
  };

  it.each([false, true])(
    'a 200 just over 10 MB is too_large (chunked: %s); one at the limit arrives',
    async (chunked) => {
      served = { status: 200, body: contactOf(REPLY_LIMITS.maxBytes + 1), chunked };
      const error = await transport.send(call, caller).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GhlBadJsonError);
      expect(error).toMatchObject({ reason: 'too_large', limit: REPLY_LIMITS.maxBytes });

      served = { status: 200, body: contactOf(REPLY_LIMITS.maxBytes), chunked };
      const reply = await transport.send(call, caller);
      expect(reply.status).toBe(200);
      expect((reply.body as { contact: { id: string } }).contact.id).toBe('abc');
    },
  );

  it('a huge 500 is still a 500 (so it is retried and mapped as GHL being down)', async () => {
    served = { status: 500, body: contactOf(REPLY_LIMITS.maxBytes + 1), chunked: true };
    const reply = await transport.send(call, caller);
    expect(reply).toMatchObject({ status: 500, body: undefined });
  });

  it('a 200 nested 10,000 levels deep is too_deep', async () => {
    served = { status: 200, body: Buffer.from(deep(10_000)), chunked: false };
    const error = await transport.send(call, caller).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'too_deep', limit: REPLY_LIMITS.maxDepth });
    expect(error).not.toBeInstanceOf(GhlServerError);
  });
});
