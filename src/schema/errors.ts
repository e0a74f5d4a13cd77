// The one place where failures become what a client sees. Typed errors keep their message and an
// `extensions.code`; everything else is masked to "Unexpected error." so no stack, URL or token
// reaches a response.
import { GraphQLError } from 'graphql';
import type { z } from 'zod';
import { BudgetExceededError } from '../budget/errors.js';
import { CredentialError } from '../credentials/errors.js';
import {
  GhlBadInputError,
  GhlBadJsonError,
  GhlError,
  GhlForbiddenError,
  GhlHttpError,
  GhlNetworkError,
  GhlNotFoundError,
  GhlRateLimitedError,
  GhlServerError,
  GhlShapeError,
  GhlTimeoutError,
  GhlUnauthorizedError,
  GhlValidationError,
} from '../ghl/errors.js';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_BAD_RESPONSE'
  | 'PAYLOAD_TOO_LARGE'
  | 'URI_TOO_LONG';

const CLIENT_CODES = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_BAD_RESPONSE',
  'PAYLOAD_TOO_LARGE',
  'URI_TOO_LONG',
  // Yoga's and graphql-js's own codes for malformed operations are safe to show.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'COST_LIMIT_EXCEEDED',
]);

export function clientError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** Is this error (or what it wraps) already fit for a client? */
export function isClientError(error: GraphQLError): boolean {
  const code = error.extensions?.['code'];
  return typeof code === 'string' && CLIENT_CODES.has(code);
}

/**
 * A variable whose value does not fit its declared type (`{"first": "abc"}` for an Int, an object
 * for an ID!), or a required one left out: BAD_USER_INPUT naming the variable, HTTP 400 as for
 * any request that fails before execution. graphql-js drops the scalar's own coercion error, but
 * Yoga's executor (@graphql-tools/executor) keeps it as originalError, so these errors looked
 * like a resolver's unexpected failure and were masked as INTERNAL_SERVER_ERROR. Recognised by
 * what only variable coercion produces: no path (nothing executed yet) and graphql-js's wording.
 */
export function fromVariableError(error: GraphQLError): GraphQLError | null {
  if (error.path !== undefined) return null;
  const variable =
    /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" (?:got invalid value|of required type|of non-null type)/.exec(
      error.message,
    )?.[1];
  if (variable === undefined) return null;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { code: 'BAD_USER_INPUT', field: `$${variable}`, http: { status: 400 } },
  });
}

/** Maps a GHL failure to its client error; returns null for anything that must stay masked. */
export function fromGhlError(error: unknown): GraphQLError | null {
  if (error instanceof CredentialError) {
    // The location's stored credential, not the caller, is what failed: say what to do about it.
    return error.retryable
      ? clientError(
          'UPSTREAM_UNAVAILABLE',
          'The GHL credential of this location could not be refreshed just now; try again shortly.',
        )
      : clientError('UNAUTHENTICATED', error.message, { reason: error.code });
  }
  if (!(error instanceof GhlError)) return null;
  const operation = { operation: error.operation };
  if (error instanceof GhlBadInputError) {
    return clientError('BAD_USER_INPUT', `${error.field} ${error.reason}`, { field: error.field });
  }
  if (error instanceof BudgetExceededError) {
    // The gateway's own governor refused to wait this long: nothing was sent to GHL.
    return clientError(
      'RATE_LIMITED',
      `The ${error.limit === 'daily' ? 'daily' : '10-second'} GHL rate budget of this location is spent; retry in ${Math.max(1, Math.ceil(error.retryAfterMs / 1000))} s.`,
      { retryAfterMs: Math.ceil(error.retryAfterMs), ...operation },
    );
  }
  if (error instanceof GhlRateLimitedError) {
    const retryAfterMs = error.retryAfterMs ?? 10_000;
    return clientError(
      'RATE_LIMITED',
      `GHL's rate limit is spent; retry in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.`,
      {
        retryAfterMs,
        ...operation,
      },
    );
  }
  if (error instanceof GhlUnauthorizedError) {
    // GHL answers 401 both for a bad token and for a missing scope.
    const scope = /scope/i.test(error.ghlMessage);
    return clientError(
      scope ? 'FORBIDDEN' : 'UNAUTHENTICATED',
      `GHL refused the token: ${error.ghlMessage}`,
      operation,
    );
  }
  if (error instanceof GhlForbiddenError) {
    return clientError('FORBIDDEN', `GHL refused access: ${error.ghlMessage}`, operation);
  }
  if (error instanceof GhlNotFoundError) {
    return clientError('NOT_FOUND', `Not found in GHL: ${error.ghlMessage}`, operation);
  }
  if (error instanceof GhlValidationError) {
    return clientError('BAD_USER_INPUT', `GHL rejected the input: ${error.ghlMessage}`, {
      details: error.details,
      ...operation,
    });
  }
  if (error instanceof GhlServerError || error instanceof GhlTimeoutError || error instanceof GhlNetworkError) {
    return clientError('UPSTREAM_UNAVAILABLE', 'GHL is unavailable right now; try again shortly.', {
      ...operation,
      ...(error instanceof GhlHttpError ? { status: error.status, traceId: error.traceId } : {}),
    });
  }
  if (error instanceof GhlBadJsonError) {
    return clientError('UPSTREAM_BAD_RESPONSE', 'GHL sent a response the gateway could not read.', {
      ...operation,
      reason: error.reason,
      ...(error.limit !== undefined ? { limit: error.limit } : {}),
    });
  }
  if (error instanceof GhlShapeError) {
    return clientError('UPSTREAM_BAD_RESPONSE', 'GHL sent a response the gateway could not read.', {
      ...operation,
      reason: 'bad_shape',
    });
  }
  if (error instanceof GhlHttpError) {
    return clientError('UPSTREAM_BAD_RESPONSE', `GHL answered ${error.status}.`, {
      status: error.status,
      ...operation,
    });
  }
  return null;
}

/** Parses mutation input with a shared zod schema; the error names the field as the caller typed it. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, argName: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const field = [argName, ...issue.path, issue.keys[0]].join('.');
    throw clientError('BAD_USER_INPUT', `${field} is not accepted by GHL for this operation`, { field });
  }
  const field = [argName, ...(issue?.path ?? [])].join('.');
  throw clientError('BAD_USER_INPUT', `${field} ${issue?.message ?? 'is invalid'}`, { field });
}
