// From an HTTP request to a caller: the GHL token it brings, the location and scopes that token
// claims, and the identity that keys shared caches. In pass-through mode the gateway cannot check
// GHL's signature, so claims only decide which schema the caller sees; GHL decides the rest. The
// cache identity is therefore the token itself (hashed), never a claim.
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const READ_SCOPE = 'contacts.readonly';
export const WRITE_SCOPE = 'contacts.write';

export interface Caller {
  /** The GHL token to send; empty for an API-key caller, whose token the gateway holds. */
  token: string;
  /** A caller's own GHL token (oauth-jwt, opaque) or a gateway API key (managed credentials). */
  kind: 'oauth-jwt' | 'opaque' | 'api-key';
  /**
   * The location (sub-account) the token claims, or the one named by the location header. Every
   * accepted caller has one: contacts live in a location, so a token that names none is refused.
   */
  locationId: string;
  scopes: readonly string[];
  /** For an API key: the scopes the key itself grants (`scopes` is what both it and the location's credential allow). */
  keyScopes?: readonly string[];
  canRead: boolean;
  canWrite: boolean;
  /**
   * The identity shared caches are keyed by: sha256 of the token in pass-through mode (two tokens
   * never share), `location:<id>` for API keys (the gateway holds the location's one credential).
   */
  tenant: string;
  /** Seconds since the epoch, when the token says. */
  expiresAt: number | undefined;
}

/**
 * Why a request has no caller. The gateway's error mapping (src/schema/errors/auth.ts) turns each
 * into the 401 a client sees, with what to do about it; nothing here is worded for a client.
 */
export type AuthFailure =
  | { reason: 'missing_token' }
  | { reason: 'malformed_header' }
  | { reason: 'malformed_token' }
  | { reason: 'unreadable_jwt' }
  | { reason: 'expired_token' }
  /** A JWT without the claims the gateway needs; `company` for an agency (Company) token. */
  | { reason: 'missing_claims'; claims: ReadonlyArray<'authClassId' | 'oauthMeta.scopes'>; company: boolean }
  /** An opaque token (private integration token) without the location header. */
  | { reason: 'missing_location_header' }
  | { reason: 'malformed_location_header' }
  | { reason: 'api_keys_off' }
  | { reason: 'passthrough_off' }
  | { reason: 'api_key_malformed' | 'api_key_unknown' | 'api_key_revoked' | 'api_key_expired' }
  /** The key is good, but its location has no usable GHL credential: the operator's to fix. */
  | { reason: 'not_installed' | 'needs_reinstall' | 'cannot_open'; locationId: string };

export type CallerResult = { ok: true; caller: Caller } | { ok: false; failure: AuthFailure };

const refuse = (failure: AuthFailure): CallerResult => ({ ok: false, failure });

export interface CallerOptions {
  /** Scopes assumed for an opaque token (a private integration token), whose scopes GHL keeps. */
  opaqueTokenScopes: readonly string[];
  now?: () => number;
}

/** Header an opaque-token caller uses to say which location it works in. */
export const LOCATION_HEADER = 'x-ghl-location-id';

const TOKEN_PATTERN = /^[A-Za-z0-9._~+/=-]{16,4096}$/;
const LOCATION_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const jwtClaims = z.object({
  authClass: z.string().optional(),
  authClassId: z.string().regex(LOCATION_PATTERN).optional(),
  oauthMeta: z.object({ scopes: z.array(z.string()).optional() }).optional(),
  exp: z.number().optional(),
});

export function parseCaller(headers: Headers, options: CallerOptions): CallerResult {
  const header = headers.get('authorization');
  if (header === null || header.trim() === '') return refuse({ reason: 'missing_token' });
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return refuse({ reason: 'malformed_header' });
  const token = match[1];
  if (!TOKEN_PATTERN.test(token)) return refuse({ reason: 'malformed_token' });
  const tenant = createHash('sha256').update(token).digest('hex');
  const locationHeader = headers.get(LOCATION_HEADER)?.trim() || undefined;
  if (locationHeader !== undefined && !LOCATION_PATTERN.test(locationHeader)) {
    return refuse({ reason: 'malformed_location_header' });
  }

  if (token.split('.').length === 3) {
    const claims = decodeJwtClaims(token);
    if (claims === null) return refuse({ reason: 'unreadable_jwt' });
    const now = (options.now ?? Date.now)() / 1000;
    if (claims.exp !== undefined && claims.exp < now) return refuse({ reason: 'expired_token' });
    const scopes = claims.oauthMeta?.scopes;
    // A Company (agency) token has no location of its own; contacts need a location token.
    const locationId = claims.authClass === 'Location' ? claims.authClassId : locationHeader;
    if (locationId === undefined || scopes === undefined) {
      return refuse({
        reason: 'missing_claims',
        claims: [
          ...(locationId === undefined ? (['authClassId'] as const) : []),
          ...(scopes === undefined ? (['oauthMeta.scopes'] as const) : []),
        ],
        company: claims.authClass === 'Company',
      });
    }
    return { ok: true, caller: build(token, 'oauth-jwt', tenant, locationId, scopes, claims.exp) };
  }
  if (locationHeader === undefined) return refuse({ reason: 'missing_location_header' });
  return {
    ok: true,
    caller: build(token, 'opaque', tenant, locationHeader, options.opaqueTokenScopes, undefined),
  };
}

export function build(
  token: string,
  kind: Caller['kind'],
  tenant: string,
  locationId: string,
  scopes: readonly string[],
  expiresAt: number | undefined,
): Caller {
  // Each is checked on its own, as GHL does: a write scope does not imply the read scope.
  const canWrite = scopes.includes(WRITE_SCOPE);
  const canRead = scopes.includes(READ_SCOPE);
  return { token, kind, locationId, scopes: [...scopes], canRead, canWrite, tenant, expiresAt };
}

function decodeJwtClaims(token: string): z.output<typeof jwtClaims> | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const json: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const parsed = jwtClaims.safeParse(json);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
