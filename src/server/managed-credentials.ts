// Managed credentials, assembled from configuration: on when CREDENTIALS_KEY is set. The store is
// opened first, before the gateway listens: a key that does not open it stops the start with a
// message saying how to recover, instead of every API-key call failing later. The OAuth client
// comes from GHL_CLIENT_ID/GHL_CLIENT_SECRET/OAUTH_REDIRECT_URI, or, on the embedded sandbox,
// from the sandbox's own OAuth client so the install flow can be tried with no GHL app.
import { createApiKeys, type ApiKeys } from '../credentials/api-keys.js';
import type { CredentialsConfig, OAuthSettings } from '../credentials/config.js';
import { openCredentialStore, requireKeyOpens, type OpenedStore } from '../credentials/open-store.js';
import { createOAuthClient, type OAuthClient } from '../credentials/oauth-client.js';
import type { CredentialStore } from '../credentials/store.js';
import { createTokenManager, type TokenManager } from '../credentials/token-manager.js';
import type { Logger } from '../log.js';

export interface ManagedCredentials {
  apiKeys: ApiKeys;
  store: CredentialStore;
  tokens: TokenManager;
  /** The OAuth client, when one is configured: enables /oauth/install and /oauth/callback. */
  oauth?: OAuthClient;
  /** The command that runs the CLI on this store with this key (install pages print it). */
  cli: string;
  /** Set when the key is the local key file (CREDENTIALS_KEY=local). */
  localKey?: { file: string; created: boolean };
}

export interface SandboxOAuth {
  url: string;
  clientId: string;
  clientSecret: string;
}

/**
 * Opens the credentials store, proves the key opens it and marks it as this key's; undefined when
 * managed credentials are off. Throws CredentialsKeyError (or LocalKeyError) for a key that cannot.
 */
export async function openManagedStore(
  credentials: CredentialsConfig,
  logger: Logger,
): Promise<OpenedStore | undefined> {
  const { keys } = credentials;
  if (keys === undefined) return undefined;
  const opened = await openCredentialStore({ ...credentials, keys }, { createLocalKey: true });
  if (opened.localKey?.created) {
    logger.warn('created a local credentials key: for local use only', { file: opened.localKey.file });
  }
  const check = await requireKeyOpens(opened);
  await opened.store.recordKey();
  if (check.unopenable.length > 0) {
    // The key opens the file, but not these: sealed with a key since dropped from the configuration.
    logger.warn('stored credentials that the configured keys do not open; their callers get UNAUTHENTICATED', {
      records: check.unopenable.map(({ kind, id }) => `${kind} ${id}`),
      fix: `add the key that sealed them to CREDENTIALS_PREVIOUS_KEYS, or install them again ("${opened.cli} reset-key --yes" drops them)`,
    });
  }
  return opened;
}

export function managedFromConfig(
  opened: OpenedStore,
  credentials: CredentialsConfig,
  ghlBaseUrl: string,
  gatewayBaseUrl: string,
  logger: Logger,
  sandbox?: SandboxOAuth,
  defaultScopes: readonly string[] = ['contacts.readonly', 'contacts.write'],
): ManagedCredentials {
  const { store } = opened;
  const settings: OAuthSettings | undefined =
    credentials.oauth ??
    (sandbox && {
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      redirectUri: `${gatewayBaseUrl}/oauth/callback`,
      scopes: [...defaultScopes],
      marketplaceUrl: sandbox.url,
      timeoutMs: 10_000,
    });
  const oauth = settings && createOAuthClient({ baseUrl: ghlBaseUrl, ...settings });
  const tokens = createTokenManager({ store, oauth, refreshMarginMs: credentials.refreshMarginMs, logger });
  return {
    store,
    apiKeys: createApiKeys({ store }),
    tokens,
    cli: opened.cli,
    ...(oauth ? { oauth } : {}),
    ...(opened.localKey ? { localKey: opened.localKey } : {}),
  };
}
