import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WritePoint } from '../../src/storage/atomic-file.js';
import { CredentialStoreError } from '../../src/credentials/errors.js';
import type { ApiKeyRecord } from '../../src/credentials/records.js';
import { fileStore, oauthCredential, pitCredential, testSealer, withTempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let path: string;
const sealer = testSealer();

beforeEach(async () => {
  ({ dir, cleanup } = await withTempDir());
  path = join(dir, 'nested', 'credentials.json');
});
afterEach(() => cleanup());

const key = (overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  id: '0123456789abcdef',
  locationId: 'locA',
  scopes: ['contacts.readonly'],
  hash: 'a'.repeat(64),
  createdAt: 1,
  expiresAt: null,
  revokedAt: null,
  ...overrides,
});

describe('file store', () => {
  it('stores, reads, lists and removes credentials and keys', async () => {
    const store = fileStore(path, sealer);
    expect(await store.getCredential('locA')).toBeUndefined();
    await store.putCredential(oauthCredential());
    await store.putCredential(pitCredential());
    await store.putApiKeys([key(), key({ id: 'fedcba9876543210', locationId: 'locP', createdAt: 2 })]);

    // A second instance reads what the first wrote: it is on disk, not only in memory.
    const reopened = fileStore(path, sealer);
    expect(await reopened.getCredential('locA')).toEqual(oauthCredential());
    expect(await reopened.getCredential('locP')).toEqual(pitCredential());
    expect((await reopened.listCredentials()).map((s) => [s.locationId, s.kind, s.expiresAt])).toEqual([
      ['locA', 'oauth', oauthCredential().expiresAt],
      ['locP', 'pit', undefined],
    ]);
    expect((await reopened.listApiKeys({ locationId: 'locP' })).map((r) => r.id)).toEqual(['fedcba9876543210']);

    expect(await reopened.revokeApiKey('0123456789abcdef', 50)).toMatchObject({ revokedAt: 50 });
    expect(await reopened.revokeApiKey('0123456789abcdef', 99)).toMatchObject({ revokedAt: 50 });
    expect(await reopened.revokeApiKey('ffffffffffffffff', 99)).toBeUndefined();

    expect(await reopened.removeLocation('locA')).toEqual({ credential: true, apiKeys: 1 });
    expect(await reopened.removeCredential('locP')).toBe(true);
    expect(await reopened.removeCredential('locP')).toBe(false);
    expect(await store.listCredentials()).toEqual([]);
    expect((await store.listApiKeys()).map((r) => r.id)).toEqual(['fedcba9876543210']);
  });

  it('keeps agency grants sealed beside the credentials, and reads a file written before they existed', async () => {
    const grant = {
      companyId: 'compA',
      userId: 'user1',
      accessToken: 'agency-access-token-0001',
      refreshToken: 'agency-refresh-token-0001',
      expiresAt: 2_000_000_000_000,
      scopes: ['oauth.readonly', 'oauth.write'],
      status: 'active' as const,
      updatedAt: 1_000,
    };
    const store = fileStore(path, sealer);
    await store.putCredential(oauthCredential());
    const { refreshToken: _, ...minted } = oauthCredential({ locationId: 'locM', companyId: 'compA' });
    await store.putCredential(minted);
    await store.putCompanyGrant(grant);
    const text = await readFile(path, 'utf8');
    for (const secret of [grant.accessToken, grant.refreshToken, minted.accessToken])
      expect(text).not.toContain(secret);
    const reopened = fileStore(path, sealer);
    expect(await reopened.getCompanyGrant('compA')).toEqual(grant);
    expect(await reopened.getCredential('locM')).toEqual(minted);
    // A company's sealed token does not open as a location's, nor under another company.
    const doc = JSON.parse(text);
    doc.companies.compB = { ...doc.companies.compA, companyId: 'compB' };
    await writeFile(path, JSON.stringify(doc));
    await expect(fileStore(path, sealer).getCompanyGrant('compB')).rejects.toMatchObject({ code: 'unseal' });
    expect(await reopened.removeCompanyGrant('compB')).toBe(true);
    expect(await reopened.removeCompanyGrant('compB')).toBe(false);

    delete doc.companies;
    await writeFile(path, JSON.stringify(doc));
    const old = fileStore(path, sealer);
    expect(await old.getCredential('locA')).toEqual(oauthCredential());
    expect(await old.getCompanyGrant('compA')).toBeUndefined();
  });

  it('finds nothing on the prototype, and refuses reserved names', async () => {
    const store = fileStore(path, sealer);
    await store.putCredential(pitCredential());
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(await store.getCredential(name)).toBeUndefined();
      expect(await store.getApiKey(name)).toBeUndefined();
      expect(await store.removeCredential(name)).toBe(false);
    }
    await expect(store.putCredential(pitCredential({ locationId: '__proto__' }))).rejects.toThrow(/reserved/);
    expect(await fileStore(path, sealer).listCredentials()).toHaveLength(1);
  });

  it('writes a 0600 file that holds no plaintext secret', async () => {
    const store = fileStore(path, sealer);
    const oauth = oauthCredential();
    const pit = pitCredential();
    await store.putCredential(oauth);
    await store.putCredential(pit);
    const text = await readFile(path, 'utf8');
    for (const secret of [
      oauth.accessToken,
      oauth.refreshToken,
      pit.token,
      'access-token',
      'refresh-token',
      'pit-0d6c',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('A256GCM');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(join(dir, 'nested'))).sort()).toEqual(['credentials.json']); // no temp or lock file left
  });

  it('listing never decrypts: it works with another key', async () => {
    await fileStore(path, sealer).putCredential(oauthCredential());
    const otherKey = fileStore(path, testSealer());
    expect(await otherKey.listCredentials()).toHaveLength(1);
    await expect(otherKey.getCredential('locA')).rejects.toMatchObject({ code: 'unseal' });
  });

  it('refuses a sealed value moved to another record', async () => {
    const store = fileStore(path, sealer);
    await store.putCredential(pitCredential({ locationId: 'locX', token: 'pit-token-of-x-0000000' }));
    await store.putCredential(pitCredential({ locationId: 'locY', token: 'pit-token-of-y-0000000' }));
    const doc = JSON.parse(await readFile(path, 'utf8'));
    doc.credentials.locY.token = doc.credentials.locX.token;
    await writeFile(path, JSON.stringify(doc));
    const reopened = fileStore(path, sealer);
    expect(await reopened.getCredential('locX')).toMatchObject({ token: 'pit-token-of-x-0000000' });
    await expect(reopened.getCredential('locY')).rejects.toThrow(/location locY.*altered or moved/);
  });

  it('never overwrites a file it cannot read', async () => {
    await fileStore(path, sealer).putCredential(oauthCredential());
    await writeFile(path, '{"version":1,"credentials":{"locA":{"kind":"oauth"');
    const store = fileStore(path, sealer);
    await expect(store.getCredential('locA')).rejects.toMatchObject({ code: 'corrupt' });
    await expect(store.putCredential(pitCredential())).rejects.toBeInstanceOf(CredentialStoreError);
    expect(await readFile(path, 'utf8')).toBe('{"version":1,"credentials":{"locA":{"kind":"oauth"');
  });

  it('serializes concurrent writes within the process', async () => {
    const store = fileStore(path, sealer);
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        store.putCredential(pitCredential({ locationId: `loc${i}`, token: `pit-token-number-${i}-xxxx` })),
      ),
    );
    expect(await fileStore(path, sealer).listCredentials()).toHaveLength(25);
  });

  it('keeps both changes when two processes write in turn (read-modify-write under the lock)', async () => {
    const gateway = fileStore(path, sealer);
    const cli = fileStore(path, sealer);
    await gateway.putCredential(oauthCredential());
    expect(await cli.getCredential('locA')).toBeDefined(); // the CLI has loaded the file
    await gateway.putCredential(oauthCredential({ refreshToken: 'refresh-token-A-0002' }));
    await cli.putApiKeys([key()]); // must not put back the spent refresh token
    await Promise.all([cli.putCredential(pitCredential()), gateway.putApiKeys([key({ id: '1111111111111111' })])]);
    const fresh = fileStore(path, sealer);
    expect(await fresh.getCredential('locA')).toMatchObject({ refreshToken: 'refresh-token-A-0002' });
    expect(await fresh.getCredential('locP')).toBeDefined();
    expect((await fresh.listApiKeys()).map((r) => r.id).sort()).toEqual(['0123456789abcdef', '1111111111111111']);
    expect(await gateway.getApiKey('0123456789abcdef')).toBeDefined(); // the gateway sees the CLI's change
  });

  it('waits for a live lock holder, then fails with a clear error', async () => {
    const store = fileStore(path, sealer, { lock: { timeoutMs: 150 } });
    await store.putCredential(pitCredential());
    await writeFile(
      `${path}.lock`,
      JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), token: 'x', at: Date.now() }),
    );
    await expect(store.putCredential(oauthCredential())).rejects.toMatchObject({
      code: 'locked',
      message: expect.stringContaining(`process ${process.pid}`),
    });
  });

  it('clears the lock of a dead process', async () => {
    const store = fileStore(path, sealer);
    await store.putCredential(pitCredential());
    await writeFile(
      `${path}.lock`,
      JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), token: 'x', at: 0 }),
    );
    await store.putCredential(oauthCredential());
    expect(await fileStore(path, sealer).getCredential('locA')).toBeDefined();
  });

  describe('a crash in the middle of a write leaves the old file or the new one', () => {
    const cases: [WritePoint, 'old' | 'new'][] = [
      ['temp-written', 'old'],
      ['temp-synced', 'old'],
      ['renamed', 'new'],
    ];
    it.each(cases)('crash at %s leaves the %s state', async (point, expected) => {
      const before = oauthCredential();
      const after = oauthCredential({
        refreshToken: 'refresh-token-A-0002',
        accessToken: 'access-token-A-0002',
        updatedAt: 2_000,
      });
      await fileStore(path, sealer).putCredential(before);

      const crashing = fileStore(path, sealer, {
        onWritePoint: (reached) => {
          if (reached === point) throw new Error(`simulated crash at ${reached}`);
        },
      });
      await expect(crashing.putCredential(after)).rejects.toThrow(`simulated crash at ${point}`);

      const restarted = fileStore(path, sealer);
      expect(await restarted.getCredential('locA')).toEqual(expected === 'old' ? before : after);
      // The crashed instance itself also reports what is really on disk.
      expect(await crashing.getCredential('locA')).toEqual(expected === 'old' ? before : after);
      // And the store keeps working.
      await restarted.putCredential(pitCredential());
      expect(await fileStore(path, sealer).listCredentials()).toHaveLength(2);
    });
  });
});
