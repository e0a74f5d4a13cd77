// Every way a GHL call can fail, as one typed hierarchy. Errors name the operation and carry what
// GHL said (status, message, traceId); they never carry the token, the headers or the full URL.

export type GhlErrorKind = 'bad_input' | 'http' | 'timeout' | 'network' | 'bad_json' | 'bad_shape' | 'budget';

export abstract class GhlError extends Error {
  abstract readonly kind: GhlErrorKind;
  constructor(
    readonly operation: string,
    message: string,
  ) {
    super(`${operation}: ${message}`);
    this.name = new.target.name;
  }
}

/** Rejected before any request was made: the input could not be sent to GHL. */
export class GhlBadInputError extends GhlError {
  readonly kind = 'bad_input';
  constructor(
    operation: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(operation, `${field} ${reason}`);
  }
}

/** GHL answered with a non-2xx status. Subclasses name the statuses callers branch on. */
export class GhlHttpError extends GhlError {
  readonly kind = 'http';
  constructor(
    operation: string,
    readonly status: number,
    readonly ghlMessage: string,
    readonly details: string[],
    readonly traceId: string | undefined,
  ) {
    super(operation, `GHL answered ${status}: ${ghlMessage}`);
  }
}
export class GhlUnauthorizedError extends GhlHttpError {}
export class GhlForbiddenError extends GhlHttpError {}
export class GhlNotFoundError extends GhlHttpError {}
export class GhlValidationError extends GhlHttpError {}
export class GhlRateLimitedError extends GhlHttpError {
  /** Milliseconds GHL asked us to wait (Retry-After), or our best estimate from the window. */
  retryAfterMs: number | undefined;
  constructor(
    operation: string,
    status: number,
    ghlMessage: string,
    details: string[],
    traceId: string | undefined,
    retryAfterMs: number | undefined,
  ) {
    super(operation, status, ghlMessage, details, traceId);
    this.retryAfterMs = retryAfterMs;
  }
}
export class GhlServerError extends GhlHttpError {}

export type TimeoutPhase = 'connect' | 'headers' | 'body' | 'deadline';

export class GhlTimeoutError extends GhlError {
  readonly kind = 'timeout';
  constructor(
    operation: string,
    readonly phase: TimeoutPhase,
  ) {
    super(operation, `timed out waiting for GHL (${phase})`);
  }
}

export class GhlNetworkError extends GhlError {
  readonly kind = 'network';
  constructor(
    operation: string,
    readonly code: string,
  ) {
    super(operation, `could not reach GHL (${code})`);
  }
}

/** Why a reply body could not be read: the transport refuses these before anything parses or caches them. */
export type UnreadableReason = 'not_json' | 'empty' | 'too_deep' | 'too_large';

export class GhlBadJsonError extends GhlError {
  readonly kind = 'bad_json';
  constructor(
    operation: string,
    readonly status: number,
    readonly reason: UnreadableReason = 'not_json',
    /** The limit that was passed, for `too_deep` (levels) and `too_large` (bytes). */
    readonly limit?: number,
  ) {
    super(operation, `GHL answered ${status} with ${describeUnreadable(reason, limit)}`);
  }
}

function describeUnreadable(reason: UnreadableReason, limit: number | undefined): string {
  switch (reason) {
    case 'not_json':
      return 'a body that is not JSON';
    case 'empty':
      return 'an empty body';
    case 'too_deep':
      return `JSON nested deeper than ${limit} levels`;
    case 'too_large':
      return `a body larger than ${limit} bytes`;
  }
}

export class GhlShapeError extends GhlError {
  readonly kind = 'bad_shape';
  constructor(
    operation: string,
    readonly problems: string[],
  ) {
    super(operation, `GHL's response did not have the expected shape: ${problems.join('; ')}`);
  }
}

/** True for failures worth retrying on an idempotent call: the request may not have been served. */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof GhlRateLimitedError ||
    error instanceof GhlServerError ||
    error instanceof GhlTimeoutError ||
    error instanceof GhlNetworkError
  );
}
