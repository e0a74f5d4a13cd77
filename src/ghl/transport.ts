// HTTP to GHL with undici: one keep-alive agent for the whole process, GHL's required headers on
// every call, per-call timeouts, bodies bounded in size and nesting (reply-body.ts), and every
// failure turned into a typed GhlError.
//
// The per-call deadline is one timer and one AbortController, the caller's signal relayed into it
// by a listener removed when the call ends. AbortSignal.timeout and AbortSignal.any per call cost
// two signals each (and timers that stay armed until they fire); on a 75-call fan-out that was a
// visible share of the gateway's CPU. Connect, headers and body stalls are undici's own timeouts.
import { Agent, errors as undiciErrors, request } from 'undici';
import type { GhlCall, GhlCaller, GhlReply, GhlSend } from './call.js';
import { GhlNetworkError, GhlTimeoutError } from './errors.js';
import { decodeReplyBody, readBodyText, REPLY_LIMITS, type RawBody, type ReplyLimits } from './reply-body.js';

export interface TransportConfig {
  baseUrl: string;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** Upper bound for one call from start to last byte; 0 disables it. */
  requestTimeoutMs: number;
  /** Connections per origin: at least a request's widest fan-out (UPSTREAM_CONCURRENCY). */
  maxConnections?: number;
  /** Size and nesting a reply body may have (reply-body.ts); tests lower them. */
  replyLimits?: ReplyLimits;
}

export interface Transport {
  send: GhlSend;
  close(): Promise<void>;
}

export function createTransport(config: TransportConfig): Transport {
  const base = new URL(config.baseUrl);
  const limits = config.replyLimits ?? REPLY_LIMITS;
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    // Never fewer than a request's widest fan-out, so its calls do not queue for a socket, and
    // room for a few requests side by side; idle sockets close after keepAliveTimeout.
    connections: Math.max(config.maxConnections ?? 0, MIN_CONNECTIONS),
    connect: { timeout: config.connectTimeoutMs },
    headersTimeout: config.headersTimeoutMs,
    bodyTimeout: config.bodyTimeoutMs,
  });

  async function send(call: GhlCall, caller: GhlCaller, signal?: AbortSignal): Promise<GhlReply> {
    const url = new URL(call.path, base);
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${caller.token}`,
      version: call.version,
      accept: 'application/json',
    };
    let body: string | undefined;
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.body);
    }
    const deadline = config.requestTimeoutMs > 0 ? callDeadline(config.requestTimeoutMs, signal) : undefined;

    let status: number;
    let responseHeaders: Record<string, string>;
    let raw: RawBody;
    try {
      const response = await request(url, {
        dispatcher: agent,
        method: call.method,
        headers,
        body,
        signal: deadline?.signal ?? signal,
      });
      status = response.statusCode;
      responseHeaders = flattenHeaders(response.headers);
      raw = await readBodyText(response.body, limits.maxBytes, responseHeaders['content-length']);
    } catch (error) {
      throw mapFailure(call.operation, error, deadline?.expired === true);
    } finally {
      deadline?.end();
    }
    return { status, headers: responseHeaders, body: decodeReplyBody(call.operation, status, raw, limits) };
  }

  return { send, close: () => agent.close() };
}

const MIN_CONNECTIONS = 128;

interface CallDeadline {
  readonly signal: AbortSignal;
  /** Whether the deadline, not the caller, ended the call. */
  readonly expired: boolean;
  /** Disarms the timer and forgets the caller's signal. */
  end(): void;
}

function callDeadline(ms: number, outer: AbortSignal | undefined): CallDeadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException('The GHL call took too long.', 'TimeoutError'));
  }, ms);
  // Like AbortSignal.timeout's: a pending deadline alone does not keep the process up.
  timer.unref();
  const relay = () => controller.abort(outer?.reason);
  if (outer?.aborted) relay();
  else outer?.addEventListener('abort', relay, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    end() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', relay);
    },
  };
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function mapFailure(operation: string, error: unknown, expired: boolean): Error {
  if (error instanceof undiciErrors.ConnectTimeoutError) return new GhlTimeoutError(operation, 'connect');
  if (error instanceof undiciErrors.HeadersTimeoutError) return new GhlTimeoutError(operation, 'headers');
  if (error instanceof undiciErrors.BodyTimeoutError) return new GhlTimeoutError(operation, 'body');
  if (expired) return new GhlTimeoutError(operation, 'deadline');
  if (isAbort(error)) return new GhlTimeoutError(operation, 'deadline');
  const code = (error as { code?: unknown }).code;
  // Only the error code crosses over: undici errors can hold the request options, headers included.
  return new GhlNetworkError(operation, typeof code === 'string' ? code : 'UNKNOWN');
}

function isAbort(error: unknown): boolean {
  const name = (error as { name?: unknown }).name;
  return name === 'AbortError' || name === 'TimeoutError';
}

/**
 * Whether anything answers HTTP at the base URL. Any status counts: the point is that DNS, TCP
 * and TLS work, not that an unauthenticated call succeeds.
 */
export async function probe(baseUrl: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const response = await request(new URL('/', baseUrl), {
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body.dump();
    return true;
  } catch {
    return false;
  }
}
