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

export type CredentialStoreErrorCode = 'corrupt' | 'locked' | 'io' | 'unseal';

/** The credentials file could not be read, parsed, locked or written. */
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
 * How a call to GHL's token endpoint failed:
 * - `grant_rejected`: 400/401/403 for the grant (spent or revoked refresh token, bad code);
 *   retrying with the same grant cannot work.
 * - `client_rejected`: GHL said the client itself is wrong (`invalid_client`,
 *   `unauthorized_client`): our configuration, not the location's grant.
 * - `http`: another non-2xx answer that retrying will not fix (e.g. 422).
 * - `server`, `rate_limited`, `timeout`, `network`: transient; the grant may still be good.
 * - `bad_response`: a 2xx whose body is not a token response.
 */
export type OAuthFailure =
  'grant_rejected' | 'client_rejected' | 'http' | 'server' | 'rate_limited' | 'timeout' | 'network' | 'bad_response';

export class OAuthError extends Error {
  constructor(
    readonly failure: OAuthFailure,
    readonly grantType: 'authorization_code' | 'refresh_token',
    /** HTTP status, when GHL answered. */
    readonly status: number | undefined,
    /** GHL's message (or error_description), with any secret we sent cut out. */
    readonly ghlMessage: string | undefined,
    /** GHL's OAuth error code (`invalid_grant`, …), when it sent one. */
    readonly ghlError: string | undefined,
  ) {
    const said = [ghlError, ghlMessage].filter((part) => part !== undefined && part !== '').join(': ');
    const what = status === undefined ? failure : `GHL answered ${status}`;
    super(`POST /oauth/token (${grantType}) failed: ${what}${said === '' ? '' : ` (${said})`}`);
    this.name = 'OAuthError';
  }

  /** Whether the same request might succeed later. */
  get transient(): boolean {
    return ['server', 'rate_limited', 'timeout', 'network', 'bad_response'].includes(this.failure);
  }
}

/**
 * What the token manager can answer instead of a token:
 * - `missing`: no credential for the location.
 * - `needs_reinstall`: GHL refused the grant (or the PIT); only a re-install (or a new PIT) helps.
 * - `refresh_failed`: the refresh could not be done now (network, timeout, 5xx); the credential
 *   is untouched and a later call retries.
 * - `oauth_misconfigured`: the gateway has no OAuth client, or GHL rejected its client id/secret.
 * - `store_unavailable`: the credentials store could not be read or written.
 */
export type CredentialErrorCode = 'missing' | 'needs_reinstall' | 'refresh_failed' | 'oauth_misconfigured' | 'store_unavailable';

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
    return this.code === 'refresh_failed' || this.code === 'store_unavailable';
  }
}

/** A token response that cannot become a location's credential (a Company token, no locationId). */
export class InstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstallError';
  }
}
