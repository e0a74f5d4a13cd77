// Errors in the GraphQL document or its variables: each names what was wrong and what would pass.
// All are GraphQL-over-HTTP request errors (400 with application/graphql-response+json, 200 with
// plain application/json).
import { GraphQLError } from 'graphql';
import { httpExtension, requestError, type ErrorCode } from './client-error.js';

const DOCUMENT_ERROR = { status: 400, document: true } as const;

/**
 * A variable whose value does not fit its declared type (`{"first": "abc"}` for an Int, an object
 * for an ID!), or a required one left out: BAD_USER_INPUT naming the variable. graphql-js drops the
 * scalar's own coercion error, but Yoga's executor (@graphql-tools/executor) keeps it as
 * originalError, so these errors looked like a resolver's unexpected failure and were masked as
 * INTERNAL_SERVER_ERROR. Recognised by what only variable coercion produces: no path (nothing
 * executed yet) and graphql-js's wording.
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
    extensions: { code: 'BAD_USER_INPUT', field: `$${variable}`, http: httpExtension(DOCUMENT_ERROR) },
  });
}

/** The limits graphql-armor enforces on an operation, each with its own code. */
export type QueryLimit = 'depth' | 'aliases' | 'tokens' | 'directives';

const QUERY_LIMITS: Record<QueryLimit, { code: ErrorCode; what: string; setting?: string; fix: string }> = {
  depth: {
    code: 'QUERY_TOO_DEEP',
    what: 'levels of nesting',
    setting: 'MAX_QUERY_DEPTH',
    fix: 'select fewer nested levels, or split it into several operations',
  },
  aliases: {
    code: 'QUERY_TOO_MANY_ALIASES',
    what: 'aliases',
    setting: 'MAX_QUERY_ALIASES',
    fix: 'use fewer aliases (a list field with `first` instead of one alias per record), or split it',
  },
  tokens: {
    code: 'QUERY_TOO_MANY_TOKENS',
    what: 'tokens (names, punctuation and values)',
    fix: 'shorten it: pass values as variables, reuse selections with fragments, or split it',
  },
  directives: {
    code: 'QUERY_TOO_MANY_DIRECTIVES',
    what: 'directives',
    fix: 'use fewer @include/@skip (one on a fragment covers all its fields), or split it',
  },
};

/** An operation over one of the limits; `found` is how far over it went, when armor says. */
export function queryLimitError(limit: QueryLimit, max: number, found: number | undefined): GraphQLError {
  const rule = QUERY_LIMITS[limit];
  const setting = rule.setting === undefined ? '' : ` (${rule.setting})`;
  const has = found === undefined ? `more than ${max}` : `${found}`;
  return requestError(
    rule.code,
    `The operation has ${has} ${rule.what}; the limit is ${max}${setting}. To fit, ${rule.fix}.`,
    { ...DOCUMENT_ERROR, extra: { limit: max, ...(found === undefined ? {} : { found }) } },
  );
}

/**
 * Yoga's "Could not determine what operation to execute." names no way out: a document with
 * several operations needs `operationName`, and an `operationName` must name one of them.
 */
export function fromOperationResolution(error: GraphQLError): GraphQLError | null {
  if (error.extensions?.['code'] !== 'OPERATION_RESOLUTION_FAILURE') return null;
  return new GraphQLError(
    'Could not tell which operation to run: a document with several operations needs "operationName" naming ' +
      'one of them, and "operationName" must match an operation in the document.',
    { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: httpExtension(DOCUMENT_ERROR) } },
  );
}

/**
 * Yoga's BAD_REQUEST (a body that is not JSON, no query, variables that are not an object) is a
 * request that is not GraphQL-over-HTTP at all: its 400 holds for every Accept, where Yoga would
 * answer some of them 200 with application/json.
 */
export function fromBadRequest(error: GraphQLError): GraphQLError | null {
  if (error.extensions?.['code'] !== 'BAD_REQUEST') return null;
  const { http, ...extensions } = error.extensions as { http?: { status?: number; headers?: Record<string, string> } };
  return new GraphQLError(error.message, {
    extensions: {
      ...extensions,
      http: httpExtension({ status: http?.status ?? 400, ...(http?.headers ? { headers: http.headers } : {}) }),
    },
  });
}
