// Which kind of caller a request is. A bearer token that is a gateway API key (`lpk_…`) is a
// managed caller: the gateway verifies the key, finds the location's GHL credential and grants
// the scopes both allow. Any other bearer token is the caller's own GHL token (pass-through),
// when pass-through is on.
import { API_KEY_PREFIX, type ApiKeys } from '../credentials/api-keys.js';
import { CredentialStoreError } from '../credentials/errors.js';
import type { CredentialStore } from '../credentials/store.js';
import { build, parseCaller, type CallerOptions, type CallerResult } from './caller.js';
import { locationTenant } from '../ghl/call.js';

export interface ManagedAuth {
  apiKeys: ApiKeys;
  store: CredentialStore;
}

export interface ResolveOptions extends CallerOptions {
  /** Accept callers' own GHL tokens; off in a deployment where only API keys may call. */
  passthrough: boolean;
  /** Present when managed credentials are configured (CREDENTIALS_KEY). */
  managed: ManagedAuth | undefined;
}

const KEY_FAILURES = {
  malformed: 'api_key_malformed',
  unknown: 'api_key_unknown',
  revoked: 'api_key_revoked',
  expired: 'api_key_expired',
} as const;

export async function resolveCaller(headers: Headers, options: ResolveOptions): Promise<CallerResult> {
  const header = headers.get('authorization') ?? '';
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (presented?.startsWith(API_KEY_PREFIX)) {
    if (options.managed === undefined) return { ok: false, failure: { reason: 'api_keys_off' } };
    return apiKeyCaller(presented, options.managed);
  }
  if (!options.passthrough) return { ok: false, failure: { reason: 'passthrough_off' } };
  return parseCaller(headers, options);
}

async function apiKeyCaller(presented: string, managed: ManagedAuth): Promise<CallerResult> {
  const verified = await managed.apiKeys.verify(presented);
  if (!verified.ok) return { ok: false, failure: { reason: KEY_FAILURES[verified.reason] } };
  const { record } = verified;
  const { locationId } = record;
  let credential;
  try {
    credential = await managed.store.getCredential(locationId);
  } catch (error) {
    // Sealed with a key that is not configured: the operator's to fix, and the message says how.
    if (error instanceof CredentialStoreError && error.code === 'unseal') {
      return { ok: false, failure: { reason: 'cannot_open', locationId } };
    }
    throw error;
  }
  if (credential === undefined) return { ok: false, failure: { reason: 'not_installed', locationId } };
  if (credential.status === 'needs_reinstall') {
    return { ok: false, failure: { reason: 'needs_reinstall', locationId } };
  }
  // The key can only narrow what the credential may do, never widen it.
  const scopes = record.scopes.filter((scope) => credential.scopes.includes(scope));
  const caller = build('', 'api-key', locationTenant(locationId), locationId, scopes, undefined);
  return {
    ok: true,
    caller: {
      ...caller,
      keyScopes: [...record.scopes],
      expiresAt: record.expiresAt === null ? undefined : record.expiresAt / 1000,
    },
  };
}
