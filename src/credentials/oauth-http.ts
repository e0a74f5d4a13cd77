// One call to GHL's OAuth endpoints (oauth.json): the request with its deadline, transient failures
// retried with backoff, and every failure turned into one typed OAuthError whose text never holds
// a secret we sent (the client secret, a code, a refresh or access token): GHL's message is copied
// only after each of them is cut out, and undici's errors (which can hold the request) are reduced
// to their kind.
//
// How GHL's answers are read (oauth.json documents 400 BadRequestDTO, 401 UnauthorizedDTO, 422; GHL
// publishes no list of messages, highlevel-api-docs#249):
// - /oauth/token: a 401, or `invalid_client` in any 4xx, is our client (RFC 6749 §5.2 keeps 401 for
//   client authentication); a 400 `Invalid request` (or `invalid_request`) is our request; any other
//   400/403 is the grant (`Invalid grant: …`, but also e.g. `Location is not active`, #249).
// - agency routes: 401 is the agency token (`Invalid JWT`, or `Invalid token: access token is
//   invalid` for one GHL revoked early), 403 the location's access.
// - 5xx, 429, timeouts and network failures are retried (attempts, with exponential backoff and
//   full jitter, honouring a 429's Retry-After up to the backoff cap), then reported.
import { errors as undiciErrors, request, type Dispatcher } from 'undici';
import { scrub } from '../log.js';
import { OAuthError, type OAuthFailure, type OAuthOperation } from './errors.js';

export interface RetryPolicy {
  /** Requests in all, the first included; 1 = no retry. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_OAUTH_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 300, maxDelayMs: 3_000 };

export interface OAuthHttpConfig {
  baseUrl: string;
  /** One request, start to last byte. */
  timeoutMs: number;
  retry: RetryPolicy;
  dispatcher?: Dispatcher | undefined;
}

export interface OAuthRequest {
  operation: OAuthOperation;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  form?: Record<string, string>;
  /** Agency routes: the agency access token, sent as `Authorization: Bearer`. */
  bearer?: string;
  /** Agency routes need GHL's Version header; /oauth/token takes none. */
  version?: string;
  /** Everything secret in this request, cut out of any text GHL sends back. */
  secrets: readonly string[];
}

const RETRIED: ReadonlySet<OAuthFailure> = new Set(['server', 'rate_limited', 'timeout', 'network']);

/** The parsed JSON body of a 2xx answer, after retries; or throws OAuthError. */
export async function oauthCall(config: OAuthHttpConfig, req: OAuthRequest, signal?: AbortSignal): Promise<unknown> {
  const { attempts, baseDelayMs, maxDelayMs } = config.retry;
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await once(config, req, signal);
    if (outcome.ok) return outcome.body;
    const failure = outcome.failure;
    if (!RETRIED.has(failure.failure) || attempt >= attempts || signal?.aborted) {
      throw new OAuthError(
        failure.failure,
        req.operation,
        failure.status,
        failure.ghlMessage,
        failure.ghlError,
        attempt,
      );
    }
    const backoff = Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const delay =
      failure.retryAfterMs === undefined ? backoff : Math.min(maxDelayMs, Math.max(backoff, failure.retryAfterMs));
    await sleep(delay, signal);
  }
}

interface Failure {
  failure: OAuthFailure;
  status: number | undefined;
  ghlMessage: string | undefined;
  ghlError: string | undefined;
  retryAfterMs?: number | undefined;
}

async function once(
  config: OAuthHttpConfig,
  req: OAuthRequest,
  signal: AbortSignal | undefined,
): Promise<{ ok: true; body: unknown } | { ok: false; failure: Failure }> {
  const url = new URL(req.path, config.baseUrl);
  for (const [key, value] of Object.entries(req.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (req.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (req.bearer !== undefined) headers.authorization = `Bearer ${req.bearer}`;
  if (req.version !== undefined) headers.version = req.version;
  const deadline = AbortSignal.timeout(config.timeoutMs);
  const combined = signal === undefined ? deadline : AbortSignal.any([signal, deadline]);

  let status: number;
  let text: string;
  let retryAfter: string | undefined;
  try {
    const response = await request(url, {
      method: req.method,
      dispatcher: config.dispatcher,
      headers,
      ...(req.form !== undefined ? { body: new URLSearchParams(req.form).toString() } : {}),
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
      signal: combined,
    });
    status = response.statusCode;
    text = await response.body.text();
    const header = response.headers['retry-after'];
    retryAfter = Array.isArray(header) ? header[0] : header;
  } catch (error) {
    return {
      ok: false,
      failure: {
        failure: transportFailure(error, deadline),
        status: undefined,
        ghlMessage: undefined,
        ghlError: undefined,
      },
    };
  }

  const body = parseJson(text);
  if (status >= 200 && status < 300) return { ok: true, body };
  const { message, error } = errorParts(body, text);
  const ghlMessage = message === undefined ? undefined : redact(message, req.secrets);
  const ghlError = error === undefined ? undefined : redact(error, req.secrets);
  const seconds = retryAfter === undefined ? Number.NaN : Number(retryAfter);
  return {
    ok: false,
    failure: {
      failure: classify(req.operation, status, ghlError, ghlMessage),
      status,
      ghlMessage,
      ghlError,
      retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined,
    },
  };
}

/** Wording of a refused client: node-oauth2-server's `Invalid client: client is invalid`, RFC 6749's codes. */
const CLIENT_MARKER = /invalid[ _]client|unauthorized[ _]client|client[ _](id|secret)/i;
const REQUEST_MARKER = /^invalid[ _]request\b/i;

function classify(
  operation: OAuthOperation,
  status: number,
  ghlError: string | undefined,
  ghlMessage: string | undefined,
): OAuthFailure {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  const said = `${ghlError ?? ''} ${ghlMessage ?? ''}`;
  if (operation === 'authorization_code' || operation === 'refresh_token') {
    if (status === 401 || ((status === 400 || status === 403) && CLIENT_MARKER.test(said))) return 'client_rejected';
    if (status === 400 && (ghlError === 'invalid_request' || REQUEST_MARKER.test(ghlMessage ?? ''))) return 'http';
    if (status === 400 || status === 403) return 'grant_rejected';
    return 'http';
  }
  if (status === 401) return 'token_rejected';
  if (status === 403) return 'forbidden';
  return 'http';
}

function transportFailure(error: unknown, deadline: AbortSignal): OAuthFailure {
  if (
    error instanceof undiciErrors.ConnectTimeoutError ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    deadline.aborted
  ) {
    return 'timeout';
  }
  return 'network';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** GHL answers `{statusCode, message, error}` (message sometimes a list) or OAuth's `{error, error_description}`. */
function errorParts(body: unknown, text: string): { message: string | undefined; error: string | undefined } {
  if (body === null || typeof body !== 'object') {
    const trimmed = text.trim();
    return { message: trimmed === '' ? undefined : trimmed.slice(0, 200), error: undefined };
  }
  const record = body as Record<string, unknown>;
  const rawMessage = record.error_description ?? record.message;
  const message = Array.isArray(rawMessage)
    ? rawMessage.filter((m): m is string => typeof m === 'string').join('; ')
    : typeof rawMessage === 'string'
      ? rawMessage
      : undefined;
  const error = typeof record.error === 'string' ? record.error : undefined;
  return { message: message?.slice(0, 300), error: error?.slice(0, 100) };
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return scrub(out);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
