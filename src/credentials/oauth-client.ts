// GHL's OAuth endpoints, as the gateway uses them: the location chooser URL an installer is sent
// to, POST /oauth/token (exchange a code, refresh a grant; form-encoded, no Version header), and
// the two agency routes (Version 2021-07-28, the agency token as bearer): POST /oauth/locationToken
// mints a location token from an agency token, GET /oauth/installedLocations lists where the app
// is installed. Requests, retries and typed failures are oauth-http.ts's.
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { OAuthError, type OAuthOperation } from './errors.js';
import { DEFAULT_OAUTH_RETRY, oauthCall, type OAuthHttpConfig, type RetryPolicy } from './oauth-http.js';

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
  /** One request, start to last byte; default 10 s. */
  timeoutMs?: number;
  /** Retries of 5xx, 429, timeouts and network failures; default 3 attempts, 300 ms base, 3 s cap. */
  retry?: RetryPolicy;
  dispatcher?: Dispatcher;
}

const scopeList = z
  .string()
  .default('')
  .transform((value) => value.split(/\s+/).filter(Boolean));

/** GHL's token response (GetAccessCodeSuccessfulResponseDto). Unknown fields are dropped; `scope` is split into a list. */
export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().default('Bearer'),
  expires_in: z.coerce.number().positive(),
  refresh_token: z.string().min(1),
  scope: scopeList,
  userType: z.string().optional(),
  locationId: z.string().optional(),
  companyId: z.string().optional(),
  /** Company tokens: the locations the agency approved (GHL may leave it out, highlevel-api-docs#294). */
  approvedLocations: z.array(z.string()).optional(),
  userId: z.string().optional(),
});
export type TokenResponse = z.output<typeof tokenResponseSchema>;

/**
 * POST /oauth/locationToken's answer (GetLocationAccessTokenSuccessfulResponseDto). GHL sends the
 * location its own refresh token (highlevel-api-docs#285); oauth.json does not list it yet, so it
 * is optional here, and a location without one is minted again from the agency grant.
 */
export const locationTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  refresh_token: z.string().min(1).optional(),
  scope: scopeList,
  locationId: z.string().optional(),
  userId: z.string().optional(),
});
export type LocationTokenResponse = z.output<typeof locationTokenResponseSchema>;

const installedLocationsSchema = z.object({
  locations: z.array(z.looseObject({ _id: z.string().min(1), isInstalled: z.boolean().optional() })).default([]),
  count: z.coerce.number().optional(),
});

export type UserType = 'Location' | 'Company';

export interface OAuthClient {
  readonly clientId: string;
  /** The app id: the client id's first `-`-separated part, as GHL's SDK reads it. */
  readonly appId: string;
  /** Where to send an installer. `state` must be an unguessable value bound to their session. */
  authorizeUrl(params: { state: string }): string;
  /** The install decides whether GHL answers a Location or a Company token. */
  exchangeCode(code: string, signal?: AbortSignal): Promise<TokenResponse>;
  /** Spends `refreshToken`: GHL's refresh tokens are single use. */
  refresh(refreshToken: string, userType?: UserType, signal?: AbortSignal): Promise<TokenResponse>;
  /** A location token minted from an agency token. */
  locationToken(
    companyToken: string,
    companyId: string,
    locationId: string,
    signal?: AbortSignal,
  ): Promise<LocationTokenResponse>;
  /** The ids of the agency's locations where the app is installed, every page. */
  installedLocations(companyToken: string, companyId: string, signal?: AbortSignal): Promise<string[]>;
}

const PAGE_SIZE = 100;
/** 100 pages of 100: more locations than any agency has; a guard against a paging loop. */
const MAX_PAGES = 100;
const AGENCY_VERSION = '2021-07-28';

export function createOAuthClient(config: OAuthClientConfig): OAuthClient {
  const http: OAuthHttpConfig = {
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs ?? 10_000,
    retry: config.retry ?? DEFAULT_OAUTH_RETRY,
    dispatcher: config.dispatcher,
  };
  const appId = config.clientId.split('-')[0] ?? config.clientId;

  function parse<S extends z.ZodType>(schema: S, operation: OAuthOperation, body: unknown): z.output<S> {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))].join(', ');
    throw new OAuthError('bad_response', operation, 200, `unexpected response (${fields || 'not JSON'})`, undefined);
  }

  async function token(
    operation: 'authorization_code' | 'refresh_token',
    grant: string,
    userType: UserType | undefined,
    signal: AbortSignal | undefined,
  ): Promise<TokenResponse> {
    const form: Record<string, string> = {
      client_id: config.clientId,
      client_secret: config.clientSecret,
      grant_type: operation,
      [operation === 'authorization_code' ? 'code' : 'refresh_token']: grant,
      // A code is exchanged without user_type, as GHL's own app template does: the install decides
      // the token's level. A refresh names the grant's, as GHL's SDK does.
      ...(userType === undefined ? {} : { user_type: userType }),
      redirect_uri: config.redirectUri,
    };
    const body = await oauthCall(
      http,
      { operation, method: 'POST', path: '/oauth/token', form, secrets: [config.clientSecret, grant] },
      signal,
    );
    return parse(tokenResponseSchema, operation, body);
  }

  return {
    clientId: config.clientId,
    appId,
    authorizeUrl({ state }) {
      if (state.trim() === '')
        throw new Error('authorizeUrl needs a state value (an unguessable, per-session string).');
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
    exchangeCode: (code, signal) => token('authorization_code', code, undefined, signal),
    refresh: (refreshToken, userType = 'Location', signal) => token('refresh_token', refreshToken, userType, signal),
    async locationToken(companyToken, companyId, locationId, signal) {
      const body = await oauthCall(
        http,
        {
          operation: 'location_token',
          method: 'POST',
          path: '/oauth/locationToken',
          form: { companyId, locationId },
          bearer: companyToken,
          version: AGENCY_VERSION,
          secrets: [companyToken],
        },
        signal,
      );
      return parse(locationTokenResponseSchema, 'location_token', body);
    },
    async installedLocations(companyToken, companyId, signal) {
      const ids: string[] = [];
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const query = {
          companyId,
          appId,
          isInstalled: 'true',
          skip: String(page * PAGE_SIZE),
          limit: String(PAGE_SIZE),
        };
        const body = await oauthCall(
          http,
          {
            operation: 'installed_locations',
            method: 'GET',
            path: '/oauth/installedLocations',
            query,
            bearer: companyToken,
            version: AGENCY_VERSION,
            secrets: [companyToken],
          },
          signal,
        );
        const { locations, count } = parse(installedLocationsSchema, 'installed_locations', body);
        for (const location of locations)
          if (location.isInstalled !== false && !ids.includes(location._id)) ids.push(location._id);
        if (locations.length < PAGE_SIZE || (count !== undefined && (page + 1) * PAGE_SIZE >= count)) break;
      }
      return ids;
    },
  };
}
