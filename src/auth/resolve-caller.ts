// Which kind of caller a request is. A bearer token that is a gateway API key (`lpk_…`) is a
// managed caller: the gateway verifies the key, finds the location's GHL credential and grants
// the scopes both allow. Any other bearer token is the caller's own GHL token (pass-through),
// when pass-through is on.
import { API_KEY_PREFIX, type ApiKeys } from '../credentials/api-keys.js';
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
  malformed: 'Malformed API key.',
  unknown: 'Unknown API key.',
  revoked: 'This API key has been revoked.',
  expired: 'This API key has expired.',
} as const;

export async function resolveCaller(headers: Headers, options: ResolveOptions): Promise<CallerResult> {
  const header = headers.get('authorization') ?? '';
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (presented?.startsWith(API_KEY_PREFIX)) {
    if (options.managed === undefined) {
      return { ok: false, reason: 'This gateway has no managed credentials configured, so API keys are not accepted.' };
    }
    return apiKeyCaller(presented, options.managed);
  }
  if (!options.passthrough) {
    return { ok: false, reason: 'This gateway accepts gateway API keys only: send "Authorization: Bearer lpk_…".' };
  }
  return parseCaller(headers, options);
}

async function apiKeyCaller(presented: string, managed: ManagedAuth): Promise<CallerResult> {
  const verified = await managed.apiKeys.verify(presented);
  if (!verified.ok) return { ok: false, reason: KEY_FAILURES[verified.reason] };
  const { record } = verified;
  const credential = await managed.store.getCredential(record.locationId);
  if (credential === undefined) {
    return {
      ok: false,
      reason: `No GHL credential is installed for location ${record.locationId}: install the app (GET /oauth/install) or add a private integration token.`,
    };
  }
  if (credential.status === 'needs_reinstall') {
    return {
      ok: false,
      reason: `GHL no longer accepts the credential of location ${record.locationId}: re-install the app for that location.`,
    };
  }
  // The key can only narrow what the credential may do, never widen it.
  const scopes = record.scopes.filter((scope) => credential.scopes.includes(scope));
  const caller = build('', 'api-key', locationTenant(record.locationId), record.locationId, scopes, undefined);
  return {
    ok: true,
    caller: { ...caller, expiresAt: record.expiresAt === null ? undefined : record.expiresAt / 1000 },
  };
}
