// What a client is shown of a failure: a GraphQLError with an `extensions.code` from the list
// below and a message that says what to do. Every code a caller can cause is in the README's
// Errors table; test/gateway/caller-mistakes.test.ts walks that table.
import { GraphQLError } from 'graphql';

/** The gateway's own codes. */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'COST_LIMIT_EXCEEDED',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_MANY_ALIASES',
  'QUERY_TOO_MANY_TOKENS',
  'QUERY_TOO_MANY_DIRECTIVES',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_BAD_RESPONSE',
  'PAYLOAD_TOO_LARGE',
  'URI_TOO_LONG',
  'UNSUPPORTED_MEDIA_TYPE',
  'NOT_ACCEPTABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const CLIENT_CODES = new Set<string>([
  ...ERROR_CODES,
  // Yoga's and graphql-js's own codes for malformed requests and operations are safe to show.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
]);

/** An error on one field: the rest of the response still arrives, with HTTP 200. */
export function clientError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export interface RequestErrorOptions {
  status: number;
  /**
   * An error in the GraphQL document or its variables, as GraphQL-over-HTTP defines them: its
   * status holds for `Accept: application/graphql-response+json`, while a plain
   * `application/json` answer is 200 (the spec's rule for legacy clients, Yoga's default). Without
   * it the status holds for every Accept: refusals of the request itself (who is asking, what it
   * may do, how large or how fast it is).
   */
  document?: boolean;
  headers?: Record<string, string>;
  extra?: Record<string, unknown>;
}

/** A refusal of the whole request, before anything runs, with its HTTP status. */
export function requestError(code: ErrorCode, message: string, options: RequestErrorOptions): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, ...options.extra, http: httpExtension(options) },
  });
}

/** Yoga's `extensions.http`, which sets the response's status and headers and is never sent. */
export function httpExtension(options: Pick<RequestErrorOptions, 'status' | 'document' | 'headers'>) {
  return {
    status: options.status,
    spec: options.document === true,
    ...(options.headers ? { headers: options.headers } : {}),
  };
}

/** Is this error (or what it wraps) already fit for a client? */
export function isClientError(error: GraphQLError): boolean {
  const code = error.extensions?.['code'];
  return typeof code === 'string' && CLIENT_CODES.has(code);
}
