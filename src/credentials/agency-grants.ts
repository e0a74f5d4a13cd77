// Agency (Company) grants: what an agency-level install of the app yields (userType "Company",
// companyId, no locationId). The agency token cannot call the contacts API; it mints location
// tokens (POST /oauth/locationToken) for the locations where the app is installed, and lists them
// (GET /oauth/installedLocations). Its refresh token is single use like a location's, so its
// refreshes are single flight per company and the new grant is stored before it is used.
//
// As GHL's SDK does it (lib/HighLevel.ts: a location whose refresh fails is minted again from its
// company's token; lib/webhook/webhook-manager.ts: INSTALL mints the location's token), the token
// manager keeps each minted location as an ordinary location credential, with its own refresh token
// when GHL sends one (highlevel-api-docs#285), and comes back here to mint it again only when that
// refresh token is missing or refused.
import { errorMessage, type Logger } from '../log.js';
import type { ClientGuard } from './client-guard.js';
import { CredentialError, InstallError, OAuthError, storeReadError } from './errors.js';
import type { KeyedSerializer } from '../storage/keyed-serializer.js';
import type { LocationTokenResponse, OAuthClient, TokenResponse } from './oauth-client.js';
import { locationIdSchema, type CompanyGrant, type OAuthCredential } from './records.js';
import type { CredentialStore } from './store.js';
import { issuedTokens, refreshedGrant } from './token-grant.js';

export interface AgencyGrants {
  /** Stores a Company token response as its agency's grant (replacing any). */
  save(response: TokenResponse): Promise<CompanyGrant>;
  /** Whether an active grant is held for the agency. */
  has(companyId: string): Promise<boolean>;
  /** A location credential minted from the agency grant; not stored (the caller stores it). */
  mintLocation(companyId: string, locationId: string): Promise<OAuthCredential>;
  /** The agency's locations where the app is installed. */
  installedLocations(companyId: string): Promise<string[]>;
  remove(companyId: string): Promise<boolean>;
}

export interface AgencyGrantsOptions {
  store: CredentialStore;
  oauth: OAuthClient;
  serial: KeyedSerializer;
  guard: ClientGuard;
  now: () => number;
  marginMs: number;
  logger: Logger | undefined;
}

const companyKey = (companyId: string) => `company:${companyId}`;

export function createAgencyGrants(options: AgencyGrantsOptions): AgencyGrants {
  const { store, oauth, serial, guard, now, logger } = options;
  /** Grants GHL issued whose store write failed: the only copy of their refresh token. */
  const unsaved = new Map<string, CompanyGrant>();

  async function read(companyId: string): Promise<CompanyGrant | undefined> {
    const pending = unsaved.get(companyId);
    if (pending !== undefined) return pending;
    try {
      return await store.getCompanyGrant(companyId);
    } catch (error) {
      throw storeReadError(error, '', `the agency grant of company ${companyId}`);
    }
  }

  async function save(grant: CompanyGrant): Promise<void> {
    unsaved.set(grant.companyId, grant);
    try {
      await store.putCompanyGrant(grant);
    } catch (error) {
      throw new CredentialError(
        'store_unavailable',
        '',
        `Cannot store the agency grant of company ${grant.companyId}; it is kept in memory and stored on the next call.`,
        { cause: error },
      );
    }
    unsaved.delete(grant.companyId);
  }

  function reinstallError(grant: CompanyGrant, locationId = ''): CredentialError {
    const why = grant.statusReason === undefined ? '' : ` (${grant.statusReason})`;
    return new CredentialError(
      'needs_reinstall',
      locationId,
      `Re-install the app for agency ${grant.companyId}: its OAuth grant no longer works${why}.`,
    );
  }

  /** A usable agency access token; refreshes when it is about to expire, or when GHL refused `refusedToken`. */
  function accessToken(companyId: string, locationId: string, refusedToken?: string): Promise<string> {
    return serial.flight(companyKey(companyId), async () => {
      const grant = await read(companyId);
      if (grant === undefined)
        throw new CredentialError(
          'missing',
          locationId,
          `No agency grant for company ${companyId}: install the app at the agency.`,
        );
      if (grant.status === 'needs_reinstall') throw reinstallError(grant, locationId);
      const refusedThis = refusedToken === grant.accessToken;
      const stillValid = !refusedThis && grant.expiresAt > now();
      if (!refusedThis && grant.expiresAt - now() >= options.marginMs) return grant.accessToken;
      if (guard.blocked()) {
        if (stillValid) return grant.accessToken;
        throw guard.error({ companyId, locationId });
      }
      const startedAt = now();
      let response: TokenResponse;
      try {
        response = await oauth.refresh(grant.refreshToken, 'Company');
      } catch (error) {
        const failure = error instanceof OAuthError ? error : undefined;
        logger?.warn('GHL agency token refresh failed', {
          companyId,
          failure: failure?.failure ?? 'unexpected',
          status: failure?.status,
        });
        if (failure?.failure === 'grant_rejected') {
          const marked: CompanyGrant = {
            ...grant,
            status: 'needs_reinstall',
            statusReason: `GHL refused the refresh token: ${failure.message}`,
            updatedAt: now(),
          };
          await save(marked).catch((saveError: unknown) =>
            logger?.error('Could not store needs_reinstall', { companyId, error: errorMessage(saveError) }),
          );
          throw reinstallError(marked, locationId);
        }
        if (failure?.failure === 'client_rejected') {
          const rejected = guard.rejected(failure, { companyId, locationId });
          if (stillValid) return grant.accessToken;
          throw rejected;
        }
        if (stillValid) return grant.accessToken;
        throw new CredentialError(
          'upstream_unavailable',
          locationId,
          `Could not refresh the GHL agency token of company ${companyId} (${failure?.failure ?? 'unexpected error'}); try again.`,
          { cause: error },
        );
      }
      const next = refreshedGrant(grant, response, startedAt, now());
      await save(next);
      logger?.info('GHL agency token refreshed', { companyId, expiresAt: new Date(next.expiresAt).toISOString() });
      return next.accessToken;
    });
  }

  /** Runs an agency route with the agency token; once more with a refreshed one if GHL refuses it (401). */
  async function withAgencyToken<T>(
    companyId: string,
    locationId: string,
    call: (token: string) => Promise<T>,
  ): Promise<T> {
    const token = await accessToken(companyId, locationId);
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof OAuthError) || error.failure !== 'token_rejected') throw error;
      return call(await accessToken(companyId, locationId, token));
    }
  }

  return {
    save(response) {
      const companyId = response.companyId;
      if (companyId === undefined || !locationIdSchema.safeParse(companyId).success) {
        throw new InstallError("GHL's Company token response names no valid companyId.");
      }
      const at = now();
      const grant: CompanyGrant = {
        companyId,
        ...issuedTokens(response, at, at),
        ...(response.userId !== undefined ? { userId: response.userId } : {}),
      };
      return serial.queued(companyKey(companyId), async () => {
        await save(grant);
        logger?.info('GHL app installed at an agency', { companyId });
        return grant;
      });
    },

    async has(companyId) {
      return (await read(companyId))?.status === 'active';
    },

    async mintLocation(companyId, locationId) {
      const startedAt = now();
      let response: LocationTokenResponse;
      try {
        response = await withAgencyToken(companyId, locationId, (token) =>
          oauth.locationToken(token, companyId, locationId),
        );
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        logger?.warn('GHL location token from agency failed', {
          companyId,
          locationId,
          failure: error.failure,
          status: error.status,
        });
        if (error.transient) {
          throw new CredentialError(
            'upstream_unavailable',
            locationId,
            `Could not mint a GHL token for location ${locationId} from agency ${companyId} (${error.failure}); try again.`,
            { cause: error },
          );
        }
        throw new CredentialError(
          'needs_reinstall',
          locationId,
          `GHL would not mint a token for location ${locationId} from agency ${companyId}'s grant (${error.ghlMessage ?? error.failure}): install the app for that location.`,
          { cause: error },
        );
      }
      const grant = await read(companyId);
      const credential: OAuthCredential = {
        kind: 'oauth',
        locationId,
        companyId,
        accessToken: response.access_token,
        expiresAt: startedAt + Math.floor(response.expires_in * 1000),
        scopes: response.scope.length > 0 ? response.scope : (grant?.scopes ?? []),
        status: 'active',
        updatedAt: now(),
      };
      if (response.refresh_token !== undefined) credential.refreshToken = response.refresh_token;
      const userId = response.userId ?? grant?.userId;
      if (userId !== undefined) credential.userId = userId;
      return credential;
    },

    async installedLocations(companyId) {
      return withAgencyToken(companyId, '', (token) => oauth.installedLocations(token, companyId));
    },

    remove(companyId) {
      return serial.queued(companyKey(companyId), async () => {
        unsaved.delete(companyId);
        return store.removeCompanyGrant(companyId);
      });
    },
  };
}
