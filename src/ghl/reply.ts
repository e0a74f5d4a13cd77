// Turns a reply into either the parsed envelope or one typed error. This is the one place where
// GHL's statuses and error bodies are interpreted.
import type { z } from 'zod';
import type { GhlCall, GhlReply } from './call.js';
import {
  GhlForbiddenError,
  GhlHttpError,
  GhlNotFoundError,
  GhlRateLimitedError,
  GhlServerError,
  GhlShapeError,
  GhlUnauthorizedError,
  GhlValidationError,
} from './errors.js';

export function errorFromReply(call: GhlCall, reply: GhlReply, token: string): GhlHttpError {
  const body = (reply.body ?? {}) as { message?: unknown; traceId?: unknown; error?: unknown };
  const details = Array.isArray(body.message) ? body.message.map((m) => redact(String(m), token)) : [];
  const message = redact(
    typeof body.message === 'string'
      ? body.message
      : details.length > 0
        ? details.join('; ')
        : typeof body.error === 'string'
          ? body.error
          : `HTTP ${reply.status}`,
    token,
  );
  const traceId = typeof body.traceId === 'string' ? body.traceId : undefined;
  const args = [call.operation, reply.status, message, details, traceId] as const;
  switch (true) {
    case reply.status === 401:
      return new GhlUnauthorizedError(...args);
    case reply.status === 403:
      return new GhlForbiddenError(...args);
    case reply.status === 404:
      return new GhlNotFoundError(...args);
    case reply.status === 400 || reply.status === 422:
      return new GhlValidationError(...args);
    case reply.status === 429:
      return new GhlRateLimitedError(...args, retryAfterMs(reply.headers));
    case reply.status >= 500:
      return new GhlServerError(...args);
    default:
      return new GhlHttpError(...args);
  }
}

/**
 * The readability check a call carries to the budget (GhlCall.isReadable), remembering its parse
 * so that the reply it approved is not parsed a second time.
 */
export function envelopeReader<T extends z.ZodType>(schema: T) {
  let checked: { body: unknown; result: z.ZodSafeParseResult<z.output<T>> } | undefined;
  return {
    isReadable(body: unknown): boolean {
      checked = { body, result: schema.safeParse(body) };
      return checked.result.success;
    },
    /** The parse of exactly this body, when the budget already checked it. */
    parsed(body: unknown): z.ZodSafeParseResult<z.output<T>> | undefined {
      return checked !== undefined && checked.body === body ? checked.result : undefined;
    },
  };
}

export function parseReply<T extends z.ZodType>(
  call: GhlCall,
  reply: GhlReply,
  schema: T,
  alreadyParsed?: z.ZodSafeParseResult<z.output<T>>,
): z.output<T> {
  const parsed = alreadyParsed ?? schema.safeParse(reply.body);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
    throw new GhlShapeError(call.operation, problems);
  }
  return parsed.data;
}

/** Retry-After in seconds or as an HTTP date; undefined when GHL did not say. */
export function retryAfterMs(headers: Record<string, string>): number | undefined {
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function redact(text: string, token: string): string {
  return token.length > 0 ? text.split(token).join('[redacted]') : text;
}
