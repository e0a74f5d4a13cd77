// The one place where failures become what a client sees: Yoga hands every error of a response to
// maskError. Typed errors keep their message and an `extensions.code`; a GHL, budget or
// credential failure becomes its client error (ghl.ts); everything else is logged and masked to
// "Unexpected error." so no stack, URL or token reaches a response.
import { GraphQLError } from 'graphql';
import { errorMessage, type Logger } from '../../log.js';
import { isClientError } from './client-error.js';
import { fromGhlError } from './ghl.js';
import { fromBadRequest, fromOperationResolution, fromVariableError } from './request.js';

export function maskError(error: unknown, logger: Logger): Error {
  if (!(error instanceof GraphQLError)) {
    logger.error('unexpected error', { error: errorMessage(error) });
    return new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  }
  const rewritten = fromVariableError(error) ?? fromOperationResolution(error) ?? fromBadRequest(error);
  if (rewritten !== null) return rewritten;
  if (isClientError(error)) return error;
  const original = error.originalError;
  if (original instanceof GraphQLError && isClientError(original)) {
    return relocate(error, error.message, original.extensions);
  }
  const mapped = fromGhlError(original);
  if (mapped !== null) return relocate(error, mapped.message, mapped.extensions);
  // graphql-js's own parse and validation errors carry no original error and are safe to show.
  if (original === undefined || original === null) return error;
  logger.error('unexpected resolver error', { path: error.path?.join('.'), error: errorMessage(original) });
  return relocate(error, 'Unexpected error.', { code: 'INTERNAL_SERVER_ERROR' });
}

/** The client error at the place in the response (path, locations) where the failure happened. */
function relocate(error: GraphQLError, message: string, extensions: Record<string, unknown> | undefined): GraphQLError {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: extensions ?? {},
  });
}
