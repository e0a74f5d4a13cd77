// GHL's failures (and the budget's and the managed credential's, which stand between the caller
// and GHL) as the field errors a client sees. mask.ts applies it to every resolver error.
import type { GraphQLError } from 'graphql';
import { BudgetExceededError } from '../../budget/errors.js';
import { CredentialError } from '../../credentials/errors.js';
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
} from '../../ghl/errors.js';
import { clientError } from './client-error.js';

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
    return /scope/i.test(error.ghlMessage)
      ? clientError(
          'FORBIDDEN',
          `GHL refused the token: ${sentence(error.ghlMessage)} Use a token with the scope this needs in GHL ` +
            '(contacts.readonly to read, contacts.write to write).',
          operation,
        )
      : clientError(
          'UNAUTHENTICATED',
          `GHL refused the token: ${sentence(error.ghlMessage)} It may have expired or been revoked, or not be ` +
            "GHL's: get a new one.",
          operation,
        );
  }
  if (error instanceof GhlForbiddenError) {
    return clientError(
      'FORBIDDEN',
      `GHL refused access: ${sentence(error.ghlMessage)} The record may belong to another location than the token's.`,
      operation,
    );
  }
  if (error instanceof GhlNotFoundError) {
    return clientError(
      'NOT_FOUND',
      `Not found in GHL: ${sentence(error.ghlMessage)} Check the id; the record may have been deleted.`,
      operation,
    );
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

/** GHL's message as a sentence, so a hint can follow it. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
