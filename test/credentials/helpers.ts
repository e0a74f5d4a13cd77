// Shared pieces of the credentials tests: temp directories, a sealer with a random key, sample
// records.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSealer, type Sealer } from '../../src/credentials/crypto.js';
import { createFileCredentialStore, type FileCredentialStoreOptions } from '../../src/credentials/file-store.js';
import type { OAuthCredential, PitCredential } from '../../src/credentials/records.js';
import type { CredentialStore } from '../../src/credentials/store.js';

export async function withTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'credentials-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function newKey(): Buffer {
  return randomBytes(32);
}

export function testSealer(key: Buffer = newKey()): Sealer {
  return createSealer(key);
}

export function fileStore(
  path: string,
  sealer: Sealer,
  extra: Partial<FileCredentialStoreOptions> = {},
): CredentialStore {
  return createFileCredentialStore({ path, sealer, ...extra });
}

export function oauthCredential(overrides: Partial<OAuthCredential> = {}): OAuthCredential {
  return {
    kind: 'oauth',
    locationId: 'locA',
    companyId: 'comp1',
    userId: 'user1',
    accessToken: 'access-token-A-0001',
    refreshToken: 'refresh-token-A-0001',
    expiresAt: 2_000_000_000_000,
    scopes: ['contacts.readonly', 'contacts.write'],
    status: 'active',
    updatedAt: 1_000,
    ...overrides,
  };
}

export function pitCredential(overrides: Partial<PitCredential> = {}): PitCredential {
  return {
    kind: 'pit',
    locationId: 'locP',
    token: 'pit-0d6c0b4a-9c1e-4b7e-8f00-123456789abc',
    scopes: ['contacts.readonly'],
    status: 'active',
    updatedAt: 1_000,
    ...overrides,
  };
}

/** Resolves when `predicate` holds, polling; for waiting on another process or a pending promise. */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
