// Tokens the sandbox accepts. OAuth-style JWTs carry GHL's claims (authClass, authClassId,
// oauthMeta.scopes) but are signed HS256 with the sandbox's own secret, since GHL's signing key
// is not published; private integration tokens (`pit-<uuid>`) are looked up in a table as GHL
// does. The printed tokens use a fixed iat and a far-future exp so they are the same every run;
// the OAuth flow (oauth-grants.ts) mints others, with a `jti`, the app's client id, and agency
// (Company) ones, which the contacts API refuses.
//
// A JWT is checked by its signature and expiry alone, so revoking one early (GHL invalidating a
// token before it expires) needs a list: `revoke()` puts a token on it, and from then on it is
// told apart from a bad token, as GHL tells them apart (`Invalid JWT` vs oauth.json's
// `Invalid token: access token is invalid`).

import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const READ_ONLY_SCOPES = ['contacts.readonly', 'calendars/events.readonly'] as const;
export const READ_WRITE_SCOPES = [...READ_ONLY_SCOPES, 'contacts.write', 'calendars/events.write'] as const;
/** Not a secret: it only makes the sandbox's tokens reproducible. */
export const DEFAULT_TOKEN_SECRET = 'ghl-sandbox-local-signing-key';

const FIXED_ISSUED_AT = 1_735_689_600; // 2025-01-01T00:00:00Z
const FAR_FUTURE_EXPIRY = 4_102_444_800; // 2100-01-01T00:00:00Z
/** GHL access tokens live about a day (`expires_in: 86399`). */
const GHL_ACCESS_TOKEN_SECONDS = 86_399;

export interface SandboxLocationTokens {
  locationId: string;
  name: string;
  readOnly: string;
  readWrite: string;
  privateIntegration: string;
}

/** Who is calling, as the sandbox sees it after checking the token. */
export interface Caller {
  locationId: string;
  scopes: ReadonlySet<string>;
  kind: 'oauth' | 'privateIntegration';
}

const claimsSchema = z.object({
  authClass: z.string(),
  authClassId: z.string().min(1),
  oauthMeta: z.object({ scopes: z.array(z.string()), client: z.string().optional() }),
  iat: z.number(),
  exp: z.number(),
});
export type SandboxTokenClaims = z.infer<typeof claimsSchema>;

const headerSchema = z.object({ alg: z.literal('HS256'), typ: z.string().optional() });

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

function sign(input: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

export interface MintSandboxTokenOptions {
  locationId: string;
  scopes: readonly string[];
  /** Seconds from `issuedAt`; negative gives an already expired token. Default 86399, as GHL. */
  expiresInSeconds?: number;
  /** Must match the sandbox's `tokenSecret`; default DEFAULT_TOKEN_SECRET. */
  secret?: string;
  /** Unix seconds; default now. */
  issuedAt?: number;
  /** The OAuth client that obtained it (`oauthMeta.client`, `sourceId`). Default "sandbox". */
  client?: string;
  /**
   * A `jti` claim. GHL's OAuth tokens carry one; it also keeps two tokens minted in the same
   * second for the same grant (an exchange and an immediate refresh) from being identical.
   */
  tokenId?: string;
}

/** A compact HS256 JWT of `claims`. */
export function signSandboxJwt(claims: Record<string, unknown>, secret: string): string {
  const input = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${base64url(sign(input, secret))}`;
}

function oauthClaims(
  authClass: 'Location' | 'Company',
  authClassId: string,
  opts: Omit<MintSandboxTokenOptions, 'locationId'>,
): Record<string, unknown> {
  const iat = opts.issuedAt ?? Math.floor(Date.now() / 1000);
  return {
    ...(opts.tokenId !== undefined ? { jti: opts.tokenId } : {}),
    authClass,
    authClassId,
    source: 'INTEGRATION',
    sourceId: opts.client ?? 'sandbox-app',
    channel: 'OAUTH',
    primaryAuthClassId: authClassId,
    oauthMeta: { scopes: [...opts.scopes], client: opts.client ?? 'sandbox' },
    iat,
    exp: iat + (opts.expiresInSeconds ?? GHL_ACCESS_TOKEN_SECONDS),
  };
}

export function mintSandboxToken(opts: MintSandboxTokenOptions): string {
  return signSandboxJwt(oauthClaims('Location', opts.locationId, opts), opts.secret ?? DEFAULT_TOKEN_SECRET);
}

/**
 * An agency (Company) access token. The contacts API refuses it (it needs a sub-account
 * token); `POST /oauth/locationToken` takes it.
 */
export function mintSandboxCompanyToken(
  opts: Omit<MintSandboxTokenOptions, 'locationId'> & { companyId: string },
): string {
  return signSandboxJwt(oauthClaims('Company', opts.companyId, opts), opts.secret ?? DEFAULT_TOKEN_SECRET);
}

/** The claims of a valid, unexpired sandbox JWT, or undefined. */
export function verifySandboxToken(token: string, secret: string, nowSeconds: number): SandboxTokenClaims | undefined {
  const [header, payload, signature, ...rest] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined || rest.length > 0) return undefined;
  const expected = sign(`${header}.${payload}`, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    if (!headerSchema.safeParse(JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))).success)
      return undefined;
    const claims = claimsSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    if (!claims.success || claims.data.exp <= nowSeconds) return undefined;
    return claims.data;
  } catch {
    return undefined;
  }
}

/** Why a token was refused: not a valid token at all, or a valid one revoked early. */
export type TokenRefusal = 'invalid' | 'revoked';

export type ResolvedCaller = { ok: true; caller: Caller } | { ok: false; refusal: TokenRefusal };

/** The token of an `Authorization: Bearer <token>` header value, if it has that shape. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
}

export class TokenDirectory {
  private readonly pits: Map<string, string>;
  /** Access tokens revoked before their expiry. Never cleared: a revoked token stays revoked. */
  private readonly revoked = new Set<string>();

  constructor(
    private readonly secret: string,
    privateIntegrationTokens: readonly { token: string; locationId: string }[],
  ) {
    this.pits = new Map(privateIntegrationTokens.map((p) => [p.token, p.locationId]));
  }

  /** Revokes a token early; it answers `Invalid token: access token is invalid` from now on. */
  revoke(token: string): void {
    this.revoked.add(token);
  }

  isRevoked(token: string): boolean {
    return this.revoked.has(token);
  }

  /** The claims of a valid, unexpired, unrevoked JWT of any class, or why it is refused. */
  verify(token: string): { ok: true; claims: SandboxTokenClaims } | { ok: false; refusal: TokenRefusal } {
    const claims = verifySandboxToken(token, this.secret, Math.floor(Date.now() / 1000));
    if (!claims) return { ok: false, refusal: 'invalid' };
    if (this.revoked.has(token)) return { ok: false, refusal: 'revoked' };
    return { ok: true, claims };
  }

  /** The caller for an Authorization header value, or why its token is refused. */
  resolve(authorization: string | undefined): ResolvedCaller {
    const token = bearerToken(authorization);
    if (!token) return { ok: false, refusal: 'invalid' };
    const pitLocation = this.pits.get(token);
    // Private integration tokens in the sandbox are read-only, like a PIT created with only
    // the read scopes ticked in the GHL UI.
    if (pitLocation)
      return {
        ok: true,
        caller: { locationId: pitLocation, scopes: new Set(READ_ONLY_SCOPES), kind: 'privateIntegration' },
      };
    const verified = this.verify(token);
    if (!verified.ok) return verified;
    // Contacts endpoints need a sub-account (Location) token; agency tokens are not accepted.
    const { claims } = verified;
    if (claims.authClass !== 'Location') return { ok: false, refusal: 'invalid' };
    return {
      ok: true,
      caller: { locationId: claims.authClassId, scopes: new Set(claims.oauthMeta.scopes), kind: 'oauth' },
    };
  }

  locationTokens(locations: readonly { id: string; name: string }[]): SandboxLocationTokens[] {
    const mint = (locationId: string, scopes: readonly string[]): string =>
      mintSandboxToken({
        locationId,
        scopes,
        secret: this.secret,
        issuedAt: FIXED_ISSUED_AT,
        expiresInSeconds: FAR_FUTURE_EXPIRY - FIXED_ISSUED_AT,
      });
    return locations.map((l) => ({
      locationId: l.id,
      name: l.name,
      readOnly: mint(l.id, READ_ONLY_SCOPES),
      readWrite: mint(l.id, READ_WRITE_SCOPES),
      privateIntegration: [...this.pits].find(([, locationId]) => locationId === l.id)?.[0] ?? '',
    }));
  }
}
