// GHL's OAuth endpoints: the location chooser URL an installer is sent to, and POST /oauth/token
// (form-encoded, no Version header) to exchange a code or a refresh token. Failures become one
// typed OAuthError whose text never holds the client secret, the code or a token: GHL's message is
// copied only after every secret we sent is cut out of it, and undici's errors (which can hold
// the request) are reduced to their code.
import { errors as undiciErrors, request, type Dispatcher } from 'undici';
import { z } from 'zod';
import { scrub } from '../log.js';
import { OAuthError, type OAuthFailure } from './errors.js';

export interface OAuthClientConfig {
  /** GHL's API base (https://services.leadconnectorhq.com) or the sandbox's. */
  baseUrl: string;
  /** Base of the location chooser, e.g. https://marketplace.gohighlevel.com/v2. */
  marketplaceUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Scopes asked for in the chooser URL. */
  scopes: readonly string[];
  /** One token call, start to last byte; default 10 s. */
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

/** GHL's token response. Unknown fields are dropped; `scope` is split into a list. */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().default('Bearer'),
  expires_in: z.coerce.number().positive(),
  refresh_token: z.string().min(1),
  scope: z
    .string()
    .default('')
    .transform((value) => value.split(/\s+/).filter(Boolean)),
  userType: z.string().optional(),
  locationId: z.string().optional(),
  companyId: z.string().optional(),
  userId: z.string().optional(),
});
export type TokenResponse = z.output<typeof tokenResponseSchema>;

export interface OAuthClient {
  /** Where to send an installer. `state` must be an unguessable value bound to their session. */
  authorizeUrl(params: { state: string }): string;
  exchangeCode(code: string, signal?: AbortSignal): Promise<TokenResponse>;
  /** Spends `refreshToken`: GHL's refresh tokens are single use. */
  refresh(refreshToken: string, signal?: AbortSignal): Promise<TokenResponse>;
}

type GrantType = 'authorization_code' | 'refresh_token';

export function createOAuthClient(config: OAuthClientConfig): OAuthClient {
  const tokenUrl = new URL('/oauth/token', config.baseUrl);
  const timeoutMs = config.timeoutMs ?? 10_000;

  async function token(grantType: GrantType, grant: string, signal: AbortSignal | undefined): Promise<TokenResponse> {
    const form = new URLSearchParams({
      client_id: config.clientId,
      client_secret: config.clientSecret,
      grant_type: grantType,
      [grantType === 'authorization_code' ? 'code' : 'refresh_token']: grant,
      user_type: 'Location',
      redirect_uri: config.redirectUri,
    });
    const secrets = [config.clientSecret, grant];
    const deadline = AbortSignal.timeout(timeoutMs);
    const combined = signal === undefined ? deadline : AbortSignal.any([signal, deadline]);

    let status: number;
    let text: string;
    try {
      const response = await request(tokenUrl, {
        method: 'POST',
        dispatcher: config.dispatcher,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: combined,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw new OAuthError(transportFailure(error, deadline), grantType, undefined, undefined, undefined);
    }

    const body = parseJson(text);
    if (status >= 200 && status < 300) {
      const parsed = tokenResponseSchema.safeParse(body);
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))].join(', ');
        throw new OAuthError('bad_response', grantType, status, `unexpected token response (${fields})`, undefined);
      }
      return parsed.data;
    }
    const { message, error } = errorParts(body, text);
    const ghlMessage = message === undefined ? undefined : redact(message, secrets);
    const ghlError = error === undefined ? undefined : redact(error, secrets);
    throw new OAuthError(classify(status, ghlError, ghlMessage), grantType, status, ghlMessage, ghlError);
  }

  return {
    authorizeUrl({ state }) {
      if (state.trim() === '') throw new Error('authorizeUrl needs a state value (an unguessable, per-session string).');
      // Built by hand so spaces in the scope list become %20: GHL shows them that way, and not
      // every parser reads "+" as a space.
      const params: [string, string][] = [
        ['response_type', 'code'],
        ['client_id', config.clientId],
        ['redirect_uri', config.redirectUri],
        ['scope', config.scopes.join(' ')],
        ['state', state],
      ];
      const query = params.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
      return `${config.marketplaceUrl.replace(/\/+$/, '')}/oauth/chooselocation?${query}`;
    },
    exchangeCode: (code, signal) => token('authorization_code', code, signal),
    refresh: (refreshToken, signal) => token('refresh_token', refreshToken, signal),
  };
}

function classify(status: number, ghlError: string | undefined, ghlMessage: string | undefined): OAuthFailure {
  if (status === 400 || status === 401 || status === 403) {
    // Our client id or secret is wrong: not the location's fault, and re-installing would not help.
    if (ghlError === 'invalid_client' || ghlError === 'unauthorized_client') return 'client_rejected';
    if (ghlError === undefined && ghlMessage !== undefined && /invalid[ _]client|client[ _](id|secret)/i.test(ghlMessage)) {
      return 'client_rejected';
    }
    return 'grant_rejected';
  }
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
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
