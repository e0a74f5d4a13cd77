// From a location to a usable GHL token. A PIT is used as it is; an OAuth access token is
// refreshed shortly before it expires, and once when GHL refuses it. Installs land here too: a
// Location token becomes the location's credential; a Company (agency) token is stored as the
// agency's grant and every location where the app is installed gets a credential minted from it
// (agency-grants.ts), as GHL's SDK does on INSTALL.
//
// GHL's refresh tokens are single use, which shapes everything here:
// - Refreshes are single-flight per location: every caller that needs a refresh while one is
//   running joins it, so one refresh token is never sent twice (two refreshes at once would spend
//   it twice and the loser's answer is invalid_grant: a broken install).
// - Refreshes and installs of one location also run one after another (keyed-serializer.ts), so an
//   install cannot be overwritten by a refresh of the grant it replaced.
// - The new grant is stored, and the store's write has resolved (fsynced and renamed), before the
//   new access token is handed to anyone. Nothing else happens between GHL's answer and that write.
//
// When the token endpoint fails:
// - it refuses the grant (400 invalid_grant): the location is marked needs_reinstall, unless the
//   gateway holds its agency's grant, which mints it a new token instead (GHL's SDK's fallback);
// - it refuses our client (401 / invalid_client): a configuration error (client-guard.ts), no
//   location marked;
// - 5xx, 429, timeouts, network: retried with backoff (oauth-http.ts), then `upstream_unavailable`,
//   nothing marked; a token that has not expired yet is still returned when an early refresh fails.
//
// What cannot be guaranteed: GHL spends the old refresh token when it answers. If the process dies
// (or the machine loses power) after GHL has answered and before the write is durable - the time
// of one small file write - the new refresh token is gone and the location needs a re-install (or,
// for an agency's location, a new mint). The same holds when the token request times out after GHL
// processed it: the retry, or the next refresh, then gets invalid_grant. No client can close that
// window; GHL offers no idempotent refresh. What is guaranteed: the file is never half written (it
// holds the old grant or the new one), a refresh token GHL refused is never sent again, and if the
// write fails while the process lives, the new grant is kept in memory and written before anything
// else on the next call (the old, spent refresh token is never used again).
import { errorMessage, type Logger } from '../log.js';
import { createAgencyGrants, type AgencyGrants } from './agency-grants.js';
import { createClientGuard } from './client-guard.js';
import { CredentialError, ignoreUnopenable, InstallError, OAuthError, storeReadError } from './errors.js';
import { createKeyedSerializer } from '../storage/keyed-serializer.js';
import type { OAuthClient, TokenResponse } from './oauth-client.js';
import {
  locationIdSchema,
  summarize,
  type Credential,
  type CredentialSummary,
  type OAuthCredential,
} from './records.js';
import type { CredentialStore } from './store.js';
import { issuedTokens, refreshedGrant } from './token-grant.js';

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

/** What happened to one location of an agency install. */
export interface CompanyLocationOutcome {
  locationId: string;
  /**
   * `installed`: a credential was minted and stored. `already_installed`: the location already has
   * an active credential (nothing sent to GHL). `no_company_grant`: the gateway holds no grant for
   * the agency (yet: GHL's INSTALL webhook may come before the install's callback). `failed`: GHL
   * would not mint it now (`reason` says why).
   */
  outcome: 'installed' | 'already_installed' | 'no_company_grant' | 'failed';
  credential?: CredentialSummary;
  reason?: string;
}

export type InstallResult =
  | { kind: 'location'; credential: CredentialSummary }
  | { kind: 'company'; companyId: string; scopes: string[]; locations: CompanyLocationOutcome[] };

export interface TokenManagerOptions {
  store: CredentialStore;
  /** Needed to refresh OAuth grants and for agency installs; without it they fail with `oauth_misconfigured`. */
  oauth?: OAuthClient | undefined;
  /** Refresh when the access token has less than this left; default 5 minutes. */
  refreshMarginMs?: number;
  /** After GHL refused our client, no token call for this long; default 60 s. */
  clientRejectedCooldownMs?: number;
  /**
   * A token that a refresh on a 401 produced, refused again within this time, is not refreshed
   * again (the 401 was not about the token: each refresh would spend a refresh token for nothing).
   * Default 30 s.
   */
  reactiveRefreshCooldownMs?: number;
  now?: () => number;
  logger?: Logger;
}

export interface TokenManager {
  /** A usable token for the location; refreshes first when it is about to expire. */
  accessToken(locationId: string): Promise<AccessGrant>;
  /**
   * GHL answered 401 to `token`. Refreshes once (joined by every concurrent caller); if the stored
   * token is already another one, returns that without refreshing. A refused PIT cannot be
   * refreshed: the location is marked needs_reinstall.
   */
  rejected(locationId: string, token: string): Promise<AccessGrant>;
  /**
   * Stores the grant of a code exchange: a Location token as the location's credential (replacing
   * any); a Company token as the agency's grant, then a minted credential for each location where
   * the app is installed (`approvedLocations` and GET /oauth/installedLocations), replacing theirs.
   */
  install(response: TokenResponse): Promise<InstallResult>;
  /** Exchanges an install's code and installs its grant. */
  installFromCode(code: string, signal?: AbortSignal): Promise<InstallResult>;
  /**
   * For GHL's INSTALL webhook naming an agency and a location: mints and stores the location's
   * credential from the agency's grant. Idempotent: a location with an active credential is left as
   * it is, and without the agency's grant nothing happens (`no_company_grant`; the install's
   * callback mints it). Throws CredentialError when GHL cannot mint it now (`upstream_unavailable`
   * is worth retrying) and InstallError for malformed ids.
   */
  installCompanyLocation(companyId: string, locationId: string): Promise<CompanyLocationOutcome>;
  /** For GHL's UNINSTALL webhook naming only an agency: forgets the agency's grant. */
  uninstallCompany(companyId: string): Promise<boolean>;
}

export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;
export const DEFAULT_REACTIVE_REFRESH_COOLDOWN_MS = 30_000;

const locationKey = (locationId: string) => `location:${locationId}`;

export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const { store, oauth, logger } = options;
  const now = options.now ?? Date.now;
  const marginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  const reactiveCooldownMs = options.reactiveRefreshCooldownMs ?? DEFAULT_REACTIVE_REFRESH_COOLDOWN_MS;
  const serial = createKeyedSerializer();
  const guard = createClientGuard({
    now,
    logger,
    ...(options.clientRejectedCooldownMs !== undefined ? { cooldownMs: options.clientRejectedCooldownMs } : {}),
  });
  const agency: AgencyGrants | undefined =
    oauth && createAgencyGrants({ store, oauth, serial, guard, now, marginMs, logger });

  /** Grants GHL issued whose store write failed: the only copy of their refresh token. */
  const unsaved = new Map<string, OAuthCredential>();
  /** Refresh tokens GHL refused, so they are never sent again even if marking them failed. */
  const refused = new Map<string, string>();
  /** The token the last refresh on a 401 produced, per location, and when. */
  const reactive = new Map<string, { token: string; at: number }>();

  function flight(locationId: string, seen: string | undefined, forced: boolean): Promise<AccessGrant> {
    return serial.flight(locationKey(locationId), () => settle(locationId, seen, forced));
  }

  async function read(locationId: string): Promise<Credential> {
    let credential: Credential | undefined;
    try {
      credential = await store.getCredential(locationId);
    } catch (error) {
      throw storeReadError(error, locationId, `the GHL credential of location ${locationId}`);
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

  /** Keeps a new grant in memory first, so a failed write does not lose it, then makes it durable. */
  async function save(credential: OAuthCredential): Promise<void> {
    unsaved.set(credential.locationId, credential);
    await persist(credential);
    unsaved.delete(credential.locationId);
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
    const last = reactive.get(locationId);
    if (refusedThis && last !== undefined && last.token === seen && now() - last.at < reactiveCooldownMs) {
      logger?.warn('GHL refused a token a refresh has just issued; not refreshing again', { locationId });
      return grantOf(current);
    }
    const renewed = await renew(current, refusedThis);
    if (refusedThis) reactive.set(locationId, { token: renewed.token, at: now() });
    return renewed;
  }

  /** A new token for the location: its refresh token first, else (or when refused) a mint from its agency's grant. */
  async function renew(current: OAuthCredential, refusedThis: boolean): Promise<AccessGrant> {
    const { locationId } = current;
    if (oauth === undefined) {
      throw new CredentialError(
        'oauth_misconfigured',
        locationId,
        `Cannot refresh the OAuth grant of location ${locationId}: ` +
          'the gateway has no OAuth client configured (GHL_CLIENT_ID, GHL_CLIENT_SECRET).',
      );
    }
    // An early, proactive refresh that cannot be done still leaves a token that works a while: use it.
    const stillValid = !refusedThis && current.expiresAt > now();
    if (guard.blocked()) {
      if (stillValid) return grantOf(current);
      throw guard.error({ locationId });
    }

    let refusal = 'it has no refresh token';
    if (current.refreshToken !== undefined && refused.get(locationId) !== current.refreshToken) {
      const startedAt = now();
      try {
        const response = await oauth.refresh(current.refreshToken, 'Location');
        const next: OAuthCredential = {
          ...refreshedGrant(current, response, startedAt, now()),
          companyId: response.companyId ?? current.companyId,
          userId: response.userId ?? current.userId,
        };
        // The old refresh token is spent from here on.
        await save(next);
        logger?.info('GHL token refreshed', { locationId, expiresAt: new Date(next.expiresAt).toISOString() });
        return grantOf(next);
      } catch (error) {
        if (error instanceof CredentialError) throw error;
        const failure = error instanceof OAuthError ? error : undefined;
        logger?.warn('GHL token refresh failed', {
          locationId,
          failure: failure?.failure ?? 'unexpected',
          status: failure?.status,
          attempts: failure?.attempts,
        });
        if (failure?.failure === 'client_rejected') {
          const rejected = guard.rejected(failure, { locationId });
          if (stillValid) return grantOf(current);
          throw rejected;
        }
        if (failure?.failure !== 'grant_rejected') {
          if (stillValid) return grantOf(current);
          throw new CredentialError(
            'upstream_unavailable',
            locationId,
            `Could not refresh the GHL token of location ${locationId} (${failure?.failure ?? 'unexpected error'}); try again.`,
            { cause: error },
          );
        }
        refused.set(locationId, current.refreshToken);
        refusal = `GHL refused the refresh token: ${failure.message}`;
      }
    }

    if (agency !== undefined && current.companyId !== undefined && (await agency.has(current.companyId))) {
      try {
        const minted = await agency.mintLocation(current.companyId, locationId);
        await save(minted);
        refused.delete(locationId);
        logger?.info('GHL location token minted from its agency grant', { locationId, companyId: current.companyId });
        return grantOf(minted);
      } catch (error) {
        if (!(error instanceof CredentialError) || error.code !== 'needs_reinstall') {
          if (stillValid) return grantOf(current);
          throw error;
        }
        refusal = `${refusal}; ${error.message}`;
      }
    }
    throw await markNeedsReinstall(current, refusal);
  }

  async function markNeedsReinstall(current: Credential, reason: string): Promise<CredentialError> {
    const marked: Credential = { ...current, status: 'needs_reinstall', statusReason: reason, updatedAt: now() };
    try {
      await store.putCredential(marked);
    } catch (error) {
      // The refusal still stands; `refused` keeps us from resending the token meanwhile.
      logger?.error('Could not store needs_reinstall', { locationId: current.locationId, error: errorMessage(error) });
    }
    return reinstallError(marked);
  }

  function isFresh(credential: OAuthCredential): boolean {
    return credential.expiresAt - now() >= marginMs;
  }

  function installLocation(response: TokenResponse): Promise<InstallResult> {
    const locationId = response.locationId;
    if (locationId === undefined || !locationIdSchema.safeParse(locationId).success) {
      throw new InstallError("GHL's token response names no valid locationId; install the app on a sub-account.");
    }
    const at = now();
    const credential: OAuthCredential = { kind: 'oauth', locationId, ...issuedTokens(response, at, at) };
    if (response.companyId !== undefined) credential.companyId = response.companyId;
    if (response.userId !== undefined) credential.userId = response.userId;
    return serial.queued(locationKey(locationId), async () => {
      // Same rule as a refresh: the new grant exists nowhere else, so keep it until it is stored.
      refused.delete(locationId);
      reactive.delete(locationId);
      await save(credential);
      logger?.info('GHL app installed', { locationId });
      return { kind: 'location' as const, credential: summarize(credential) };
    });
  }

  /** Mints and stores one agency location, in its queue; `replace` re-mints one that has a credential. */
  function mintCompanyLocation(
    agencyGrants: AgencyGrants,
    companyId: string,
    locationId: string,
    replace: boolean,
  ): Promise<CompanyLocationOutcome> {
    return serial.queued(locationKey(locationId), async () => {
      if (!replace) {
        // One that does not open (sealed with a key no longer configured) is minted again.
        const existing = unsaved.get(locationId) ?? (await store.getCredential(locationId).catch(ignoreUnopenable));
        if (existing?.status === 'active')
          return { locationId, outcome: 'already_installed' as const, credential: summarize(existing) };
      }
      if (!(await agencyGrants.has(companyId))) return { locationId, outcome: 'no_company_grant' as const };
      const minted = await agencyGrants.mintLocation(companyId, locationId);
      refused.delete(locationId);
      reactive.delete(locationId);
      await save(minted);
      logger?.info('GHL app installed at an agency location', { locationId, companyId });
      return { locationId, outcome: 'installed' as const, credential: summarize(minted) };
    });
  }

  async function installCompany(response: TokenResponse): Promise<InstallResult> {
    const agencyGrants = requireAgency('');
    const grant = await agencyGrants.save(response);
    const { companyId } = grant;
    let listed: string[] = [];
    try {
      listed = await agencyGrants.installedLocations(companyId);
    } catch (error) {
      // e.g. no oauth.readonly scope: the approved locations of the token response still count.
      logger?.warn('Could not list the locations where the app is installed', {
        companyId,
        error: errorMessage(error),
      });
    }
    const ids = [...new Set([...(response.approvedLocations ?? []), ...listed])].filter(
      (id) => locationIdSchema.safeParse(id).success,
    );
    const locations: CompanyLocationOutcome[] = [];
    // One after another: each is a GHL call, and an agency may have many locations.
    for (const locationId of ids) {
      try {
        locations.push(await mintCompanyLocation(agencyGrants, companyId, locationId, true));
      } catch (error) {
        locations.push({
          locationId,
          outcome: 'failed',
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return { kind: 'company', companyId, scopes: grant.scopes, locations };
  }

  function requireAgency(locationId: string): AgencyGrants {
    if (agency === undefined) {
      throw new CredentialError(
        'oauth_misconfigured',
        locationId,
        'Agency installs need an OAuth client (GHL_CLIENT_ID, GHL_CLIENT_SECRET).',
      );
    }
    return agency;
  }

  const manager: TokenManager = {
    async accessToken(locationId) {
      if (!unsaved.has(locationId) && !serial.inFlight(locationKey(locationId))) {
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
      if (
        response.userType === 'Company' ||
        (response.userType === undefined && response.locationId === undefined && response.companyId !== undefined)
      ) {
        return installCompany(response);
      }
      if (response.userType !== undefined && response.userType !== 'Location') {
        throw new InstallError(
          `GHL issued a ${response.userType} token; the gateway takes Location (sub-account) and Company (agency) tokens.`,
        );
      }
      return installLocation(response);
    },

    async installFromCode(code, signal) {
      if (oauth === undefined)
        throw new CredentialError(
          'oauth_misconfigured',
          '',
          'Installs need an OAuth client (GHL_CLIENT_ID, GHL_CLIENT_SECRET, OAUTH_REDIRECT_URI).',
        );
      if (guard.blocked()) throw guard.error({});
      let response: TokenResponse;
      try {
        response = await oauth.exchangeCode(code, signal);
      } catch (error) {
        if (error instanceof OAuthError && error.failure === 'client_rejected') throw guard.rejected(error, {});
        if (error instanceof OAuthError && error.transient) {
          throw new CredentialError(
            'upstream_unavailable',
            '',
            `GHL's token endpoint could not be used to finish the install (${error.failure}); start the install again.`,
            { cause: error },
          );
        }
        throw error;
      }
      return manager.install(response);
    },

    async installCompanyLocation(companyId, locationId) {
      if (!locationIdSchema.safeParse(companyId).success || !locationIdSchema.safeParse(locationId).success) {
        throw new InstallError('installCompanyLocation needs a GHL company id and location id.');
      }
      return mintCompanyLocation(requireAgency(locationId), companyId, locationId, false);
    },

    async uninstallCompany(companyId) {
      if (agency === undefined) return store.removeCompanyGrant(companyId);
      return agency.remove(companyId);
    },
  };
  return manager;
}

function grantOf(credential: Credential): AccessGrant {
  return credential.kind === 'pit'
    ? {
        locationId: credential.locationId,
        token: credential.token,
        kind: 'pit',
        scopes: credential.scopes,
        expiresAt: undefined,
      }
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
