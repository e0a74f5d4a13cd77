// The sandbox OAuth app's state: its settings (client id/secret, redirect URIs, lifetimes), the
// locations it is installed at, the authorization codes the chooser handed out and the refresh
// tokens the token endpoint issued. GHL's rules, kept here so the HTTP layer only translates:
// - an install is made at consent (the chooser, or the Marketplace's "Add App"), at one location
//   (Location) or at the agency for some or all of its locations (Company); the code it yields
//   exchanges to a token of that level, whatever `user_type` the exchange names (GHL's own app
//   template sends none and takes either; highlevel-api-docs#294: a bulk install yields a Company
//   token even when the user picked one location);
// - a code is single use and short lived, bound to its client and redirect URI;
// - a refresh token is single use: a refresh spends it and returns a new one (GHL's OAuth guide:
//   "valid for up to one year, or until it is used");
// - access tokens are stateless JWTs: one minted earlier keeps working until it expires, even
//   after its grant was refreshed.
// Spent codes and refresh tokens are remembered, so a second use is told apart from a typo.

import { randomBytes } from 'node:crypto';
import { sandboxAgency } from './fixtures.js';
import type { OAuthOption } from './options.js';
import type { LocationRecord } from './records.js';
import { mintSandboxCompanyToken, mintSandboxToken, signSandboxJwt } from './tokens.js';

export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  accessTokenTtlSeconds: number;
  authorizationCodeTtlSeconds: number;
  /** Registered redirect URIs (exact match); null = any http(s) URI on a loopback host. */
  redirectUris: string[] | null;
}

export const DEFAULT_OAUTH_SETTINGS: Readonly<OAuthSettings> = {
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
  accessTokenTtlSeconds: 86_399,
  // GHL does not publish it; RFC 6749 §4.1.2 recommends at most 10 minutes.
  authorizationCodeTtlSeconds: 600,
  redirectUris: null,
};

/** GHL's OAuth guide: a refresh token "is valid for up to one year, or until it is used". */
const REFRESH_TOKEN_TTL_SECONDS = 365 * 86_400;

export type UserType = 'Location' | 'Company';

/** What an install granted, and to whom: carried from code to tokens to their refreshes. */
export interface Grant {
  clientId: string;
  userType: UserType;
  companyId: string;
  /** For Location grants. */
  locationId?: string;
  /** For Company grants: the locations an agency token may mint location tokens for. */
  approvedLocations?: string[];
  /** The user who installed the app. */
  userId: string;
  scopes: string[];
}

/** What a consent approved: who, for which client and redirect URI, at which level and locations. */
export interface InstallRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  userType: UserType;
  /** Location: the one location; Company: the approved locations (at least one). */
  locationIds: string[];
}

interface CodeRecord extends InstallRequest {
  expiresAtMs: number;
  used: boolean;
}

/** The app at one location, as GET /oauth/installedLocations describes it. */
export interface Installation {
  installedAt: string;
  versionId: string;
}

/** GHL gives every app version an id; the sandbox app has one version. */
export const SANDBOX_APP_VERSION_ID = '66f0c0ffee5a4db000000001';

interface RefreshRecord {
  grant: Grant;
  expiresAtMs: number;
  spent: boolean;
}

export type CodeOutcome =
  | { ok: true; code: CodeRecord }
  | { ok: false; reason: 'invalid' | 'expired' | 'redirectMissing' | 'redirectMismatch' };
export type RefreshOutcome = { ok: true; grant: Grant } | { ok: false; reason: 'invalid' | 'spent' | 'expired' };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export class OAuthGrants {
  settings: OAuthSettings;
  readonly companyId = sandboxAgency.companyId;
  private readonly codes = new Map<string, CodeRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly installs = new Map<string, Installation>();
  /** Access tokens issued per location or company id, so they can be revoked early. */
  private readonly accessTokens = new Map<string, string[]>();

  constructor(
    private readonly secret: string,
    readonly locations: readonly LocationRecord[],
    option: OAuthOption = {},
  ) {
    this.settings = { ...DEFAULT_OAUTH_SETTINGS };
    this.configure(option);
  }

  /** Replaces the given settings, keeps the others. Codes and tokens already issued stay as they are. */
  configure(option: OAuthOption): void {
    const s = this.settings;
    this.settings = {
      clientId: option.clientId ?? s.clientId,
      clientSecret: option.clientSecret ?? s.clientSecret,
      accessTokenTtlSeconds: option.accessTokenTtlSeconds ?? s.accessTokenTtlSeconds,
      authorizationCodeTtlSeconds: option.authorizationCodeTtlSeconds ?? s.authorizationCodeTtlSeconds,
      // null is a value here: back to "any loopback URI".
      redirectUris:
        option.redirectUris === undefined
          ? s.redirectUris
          : option.redirectUris === null
            ? null
            : [...option.redirectUris],
    };
  }

  location(id: string): LocationRecord | undefined {
    return this.locations.find((l) => l.id === id);
  }

  /**
   * GHL's client ids are `<appId>-<suffix>`, and its SDK takes the app id from the client id's
   * first part (lib/webhook/webhook-manager.ts); so does the sandbox.
   */
  get appId(): string {
    return this.settings.clientId.split('-')[0] ?? this.settings.clientId;
  }

  /** Where the app is installed: set at consent, kept across reset() as the grants are. */
  installation(locationId: string): Installation | undefined {
    return this.installs.get(locationId);
  }

  isClient(clientId: string): boolean {
    return clientId === this.settings.clientId;
  }

  authenticates(clientId: string, clientSecret: string): boolean {
    return clientId === this.settings.clientId && clientSecret === this.settings.clientSecret;
  }

  /** Whether the chooser may send a code to `uri`: never to one not registered (open redirect). */
  isRegisteredRedirect(uri: string): boolean {
    if (this.settings.redirectUris !== null) return this.settings.redirectUris.includes(uri);
    try {
      const url = new URL(uri);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        LOOPBACK_HOSTS.has(url.hostname) &&
        !uri.includes('#') &&
        url.username === '' &&
        url.password === ''
      );
    } catch {
      return false;
    }
  }

  /** A consent: installs the app at the approved locations and hands out the code for it. */
  install(request: InstallRequest, nowMs: number): string {
    const installedAt = new Date(nowMs).toISOString();
    for (const locationId of request.locationIds) {
      if (!this.installs.has(locationId))
        this.installs.set(locationId, { installedAt, versionId: SANDBOX_APP_VERSION_ID });
    }
    // 40 hex digits, the shape of GHL's codes.
    const code = randomHex(20);
    this.codes.set(code, {
      ...request,
      scopes: [...request.scopes],
      locationIds: [...request.locationIds],
      expiresAtMs: nowMs + this.settings.authorizationCodeTtlSeconds * 1000,
      used: false,
    });
    return code;
  }

  /**
   * Redeems a code, in node-oauth2-server's order: known and of this client, unexpired, same
   * redirect URI as the chooser got (RFC 6749 §4.1.3). A code is spent by its first redemption
   * that passes these checks; a failed one (e.g. a wrong redirect_uri) leaves it usable.
   */
  redeemCode(code: string, clientId: string, redirectUri: string | undefined, nowMs: number): CodeOutcome {
    const record = this.codes.get(code);
    if (!record || record.used || record.clientId !== clientId) return { ok: false, reason: 'invalid' };
    if (nowMs >= record.expiresAtMs) return { ok: false, reason: 'expired' };
    if (redirectUri === undefined || redirectUri === '') return { ok: false, reason: 'redirectMissing' };
    if (redirectUri !== record.redirectUri) return { ok: false, reason: 'redirectMismatch' };
    record.used = true;
    return { ok: true, code: record };
  }

  /** The grant of a redeemed code: of the level its install was made at. */
  grantFor(code: CodeRecord): Grant {
    const first = code.locationIds[0] ?? '';
    const userId = this.location(first)?.users[0]?.id ?? '';
    const base = { clientId: code.clientId, companyId: this.companyId, userId, scopes: [...code.scopes] };
    if (code.userType === 'Company') return { ...base, userType: 'Company', approvedLocations: [...code.locationIds] };
    return { ...base, userType: 'Location', locationId: first };
  }

  /** The access tokens issued so far for a location or company id (for early revocation). */
  accessTokensOf(subjectId: string): readonly string[] {
    return this.accessTokens.get(subjectId) ?? [];
  }

  /** Spends a refresh token (once: a second presentation is `spent`) and returns its grant. */
  redeemRefreshToken(token: string, clientId: string, nowMs: number): RefreshOutcome {
    const record = this.refreshTokens.get(token);
    // A refresh token of another client is "invalid" to this one, as in node-oauth2-server.
    if (!record || record.grant.clientId !== clientId) return { ok: false, reason: 'invalid' };
    if (record.spent) return { ok: false, reason: 'spent' };
    if (nowMs >= record.expiresAtMs) return { ok: false, reason: 'expired' };
    record.spent = true;
    return { ok: true, grant: record.grant };
  }

  /** A new access token and single-use refresh token for a grant. */
  private mint(grant: Grant, nowMs: number): { accessToken: string; refreshToken: string; refreshTokenId: string } {
    const ttl = this.settings.accessTokenTtlSeconds;
    const issuedAt = Math.floor(nowMs / 1000);
    // exp is one second past iat + expires_in (GHL: 86400 vs 86399), so a token never dies
    // before the expires_in it was sent with, whatever the fraction of the second it was minted in.
    const common = {
      scopes: grant.scopes,
      secret: this.secret,
      issuedAt,
      expiresInSeconds: ttl + 1,
      client: grant.clientId,
      tokenId: randomHex(12),
    };
    const accessToken =
      grant.userType === 'Company'
        ? mintSandboxCompanyToken({ ...common, companyId: grant.companyId })
        : mintSandboxToken({ ...common, locationId: grant.locationId ?? '' });
    const refreshTokenId = randomHex(12);
    const refreshToken = signSandboxJwt(
      {
        jti: refreshTokenId,
        authClass: grant.userType,
        authClassId: grant.userType === 'Company' ? grant.companyId : grant.locationId,
        oauthMeta: { scopes: grant.scopes, client: grant.clientId },
        iat: issuedAt,
        exp: issuedAt + REFRESH_TOKEN_TTL_SECONDS,
      },
      // Signed with another key than access tokens, so the API never takes one as an access token.
      `${this.secret}:refresh-token`,
    );
    this.refreshTokens.set(refreshToken, {
      grant,
      expiresAtMs: nowMs + REFRESH_TOKEN_TTL_SECONDS * 1000,
      spent: false,
    });
    const subject = grant.userType === 'Company' ? grant.companyId : (grant.locationId ?? '');
    this.accessTokens.set(subject, [...this.accessTokensOf(subject), accessToken]);
    return { accessToken, refreshToken, refreshTokenId };
  }

  /**
   * POST /oauth/token's 200 body for a grant (GetAccessCodeSuccessfulResponseDto, fields in the
   * order of GHL's OAuth guide examples).
   */
  issueTokens(grant: Grant, nowMs: number, traceId: string): Record<string, unknown> {
    const { accessToken, refreshToken, refreshTokenId } = this.mint(grant, nowMs);
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.settings.accessTokenTtlSeconds,
      refresh_token: refreshToken,
      scope: grant.scopes.join(' '),
      refreshTokenId,
      userType: grant.userType,
      companyId: grant.companyId,
    };
    if (grant.userType === 'Company') {
      body.approvedLocations = grant.approvedLocations ?? [];
      body.isBulkInstallation = true;
    } else {
      body.locationId = grant.locationId;
    }
    body.userId = grant.userId;
    body.traceId = traceId;
    return body;
  }

  /**
   * POST /oauth/locationToken's 200 body for a location grant minted from an agency token: the
   * spec's GetLocationAccessTokenSuccessfulResponseDto plus `refresh_token`, a single-use refresh
   * token of this location's own. oauth.json does not list it yet; GHL added it to the response
   * schema (highlevel-api-docs#285, and apps/v3/oauth-v3.json lists it).
   */
  issueLocationToken(grant: Grant, nowMs: number, traceId: string): Record<string, unknown> {
    const { accessToken, refreshToken } = this.mint(grant, nowMs);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.settings.accessTokenTtlSeconds,
      scope: grant.scopes.join(' '),
      locationId: grant.locationId,
      userId: grant.userId,
      appId: this.appId,
      versionId: this.installation(grant.locationId ?? '')?.versionId ?? SANDBOX_APP_VERSION_ID,
      refresh_token: refreshToken,
      traceId,
    };
  }
}
