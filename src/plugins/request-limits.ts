// Bad input refused at the edge, before anything is parsed deeply or executed: a request body
// over MAX_REQUEST_BYTES (413), a query string over 8 KB (414), and variable values nested over
// 20 levels (400). Each answer is a GraphQL-over-HTTP error body with an `extensions.code` that
// names the limit. Variables count towards the body limit, so their total size needs no limit of
// its own; their depth does, because everything that walks them (coercion, zod, the cost
// estimate, JSON.stringify of a GHL body) recurses.
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { requestError } from '../schema/errors/client-error.js';
import { readBodyWithin } from './read-body.js';

export interface RequestLimits {
  maxBodyBytes: number;
  /** Longest query string (percent-encoded, so bytes), e.g. a GET request's query and variables. */
  maxQueryStringBytes?: number;
  /** Deepest nesting of objects and lists in one variable's value; a scalar is level 0. */
  maxVariableDepth?: number;
}

export const DEFAULT_MAX_QUERY_STRING_BYTES = 8 * 1024;
export const DEFAULT_MAX_VARIABLE_DEPTH = 20;

export function requestLimits(limits: RequestLimits): Plugin {
  const maxQueryString = limits.maxQueryStringBytes ?? DEFAULT_MAX_QUERY_STRING_BYTES;
  const maxDepth = limits.maxVariableDepth ?? DEFAULT_MAX_VARIABLE_DEPTH;
  return {
    // Runs after Yoga has picked the request parser (GET, JSON, multipart…), so it wraps whichever
    // one reads this request; Yoga's own 25 MB limit stays behind this stricter one.
    onRequestParse({ request, url, requestParser, setRequestParser, fetchAPI }) {
      if (url.search.length > maxQueryString) {
        throw requestError(
          'URI_TOO_LONG',
          `The query string is longer than the limit of ${maxQueryString} bytes; send the operation as a POST body.`,
          { status: 414, extra: { limitBytes: maxQueryString } },
        );
      }
      const declared = request.headers.get('content-length');
      if (declared !== null && Number(declared) > limits.maxBodyBytes) throw tooLarge(limits.maxBodyBytes);
      if (requestParser === undefined || request.body === null) return;
      const parse = requestParser;
      // Without a Content-Length (chunked), the bytes are counted as they arrive.
      setRequestParser(async (req) => parse(await bufferWithin(req, limits.maxBodyBytes, fetchAPI.Request)));
    },
    onParams({ params, setResult }) {
      for (const [name, value] of Object.entries(params.variables ?? {})) {
        if (nestedDeeperThan(value, maxDepth)) {
          setResult({
            errors: [
              // Like any variable that does not fit its type: an error in the request, not in the HTTP.
              requestError(
                'BAD_USER_INPUT',
                `Variable "$${name}" is nested deeper than the limit of ${maxDepth} levels.`,
                {
                  status: 400,
                  document: true,
                  extra: { field: `$${name}`, limitDepth: maxDepth },
                },
              ),
            ],
          });
          return;
        }
      }
    },
  };
}

function tooLarge(maxBodyBytes: number, headers?: Record<string, string>): GraphQLError {
  return requestError(
    'PAYLOAD_TOO_LARGE',
    `The request body is larger than the limit of ${maxBodyBytes} bytes (MAX_REQUEST_BYTES).`,
    { status: 413, extra: { limitBytes: maxBodyBytes }, ...(headers ? { headers } : {}) },
  );
}

/** The request with its body read into memory, refused as soon as it passes the limit. */
async function bufferWithin(request: Request, maxBytes: number, RequestCtor: typeof Request): Promise<Request> {
  if (request.body === null) return request;
  const body = await readBodyWithin(request, maxBytes);
  // The rest of the body is never read, so the connection cannot carry another request.
  if (body === undefined) throw tooLarge(maxBytes, { connection: 'close' });
  return new RequestCtor(request.url, {
    method: request.method,
    headers: request.headers,
    body,
    signal: request.signal,
  });
}

/** Whether a JSON value nests objects and arrays deeper than `max`, walked without recursion. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next.value === null || typeof next.value !== 'object') continue;
    const depth = next.depth + 1;
    if (depth > max) return true;
    for (const inner of Object.values(next.value)) pending.push({ value: inner, depth });
  }
  return false;
}
