// Agency (Company) installs against the sandbox standing in for GHL: the agency grant is stored
// sealed, each installed location gets a credential minted from it, minted locations refresh with
// their own refresh token and are minted again when that is refused or missing, GHL's INSTALL
// webhook path is idempotent. Every claim about GHL traffic is counted at the sandbox.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOAuthClient, type OAuthClient } from '../../src/credentials/oauth-client.js';
import type { OAuthCredential } from '../../src/credentials/records.js';
import type { CredentialStore } from '../../src/credentials/store.js';
import { createTokenManager, type InstallResult, type TokenManager } from '../../src/credentials/token-manager.js';
import { sandboxAgency, sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { REDIRECT_URI, authorize, postToken, refreshRequest } from '../sandbox/oauth-flow.js';
import { fileStore, testSealer, withTempDir } from './helpers.js';

const S = sandboxFixtures.sunrise;
const H = sandboxFixtures.harbor;
const AGENCY_SCOPES = 'contacts.readonly contacts.write oauth.readonly oauth.write';
const DAY = 86_400_000;
const sealer = testSealer();

let sb: Sandbox;
let oauth: OAuthClient;
let cleanup: () => Promise<void>;
let path: string;
let store: CredentialStore;
let manager: TokenManager;
let now: number;

// A fresh sandbox per test: where the app is installed is GHL state that outlives a reset().
beforeEach(async () => {
  sb = await startSandbox({ rateLimit: 0 });
  oauth = createOAuthClient({
    baseUrl: sb.url,
    marketplaceUrl: sb.url,
    clientId: sb.oauth.clientId,
    clientSecret: sb.oauth.clientSecret,
    redirectUri: REDIRECT_URI,
    scopes: AGENCY_SCOPES.split(' '),
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
  });
});
beforeEach(async () => {
  const temp = await withTempDir();
  cleanup = temp.cleanup;
  path = join(temp.dir, 'credentials.json');
  store = fileStore(path, sealer);
  now = Date.now();
  manager = createTokenManager({ store, oauth, now: () => now });
});
afterEach(async () => {
  await sb.close();
  await cleanup();
});

async function agencyInstall(
  chooser: Record<string, string> = {},
): Promise<Extract<InstallResult, { kind: 'company' }>> {
  const code = await authorize(sb, { scope: AGENCY_SCOPES, user_type: 'Company', state: undefined, ...chooser });
  const result = await manager.installFromCode(code);
  if (result.kind !== 'company') throw new Error(`expected an agency install, got ${result.kind}`);
  return result;
}

async function readContact(token: string, contactId: string): Promise<number> {
  const res = await fetch(`${sb.url}/contacts/${contactId}`, {
    headers: { Authorization: `Bearer ${token}`, Version: '2021-07-28' },
  });
  return res.status;
}

async function stored(locationId: string): Promise<OAuthCredential> {
  const credential = await store.getCredential(locationId);
  if (credential?.kind !== 'oauth') throw new Error(`no OAuth credential for ${locationId}`);
  return credential;
}

describe('an agency install', () => {
  it('stores the agency grant sealed and mints a working credential for every installed location', async () => {
    const result = await agencyInstall();
    expect(result).toMatchObject({ companyId: sandboxAgency.companyId, scopes: AGENCY_SCOPES.split(' ') });
    expect(result.locations.map((l) => [l.locationId, l.outcome])).toEqual([
      [S.locationId, 'installed'],
      [H.locationId, 'installed'],
    ]);
    const oauthStats = sb.stats().oauth;
    expect(oauthStats).toMatchObject({ tokenExchanges: 1, locationTokens: 2, refreshes: 0 });
    expect(sb.stats().byRoute['GET /oauth/installedLocations']).toBe(1);

    const grant = await store.getCompanyGrant(sandboxAgency.companyId);
    expect(grant).toMatchObject({ companyId: sandboxAgency.companyId, status: 'active' });
    const harbor = await stored(H.locationId);
    expect(harbor).toMatchObject({
      companyId: sandboxAgency.companyId,
      status: 'active',
      scopes: AGENCY_SCOPES.split(' '),
    });
    expect(harbor.refreshToken).toBeDefined();
    const file = await readFile(path, 'utf8');
    for (const secret of [grant!.accessToken, grant!.refreshToken, harbor.accessToken, harbor.refreshToken!])
      expect(file).not.toContain(secret);

    const access = await manager.accessToken(H.locationId);
    expect(await readContact(access.token, H.richContactId)).toBe(200);
    expect(await readContact(access.token, S.richContactId)).toBe(403);
  });

  it('mints only where the app is installed: approvedLocations and the installed list agree', async () => {
    const result = await agencyInstall({ location_id: H.locationId });
    expect(result.locations.map((l) => l.locationId)).toEqual([H.locationId]);
    await expect(manager.accessToken(S.locationId)).rejects.toMatchObject({ code: 'missing' });
  });

  it('without oauth.readonly the installed list fails and the approved locations still count', async () => {
    const code = await authorize(sb, {
      scope: 'contacts.readonly oauth.write',
      user_type: 'Company',
      location_id: S.locationId,
    });
    const result = await manager.installFromCode(code);
    expect(result.kind === 'company' && result.locations.map((l) => [l.locationId, l.outcome])).toEqual([
      [S.locationId, 'installed'],
    ]);
  });
});

describe('location credentials minted from an agency', () => {
  it('refresh with their own refresh token, as a location grant (no new mint)', async () => {
    await agencyInstall();
    sb.resetStats();
    now += DAY;
    const access = await manager.accessToken(H.locationId);
    expect(sb.stats().oauth).toMatchObject({ refreshes: 1, locationTokens: 0 });
    expect(await readContact(access.token, H.richContactId)).toBe(200);
  });

  it('are minted again from the agency when their refresh token is refused, and never marked for a re-install', async () => {
    await agencyInstall();
    const before = await stored(H.locationId);
    // Someone else spends the location's refresh token.
    expect((await postToken(sb, refreshRequest(sb, before.refreshToken!))).status).toBe(200);
    sb.resetStats();
    now += DAY;
    const access = await manager.accessToken(H.locationId);
    // One refused refresh (the location's), one agency refresh (its token expired too), one mint.
    expect(sb.stats().oauth).toMatchObject({ refreshReuseRejected: 1, refreshes: 1, locationTokens: 1 });
    expect(await readContact(access.token, H.richContactId)).toBe(200);
    expect(await stored(H.locationId)).toMatchObject({ status: 'active', accessToken: access.token });
  });

  it('are minted again when they came without a refresh token (oauth.json lists none)', async () => {
    await agencyInstall();
    const { refreshToken: _, ...withoutRefresh } = await stored(H.locationId);
    await store.putCredential({ ...withoutRefresh, expiresAt: now - 1 });
    sb.resetStats();
    const access = await manager.accessToken(H.locationId);
    expect(sb.stats().oauth).toMatchObject({ refreshes: 0, locationTokens: 1 });
    expect(await readContact(access.token, H.richContactId)).toBe(200);
  });

  it('an agency token GHL revoked early is refreshed once and the mint retried', async () => {
    await agencyInstall();
    const { refreshToken: _, ...withoutRefresh } = await stored(S.locationId);
    await store.putCredential({ ...withoutRefresh, expiresAt: now - 1 });
    sb.revokeAccessTokens({ companyId: sandboxAgency.companyId });
    sb.resetStats();
    const access = await manager.accessToken(S.locationId);
    expect(sb.stats().byRoute['POST /oauth/locationToken']).toBe(2);
    expect(sb.stats().oauth).toMatchObject({ refreshes: 1, locationTokens: 1 });
    expect(await readContact(access.token, S.richContactId)).toBe(200);
  });

  it('when the agency grant is refused too, the location and the agency need a re-install', async () => {
    await agencyInstall();
    const grant = await store.getCompanyGrant(sandboxAgency.companyId);
    const location = await stored(H.locationId);
    for (const refresh of [grant!.refreshToken, location.refreshToken!])
      expect((await postToken(sb, refreshRequest(sb, refresh))).status).toBe(200);
    now += DAY;
    const error = await manager.accessToken(H.locationId).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'needs_reinstall', locationId: H.locationId });
    expect((error as Error).message).toMatch(/Re-install the app for location/);
    expect(await stored(H.locationId)).toMatchObject({ status: 'needs_reinstall' });
    expect(await store.getCompanyGrant(sandboxAgency.companyId)).toMatchObject({ status: 'needs_reinstall' });
  });
});

describe("installCompanyLocation (GHL's INSTALL webhook for an agency location)", () => {
  it('is idempotent: mints a location the app was installed at after the agency install once, concurrent calls included', async () => {
    await agencyInstall({ location_id: S.locationId });
    // The app is installed at Harbor later (GHL would send INSTALL for it).
    await authorize(sb, { location_id: H.locationId });
    sb.resetStats();
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => manager.installCompanyLocation(sandboxAgency.companyId, H.locationId)),
    );
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already_installed', 'already_installed', 'installed']);
    expect(sb.stats().oauth.locationTokens).toBe(1);
    expect(await manager.installCompanyLocation(sandboxAgency.companyId, H.locationId)).toMatchObject({
      outcome: 'already_installed',
    });
    expect(sb.stats().oauth.locationTokens).toBe(1);
    expect(await readContact((await manager.accessToken(H.locationId)).token, H.richContactId)).toBe(200);
  });

  it('without the agency grant does nothing (the install callback will mint it); bad ids are refused', async () => {
    expect(await manager.installCompanyLocation(sandboxAgency.companyId, H.locationId)).toEqual({
      locationId: H.locationId,
      outcome: 'no_company_grant',
    });
    expect(sb.stats().total).toBe(0);
    await expect(manager.installCompanyLocation('bad id', H.locationId)).rejects.toThrow(/company id and location id/);
  });

  it('a location GHL will not mint is a typed needs_reinstall error; uninstallCompany forgets the agency', async () => {
    await agencyInstall({ location_id: S.locationId });
    await expect(manager.installCompanyLocation(sandboxAgency.companyId, 'unknownLocation00001')).rejects.toMatchObject(
      { code: 'needs_reinstall' },
    );
    expect(await manager.uninstallCompany(sandboxAgency.companyId)).toBe(true);
    expect(await store.getCompanyGrant(sandboxAgency.companyId)).toBeUndefined();
    expect(await manager.installCompanyLocation(sandboxAgency.companyId, 'unknownLocation00001')).toMatchObject({
      outcome: 'no_company_grant',
    });
  });
});
