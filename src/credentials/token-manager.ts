// From a location to a usable GHL token. A PIT is used as it is; an OAuth access token is
// refreshed shortly before it expires, and again when GHL refuses it.
//
// GHL's refresh tokens are single use, which shapes everything here:
// - Refreshes are single-flight per location: every caller that needs a refresh while one is
//   running joins it, so one refresh token is never sent twice (two refreshes at once would spend
//   it twice and the loser's answer is invalid_grant: a broken install).
// - Refreshes and installs of one location also run one after another, so an install cannot be
//   overwritten by a refresh of the grant it replaced.
// - The new grant is stored, and the store's write has resolved (fsynced and renamed), before the
//   new access token is handed to anyone. Nothing else happens between GHL's answer and that write.
//
// What cannot be guaranteed: GHL spends the old refresh token when it answers. If the process dies
// (or the machine loses power) after GHL has answered and before the write is durable - the time
// of one small file write - the new refresh token is gone and the location needs a re-install. The
// same holds when the token request times out after GHL processed it: the next refresh then gets
// invalid_grant. No client can close that window; GHL offers no idempotent refresh. What is
// guaranteed: the file is never half written (it holds the old grant or the new one), a refresh
// token GHL refused is never sent again, and if the write fails while the process lives, the new
// grant is kept in memory and written before anything else on the next call (the old, spent
// refresh token is never used again).
import type { Logger } from '../log.js';
import { CredentialError, InstallError, OAuthError } from './errors.js';
import type { OAuthClient, TokenResponse } from './oauth-client.js';
import { locationIdSchema, summarize, type Credential, type CredentialSummary, type OAuthCredential } from './records.js';
import type { CredentialStore } from './store.js';

export interface AccessGrant {
  locationId: string;
  /** The GHL token to send as `Authorization: Bearer`. */
  token: string;
  kind: Credential['kind'];
  /** The credential's scopes (for a PIT, the ones the operator declared). */
  scopes: readonly string[];
  /** OAuth only: when the token stops working, epoch ms. */
  expiresAt: number | undefined;
}

export interface TokenManagerOptions {
  store: CredentialStore;
  /** Needed to refresh OAuth grants; without it they fail with `oauth_misconfigured`. */
  oauth?: Pick<OAuthClient, 'refresh'> | undefined;
  /** Refresh when the access token has less than this left; default 5 minutes. */
  refreshMarginMs?: number;
  now?: () => number;
  logger?: Logger;
}

export interface TokenManager {
  /** A usable token for the location; refreshes first when it is about to expire. */
  accessToken(locationId: string): Promise<AccessGrant>;
  /**
   * GHL answered 401 "Invalid JWT" to `token`. Refreshes once (joined by every concurrent caller);
   * if the stored token is already another one, returns that without refreshing. A refused PIT
   * cannot be refreshed: the location is marked needs_reinstall.
   */
  rejected(locationId: string, token: string): Promise<AccessGrant>;
  /** Stores the grant of a code exchange as the location's credential (replacing any). */
  install(response: TokenResponse): Promise<CredentialSummary>;
}

export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const { store, oauth, logger } = options;
  const now = options.now ?? Date.now;
  const marginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;

  /** The running refresh (or check) per location, joined by every caller that needs one. */
  const flights = new Map<string, Promise<AccessGrant>>();
  /** Tail of the per-location queue that orders flights and installs. */
  const queues = new Map<string, Promise<unknown>>();
  /** Grants GHL issued whose store write failed: the only copy of their refresh token. */
  const unsaved = new Map<string, OAuthCredential>();
  /** Refresh tokens GHL refused, so they are never sent again even if marking them failed. */
  const refused = new Map<string, string>();

  function queued<T>(locationId: string, work: () => Promise<T>): Promise<T> {
    const run = (queues.get(locationId) ?? Promise.resolve()).then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    queues.set(locationId, tail);
    void tail.then(() => {
      if (queues.get(locationId) === tail) queues.delete(locationId);
    });
    return run;
  }

  function flight(locationId: string, seen: string | undefined, forced: boolean): Promise<AccessGrant> {
    const running = flights.get(locationId);
    if (running !== undefined) return running;
    const started = queued(locationId, () => settle(locationId, seen, forced));
    flights.set(locationId, started);
    const done = () => {
      if (flights.get(locationId) === started) flights.delete(locationId);
    };
    void started.then(done, done);
    return started;
  }

  async function read(locationId: string): Promise<Credential> {
    let credential: Credential | undefined;
    try {
      credential = await store.getCredential(locationId);
    } catch (error) {
      throw new CredentialError('store_unavailable', locationId, `Cannot read the credential of location ${locationId}.`, {
        cause: error,
      });
    }
    if (credential === undefined) {
      throw new CredentialError(
        'missing',
        locationId,
        `No GHL credential for location ${locationId}: install the app for it, or add a private integration token.`,
      );
    }
    return credential;
  }

  async function persist(credential: Credential): Promise<void> {
    try {
      await store.putCredential(credential);
    } catch (error) {
      throw new CredentialError(
        'store_unavailable',
        credential.locationId,
        `Cannot store the credential of location ${credential.locationId}; it is kept in memory and stored on the next call.`,
        { cause: error },
      );
    }
  }

  /** Runs inside the location's queue: at most one per location at a time. */
  async function settle(locationId: string, seen: string | undefined, forced: boolean): Promise<AccessGrant> {
    let current: Credential;
    const pending = unsaved.get(locationId);
    if (pending !== undefined) {
      // Finish the write that failed before doing anything else with this location.
      await persist(pending);
      unsaved.delete(locationId);
      current = pending;
    } else {
      current = await read(locationId);
    }
    if (current.status === 'needs_reinstall') throw reinstallError(current);

    if (current.kind === 'pit') {
      if (forced && current.token === seen) {
        throw await markNeedsReinstall(current, 'GHL refused the private integration token (401)');
      }
      return grantOf(current);
    }
    const refusedThis = forced && current.accessToken === seen;
    // Another flight may have refreshed since the caller looked: then there is nothing to do.
    if (!refusedThis && isFresh(current)) return grantOf(current);
    return refresh(current, refusedThis);
  }

  async function refresh(current: OAuthCredential, refusedThis: boolean): Promise<AccessGrant> {
    const { locationId } = current;
    if (oauth === undefined) {
      throw new CredentialError(
        'oauth_misconfigured',
        locationId,
        `Cannot refresh the OAuth grant of location ${locationId}: ` +
          'the gateway has no OAuth client configured (GHL_CLIENT_ID, GHL_CLIENT_SECRET).',
      );
    }
    if (refused.get(locationId) === current.refreshToken) throw reinstallError(current);

    const startedAt = now();
    let response: TokenResponse;
    try {
      response = await oauth.refresh(current.refreshToken);
    } catch (error) {
      const failure = error instanceof OAuthError ? error : undefined;
      logger?.warn('GHL token refresh failed', {
        locationId,
        failure: failure?.failure ?? 'unexpected',
        status: failure?.status,
      });
      if (failure?.failure === 'grant_rejected') {
        refused.set(locationId, current.refreshToken);
        throw await markNeedsReinstall(current, `GHL refused the refresh token: ${failure.message}`);
      }
      if (failure?.failure === 'client_rejected') {
        throw new CredentialError(
          'oauth_misconfigured',
          locationId,
          `GHL rejected the gateway's OAuth client while refreshing location ${locationId}: ` +
            'check GHL_CLIENT_ID and GHL_CLIENT_SECRET.',
          { cause: error },
        );
      }
      // Transient (or a request problem on our side): the grant is untouched. An early, proactive
      // refresh that fails still leaves a token that works for a few minutes: use it.
      if (!refusedThis && current.expiresAt > now()) return grantOf(current);
      throw new CredentialError(
        'refresh_failed',
        locationId,
        `Could not refresh the GHL token of location ${locationId} (${failure?.failure ?? 'unexpected error'}); try again.`,
        { cause: error },
      );
    }

    const next: OAuthCredential = {
      ...current,
      accessToken: response.access_token,
      refreshToken: response.refresh_token,
      // From when we asked, not when we heard back: never believe a token lives longer than it does.
      expiresAt: startedAt + Math.floor(response.expires_in * 1000),
      scopes: response.scope.length > 0 ? response.scope : current.scopes,
      companyId: response.companyId ?? current.companyId,
      userId: response.userId ?? current.userId,
      status: 'active',
      updatedAt: now(),
    };
    delete next.statusReason;
    // The old refresh token is spent from here on. Keep the new grant in memory first, so a
    // failed write below does not lose it, then make it durable before anyone uses it.
    unsaved.set(locationId, next);
    await persist(next);
    unsaved.delete(locationId);
    logger?.info('GHL token refreshed', { locationId, expiresAt: new Date(next.expiresAt).toISOString() });
    return grantOf(next);
  }

  async function markNeedsReinstall(current: Credential, reason: string): Promise<CredentialError> {
    const marked: Credential = { ...current, status: 'needs_reinstall', statusReason: reason, updatedAt: now() };
    try {
      await store.putCredential(marked);
    } catch (error) {
      // The refusal still stands; `refused` keeps us from resending the token meanwhile.
      logger?.error('Could not store needs_reinstall', { locationId: current.locationId, error: String(error) });
    }
    return reinstallError(marked);
  }

  function isFresh(credential: OAuthCredential): boolean {
    return credential.expiresAt - now() >= marginMs;
  }

  return {
    async accessToken(locationId) {
      if (!unsaved.has(locationId) && !flights.has(locationId)) {
        const current = await read(locationId);
        if (current.status === 'needs_reinstall') throw reinstallError(current);
        if (current.kind === 'pit' || isFresh(current)) return grantOf(current);
        return flight(locationId, current.accessToken, false);
      }
      return flight(locationId, undefined, false);
    },

    rejected(locationId, token) {
      return flight(locationId, token, true);
    },

    async install(response) {
      if (response.userType !== undefined && response.userType !== 'Location') {
        throw new InstallError(`GHL issued a ${response.userType} token; the gateway needs a Location (sub-account) token.`);
      }
      const locationId = response.locationId;
      if (locationId === undefined || !locationIdSchema.safeParse(locationId).success) {
        throw new InstallError("GHL's token response names no valid locationId; install the app on a sub-account.");
      }
      const credential: OAuthCredential = {
        kind: 'oauth',
        locationId,
        accessToken: response.access_token,
        refreshToken: response.refresh_token,
        expiresAt: now() + Math.floor(response.expires_in * 1000),
        scopes: response.scope,
        status: 'active',
        updatedAt: now(),
      };
      if (response.companyId !== undefined) credential.companyId = response.companyId;
      if (response.userId !== undefined) credential.userId = response.userId;
      await queued(locationId, async () => {
        // Same rule as a refresh: the new grant exists nowhere else, so keep it until it is stored.
        unsaved.set(locationId, credential);
        refused.delete(locationId);
        await persist(credential);
        unsaved.delete(locationId);
      });
      logger?.info('GHL app installed', { locationId });
      return summarize(credential);
    },
  };
}

function grantOf(credential: Credential): AccessGrant {
  return credential.kind === 'pit'
    ? { locationId: credential.locationId, token: credential.token, kind: 'pit', scopes: credential.scopes, expiresAt: undefined }
    : {
        locationId: credential.locationId,
        token: credential.accessToken,
        kind: 'oauth',
        scopes: credential.scopes,
        expiresAt: credential.expiresAt,
      };
}

function reinstallError(credential: Credential): CredentialError {
  const { locationId } = credential;
  const why = credential.statusReason === undefined ? '' : ` (${credential.statusReason})`;
  const message =
    credential.kind === 'pit'
      ? `Add a new private integration token for location ${locationId}: GHL no longer accepts the stored one${why}.`
      : `Re-install the app for location ${locationId}: its OAuth grant no longer works${why}.`;
  return new CredentialError('needs_reinstall', locationId, message);
}
