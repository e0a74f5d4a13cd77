// Every way managed credentials can fail, as typed errors. None of them ever carries a secret:
// not a GHL token, a refresh token, an authorization code, the client secret, an API key or the
// encryption key. Messages name the location or key id and say what an operator should do.

/** The encryption key from configuration is not 32 bytes of base64 or hex. */
export class KeyFormatError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(
      `${variable} must be 32 random bytes written as 64 hex characters or 44 base64 characters ` +
        `(generate one with "openssl rand -base64 32"): ${detail}`,
    );
    this.name = 'KeyFormatError';
  }
}

/** A sealed value could not be opened: wrong key, unknown key id, or moved/altered ciphertext. */
export class UnsealError extends Error {
  constructor(
    readonly keyId: string,
    readonly reason: 'unknown_key' | 'authentication_failed' | 'malformed',
  ) {
    const why = {
      unknown_key: `it was sealed with key ${keyId}, which is not configured (set CREDENTIALS_KEY or CREDENTIALS_PREVIOUS_KEYS)`,
      authentication_failed:
        `authentication failed with key ${keyId}: ` + 'wrong key, or the value was altered or moved to another record',
      malformed: 'the sealed value is malformed',
    }[reason];
    super(`Cannot open a sealed secret: ${why}.`);
    this.name = 'UnsealError';
  }
}

export type CredentialStoreErrorCode = 'corrupt' | 'locked' | 'io' | 'unseal' | 'wrong_key';

/**
 * The credentials file could not be read, parsed, locked or written; or (`wrong_key`) the configured
 * keys do not open it, so nothing sealed with another key may be written into it.
 */
export class CredentialStoreError extends Error {
  constructor(
    readonly code: CredentialStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CredentialStoreError';
  }
}

/**
 * What the configured keys open of a credentials file, for the messages below. Key ids (crypto.ts)
 * are 64 bits of a hash of a key: they tell keys apart and reveal nothing of them.
 */
export interface KeyMismatch {
  /** The credentials file. */
  file: string;
  /** How the operator named the key, e.g. "CREDENTIALS_KEY" or "CREDENTIALS_KEY=local (the key in .data/credentials.key)". */
  keyLabel: string;
  /** The command prefix that runs the CLI on this file with this key, e.g. "npm run credentials --". */
  cli: string;
  /** Ids of the keys the file's values were sealed with. */
  sealedWith: readonly string[];
  /** Ids of the configured keys (CREDENTIALS_KEY first, then CREDENTIALS_PREVIOUS_KEYS). */
  configured: readonly string[];
  /** The local key file, when it is what sealed the file (the gateway ran with CREDENTIALS_KEY=local). */
  localKeyFile?: string | undefined;
}

/** The whole message an operator sees when the key does not open the file: what is wrong and every way out. */
export function keyMismatchMessage(m: KeyMismatch): string {
  const ids = (list: readonly string[]) => list.map((id) => `key ${id}`).join(', ') || 'no key';
  const configured = m.configured.length === 1 ? 'the configured key is' : 'the configured keys are';
  return [
    `${m.keyLabel} does not open the credentials in ${m.file}: they were sealed with ${ids(m.sealedWith)}, ` +
      `and ${configured} ${ids(m.configured)}. Nothing was changed. To recover, either:`,
    ...(m.localKeyFile === undefined
      ? []
      : [`  - start with CREDENTIALS_KEY=local: the local key in ${m.localKeyFile} sealed them;`]),
    `  - start with the key that sealed them: set CREDENTIALS_KEY to it, or keep the new CREDENTIALS_KEY and ` +
      `put the old one in CREDENTIALS_PREVIOUS_KEYS (what it sealed still opens; every write seals with the new one);`,
    `  - or start over with this key: "${m.cli} reset-key --yes", run with this key, removes the GHL credentials ` +
      `it cannot open and keeps the API keys (install those locations again); or delete ${m.file}.`,
  ].join('\n');
}

/** Start-up refused: the configured key does not open the credentials file. */
export class CredentialsKeyError extends Error {
  constructor(readonly mismatch: KeyMismatch) {
    super(keyMismatchMessage(mismatch));
    this.name = 'CredentialsKeyError';
  }
}

/**
 * What a caller is told when a stored credential does not open: the operator's fix. `what` names
 * it, e.g. "the GHL credential of location X".
 */
export function cannotOpenMessage(what: string): string {
  return (
    `The gateway cannot open ${what} with its CREDENTIALS_KEY (it was sealed with a key that is not ` +
    'configured): the operator must add that key to CREDENTIALS_PREVIOUS_KEYS (or set it as ' +
    'CREDENTIALS_KEY), or install the app for this location again.'
  );
}

export type ApiKeyErrorCode = 'unknown' | 'revoked' | 'expired' | 'invalid_input';

/** A management operation on an API key (rotate, revoke) could not be done. */
export class ApiKeyError extends Error {
  constructor(
    readonly code: ApiKeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiKeyError';
  }
}

/**
 * How a call to GHL's OAuth endpoints failed:
 * - `grant_rejected`: `/oauth/token` refused the grant (400/403: a spent, revoked or expired refresh
 *   token, a bad code); retrying with the same grant cannot work.
 * - `client_rejected`: `/oauth/token` refused the client itself (401, or `invalid_client` /
 *   `unauthorized_client` in any 4xx): our GHL_CLIENT_ID / GHL_CLIENT_SECRET, not the location.
 * - `token_rejected`: an agency route (`/oauth/locationToken`, `/oauth/installedLocations`) answered
 *   401: GHL refused the agency access token (refresh it and try once more).
 * - `forbidden`: an agency route answered 403 (the location is not the agency's).
 * - `http`: another non-2xx answer that retrying will not fix (e.g. 422, a 400 `Invalid request`:
 *   a request problem on our side, not the grant's).
 * - `server`, `rate_limited`, `timeout`, `network`: transient; retried with backoff before they
 *   are reported; the grant may still be good.
 * - `bad_response`: a 2xx whose body is not what the spec says (never retried: a refresh GHL
 *   answered has spent its refresh token).
 */
export type OAuthFailure =
  | 'grant_rejected'
  | 'client_rejected'
  | 'token_rejected'
  | 'forbidden'
  | 'http'
  | 'server'
  | 'rate_limited'
  | 'timeout'
  | 'network'
  | 'bad_response';

/** Which OAuth call failed: the token endpoint's two grants, or an agency route. */
export type OAuthOperation = 'authorization_code' | 'refresh_token' | 'location_token' | 'installed_locations';

const OPERATION_LABEL: Record<OAuthOperation, string> = {
  authorization_code: 'POST /oauth/token (authorization_code)',
  refresh_token: 'POST /oauth/token (refresh_token)',
  location_token: 'POST /oauth/locationToken',
  installed_locations: 'GET /oauth/installedLocations',
};

export class OAuthError extends Error {
  constructor(
    readonly failure: OAuthFailure,
    readonly operation: OAuthOperation,
    /** HTTP status, when GHL answered. */
    readonly status: number | undefined,
    /** GHL's message (or error_description), with any secret we sent cut out. */
    readonly ghlMessage: string | undefined,
    /** GHL's OAuth error code (`invalid_grant`, …) or HTTP reason (`Bad Request`), when it sent one. */
    readonly ghlError: string | undefined,
    /** How many requests were made (retries included). */
    readonly attempts = 1,
  ) {
    const said = [ghlError, ghlMessage].filter((part) => part !== undefined && part !== '').join(': ');
    const what = status === undefined ? failure : `GHL answered ${status}`;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    super(`${OPERATION_LABEL[operation]} failed${tries}: ${what}${said === '' ? '' : ` (${said})`}`);
    this.name = 'OAuthError';
  }

  /** Whether the same request might succeed later. */
  get transient(): boolean {
    return ['server', 'rate_limited', 'timeout', 'network', 'bad_response'].includes(this.failure);
  }
}

/**
 * What the token manager can answer instead of a token:
 * - `missing`: no credential for the location (or no grant for the agency).
 * - `needs_reinstall`: GHL refused the grant (or the PIT); only a re-install (or a new PIT) helps.
 * - `upstream_unavailable`: GHL's token endpoint answered 5xx or 429, timed out or could not be
 *   reached, after retries; the credential is untouched and a later call tries again.
 * - `oauth_misconfigured`: the gateway has no OAuth client, or GHL rejected its client id/secret
 *   (no location is marked: fix GHL_CLIENT_ID / GHL_CLIENT_SECRET and restart).
 * - `store_unavailable`: the credentials store could not be read or written.
 * - `cannot_open`: the stored credential is sealed with a key the gateway is not configured with;
 *   only the operator can help (configure that key, or install the location again).
 */
export type CredentialErrorCode =
  'missing' | 'needs_reinstall' | 'upstream_unavailable' | 'oauth_misconfigured' | 'store_unavailable' | 'cannot_open';

export class CredentialError extends Error {
  constructor(
    readonly code: CredentialErrorCode,
    readonly locationId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CredentialError';
  }

  /** Whether a later call may succeed without an operator doing anything. */
  get retryable(): boolean {
    return this.code === 'upstream_unavailable' || this.code === 'store_unavailable';
  }
}

/**
 * A failed read of the store as the token manager reports it: a record sealed with a key that is not
 * configured is the operator's to fix (`cannot_open`, not retryable); anything else may pass.
 */
export function storeReadError(error: unknown, locationId: string, what: string): CredentialError {
  if (error instanceof CredentialStoreError && error.code === 'unseal') {
    return new CredentialError('cannot_open', locationId, cannotOpenMessage(what), { cause: error });
  }
  return new CredentialError('store_unavailable', locationId, `Cannot read ${what}.`, { cause: error });
}

/** For a read whose caller replaces what it finds: a record that does not open counts as none. */
export function ignoreUnopenable(error: unknown): undefined {
  if (error instanceof CredentialStoreError && error.code === 'unseal') return undefined;
  throw error;
}

/** A token response that cannot become a credential (no locationId for a Location token, no companyId for a Company one). */
export class InstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstallError';
  }
}
