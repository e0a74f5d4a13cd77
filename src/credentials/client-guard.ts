// GHL refusing the gateway's own OAuth client (a 401 from /oauth/token, or `invalid_client`) is a
// configuration error: GHL_CLIENT_ID or GHL_CLIENT_SECRET is wrong, or the app's secret was
// rotated in GHL's Marketplace. No location's grant is at fault, so none is marked; the error log
// names the variables, every caller gets a typed `oauth_misconfigured`, and for a while no token
// call is made at all (each would be refused the same way, and only a restart with the right
// secret mends it).
import type { Logger } from '../log.js';
import { CredentialError, type OAuthError } from './errors.js';

export interface GuardSubject {
  locationId?: string;
  companyId?: string;
}

export interface ClientGuard {
  /** Whether GHL refused the client within the cooldown. */
  blocked(): boolean;
  /** Records and reports a refusal; returns the error for callers. */
  rejected(error: OAuthError, subject: GuardSubject): CredentialError;
  /** The error for callers while blocked. */
  error(subject: GuardSubject): CredentialError;
}

export const DEFAULT_CLIENT_REJECTED_COOLDOWN_MS = 60_000;

export function createClientGuard(options: {
  now: () => number;
  logger: Logger | undefined;
  cooldownMs?: number;
}): ClientGuard {
  const cooldownMs = options.cooldownMs ?? DEFAULT_CLIENT_REJECTED_COOLDOWN_MS;
  let blockedUntil = 0;

  const error = (subject: GuardSubject, cause?: unknown) =>
    new CredentialError(
      'oauth_misconfigured',
      subject.locationId ?? '',
      "GHL rejected the gateway's OAuth client: check GHL_CLIENT_ID and GHL_CLIENT_SECRET (no location's grant was changed).",
      cause === undefined ? undefined : { cause },
    );

  return {
    blocked: () => options.now() < blockedUntil,
    rejected(cause, subject) {
      blockedUntil = options.now() + cooldownMs;
      options.logger?.error(
        'GHL rejected the OAuth client: GHL_CLIENT_ID / GHL_CLIENT_SECRET are wrong or were rotated in GHL',
        {
          operation: cause.operation,
          status: cause.status,
          ghlMessage: cause.ghlMessage,
          ...subject,
          pausedForMs: cooldownMs,
        },
      );
      return error(subject, cause);
    },
    error: (subject) => error(subject),
  };
}
