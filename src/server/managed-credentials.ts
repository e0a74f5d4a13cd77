// Managed credentials, assembled from configuration: on when CREDENTIALS_KEY is set. The OAuth
// client comes from GHL_CLIENT_ID/GHL_CLIENT_SECRET/OAUTH_REDIRECT_URI, or, on the embedded
// sandbox, from the sandbox's own OAuth client so the install flow can be tried with no GHL app.
import { createApiKeys, type ApiKeys } from '../credentials/api-keys.js';
import type { CredentialsConfig, OAuthSettings } from '../credentials/config.js';
import { createSealer } from '../credentials/crypto.js';
import { createFileCredentialStore } from '../credentials/file-store.js';
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
}

export interface SandboxOAuth {
  url: string;
  clientId: string;
  clientSecret: string;
}

export function managedFromConfig(
  credentials: CredentialsConfig,
  ghlBaseUrl: string,
  gatewayBaseUrl: string,
  logger: Logger,
  sandbox?: SandboxOAuth,
  defaultScopes: readonly string[] = ['contacts.readonly', 'contacts.write'],
): ManagedCredentials | undefined {
  if (credentials.keys === undefined) return undefined;
  const store = createFileCredentialStore({
    path: credentials.file,
    sealer: createSealer(credentials.keys.current, credentials.keys.previous),
  });
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
  return { store, apiKeys: createApiKeys({ store }), tokens, ...(oauth ? { oauth } : {}) };
}
