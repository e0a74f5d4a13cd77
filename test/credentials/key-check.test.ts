// A credentials file belongs to one key: the store proves the configured keys open it, refuses to
// write values sealed with another key into it, reports records it cannot open (listing them as
// cannot_open, not active), and can be handed to a new key when the old one is lost.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKeys } from '../../src/credentials/api-keys.js';
import { createSealer, keyId } from '../../src/credentials/crypto.js';
import { CredentialStoreError } from '../../src/credentials/errors.js';
import { createTokenManager } from '../../src/credentials/token-manager.js';
import { fileStore, newKey, oauthCredential, pitCredential, withTempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let path: string;
const keyA = newKey();
const keyB = newKey();
const [idA, idB] = [keyId(keyA), keyId(keyB)];

beforeEach(async () => {
  ({ dir, cleanup } = await withTempDir());
  path = join(dir, 'credentials.json');
});
afterEach(() => cleanup());

const storeWith = (current: Buffer, previous: Buffer[] = []) => fileStore(path, createSealer(current, previous));

describe('the key check', () => {
  it('a file nothing was written to yet takes any key', async () => {
    expect(await storeWith(keyA).checkKey()).toMatchObject({ verdict: 'empty', unopenable: [], checkIsStale: true });
  });

  it('recordKey makes the file name its key even before anything is sealed in it', async () => {
    await storeWith(keyA).recordKey();
    const doc = JSON.parse(await readFile(path, 'utf8')) as { keyCheck: { kid: string } };
    expect(doc.keyCheck.kid).toBe(idA);
    expect(await storeWith(keyA).checkKey()).toMatchObject({ verdict: 'ok', checkIsStale: false });
    expect(await storeWith(keyB).checkKey()).toMatchObject({ verdict: 'wrong_key', sealedWith: [idA] });
  });

  it('another key is refused for every write, with a message naming CREDENTIALS_KEY and the ways out', async () => {
    await storeWith(keyA).putCredential(pitCredential());
    const before = await readFile(path, 'utf8');
    const other = storeWith(keyB);
    const check = await other.checkKey();
    expect(check).toMatchObject({ verdict: 'wrong_key', sealedWith: [idA], configured: [idB] });
    expect(check.unopenable).toEqual([{ kind: 'location', id: 'locP', reason: expect.stringContaining(idA) }]);

    // Not even an API key (stored as a hash, nothing sealed) goes into a file of another key.
    const refused = await createApiKeys({ store: other })
      .create({ locationId: 'locP', scopes: ['contacts.readonly'] })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CredentialStoreError);
    expect(refused).toMatchObject({ code: 'wrong_key' });
    const message = (refused as Error).message;
    expect(message).toContain(`CREDENTIALS_KEY does not open the credentials in ${path}`);
    expect(message).toContain(`sealed with key ${idA}`);
    expect(message).toContain('CREDENTIALS_PREVIOUS_KEYS');
    expect(message).toContain('npm run credentials -- reset-key --yes');
    await expect(other.putCredential(oauthCredential())).rejects.toMatchObject({ code: 'wrong_key' });
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('after a rotation the old key opens the file, and the next write moves the check to the new key', async () => {
    await storeWith(keyA).putCredential(pitCredential());
    const rotated = storeWith(keyB, [keyA]);
    expect(await rotated.checkKey()).toMatchObject({ verdict: 'ok', unopenable: [], checkIsStale: true });
    await rotated.recordKey();
    expect(await rotated.checkKey()).toMatchObject({
      verdict: 'ok',
      checkIsStale: false,
      sealedWith: [idA, idB].sort(),
    });
    // The old key alone no longer opens the file.
    expect(await storeWith(keyA).checkKey()).toMatchObject({ verdict: 'wrong_key' });
  });

  it('a file written before the check existed is judged by its records', async () => {
    await storeWith(keyA).putCredential(pitCredential());
    const doc = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    delete doc.keyCheck;
    await writeFile(path, JSON.stringify(doc));
    expect(await storeWith(keyA).checkKey()).toMatchObject({ verdict: 'ok', checkIsStale: true });
    expect(await storeWith(keyB).checkKey()).toMatchObject({ verdict: 'wrong_key', sealedWith: [idA] });
    await expect(storeWith(keyB).recordKey()).rejects.toMatchObject({ code: 'wrong_key' });
    await storeWith(keyA).recordKey();
    expect((JSON.parse(await readFile(path, 'utf8')) as { keyCheck: { kid: string } }).keyCheck.kid).toBe(idA);
  });

  it('a check that opens does not hide records that do not: they are listed as cannot_open', async () => {
    await storeWith(keyA).putCredential(oauthCredential());
    // A key dropped from the configuration before every value was sealed again.
    const current = storeWith(keyB, [keyA]);
    await current.putCredential(pitCredential());
    const now = storeWith(keyB);
    const check = await now.checkKey();
    expect(check.verdict).toBe('ok');
    expect(check.unopenable.map(({ kind, id }) => `${kind} ${id}`)).toEqual(['location locA']);
    const listed = await now.listCredentials();
    expect(listed.map((s) => [s.locationId, s.status])).toEqual([
      ['locA', 'cannot_open'],
      ['locP', 'active'],
    ]);
    expect(listed[0]?.statusReason).toContain(`sealed with key ${idA}, which is not configured`);
    expect(JSON.stringify(listed)).not.toContain('access-token-A-0001');
  });

  it('every record not opening is the wrong key, even when the check opens', async () => {
    await storeWith(keyA).putCredential(oauthCredential());
    await storeWith(keyB, [keyA]).recordKey();
    expect(await storeWith(keyB).checkKey()).toMatchObject({ verdict: 'wrong_key' });
  });

  it('startOver hands the file to the new key: drops what does not open, keeps API keys and the rest', async () => {
    const old = storeWith(keyA);
    await old.putCredential(oauthCredential());
    const { record } = await createApiKeys({ store: old }).create({
      locationId: 'locA',
      scopes: ['contacts.readonly'],
    });
    const fresh = storeWith(keyB);
    expect(await fresh.startOver()).toEqual({ locations: ['locA'], companies: [] });
    expect(await fresh.checkKey()).toMatchObject({ verdict: 'ok', unopenable: [], checkIsStale: false });
    expect(await fresh.getApiKey(record.id)).toMatchObject({ id: record.id, locationId: 'locA' });
    expect(await fresh.getCredential('locA')).toBeUndefined();
    await fresh.putCredential(pitCredential({ locationId: 'locA' }));
    expect((await fresh.getCredential('locA'))?.kind).toBe('pit');
  });
});

describe('a credential that does not open, to the token manager', () => {
  it('is cannot_open, not retryable, and says what the operator must do', async () => {
    await storeWith(keyA).putCredential(pitCredential());
    const mixed = storeWith(keyB, [keyA]);
    await mixed.recordKey();
    const tokens = createTokenManager({ store: storeWith(keyB) });
    const error = await tokens.accessToken('locP').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'cannot_open', locationId: 'locP', retryable: false });
    expect((error as Error).message).toMatch(
      /cannot open the GHL credential of location locP with its CREDENTIALS_KEY/,
    );
    expect((error as Error).message).toContain('CREDENTIALS_PREVIOUS_KEYS');
  });
});
