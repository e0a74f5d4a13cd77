// HTTP to GHL with undici: one keep-alive agent for the whole process, GHL's required headers on
// every call, per-call timeouts, bodies bounded in size and nesting (reply-body.ts), and every
// failure turned into a typed GhlError.
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
    connections: config.maxConnections ?? 64,
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
    const deadline = config.requestTimeoutMs > 0 ? AbortSignal.timeout(config.requestTimeoutMs) : undefined;
    const signals = [signal, deadline].filter((s): s is AbortSignal => s !== undefined);
    const combined = signals.length > 0 ? AbortSignal.any(signals) : undefined;

    let status: number;
    let responseHeaders: Record<string, string>;
    let raw: RawBody;
    try {
      const response = await request(url, {
        dispatcher: agent,
        method: call.method,
        headers,
        body,
        signal: combined,
      });
      status = response.statusCode;
      responseHeaders = flattenHeaders(response.headers);
      raw = await readBodyText(response.body, limits.maxBytes, responseHeaders['content-length']);
    } catch (error) {
      throw mapFailure(call.operation, error, deadline);
    }
    return { status, headers: responseHeaders, body: decodeReplyBody(call.operation, status, raw, limits) };
  }

  return { send, close: () => agent.close() };
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function mapFailure(operation: string, error: unknown, deadline: AbortSignal | undefined): Error {
  if (error instanceof undiciErrors.ConnectTimeoutError) return new GhlTimeoutError(operation, 'connect');
  if (error instanceof undiciErrors.HeadersTimeoutError) return new GhlTimeoutError(operation, 'headers');
  if (error instanceof undiciErrors.BodyTimeoutError) return new GhlTimeoutError(operation, 'body');
  if (deadline?.aborted) return new GhlTimeoutError(operation, 'deadline');
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
