import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiKeyId, createApiKeys, hashApiKey, type ApiKeys } from '../../src/credentials/api-keys.js';
import { ApiKeyError } from '../../src/credentials/errors.js';
import type { CredentialStore } from '../../src/credentials/store.js';
import { fileStore, testSealer, withTempDir } from './helpers.js';

const HOUR = 3_600_000;
let cleanup: () => Promise<void>;
let path: string;
let store: CredentialStore;
let apiKeys: ApiKeys;
let now: number;

beforeEach(async () => {
  const temp = await withTempDir();
  cleanup = temp.cleanup;
  path = join(temp.dir, 'credentials.json');
  store = fileStore(path, testSealer());
  now = 1_700_000_000_000;
  apiKeys = createApiKeys({ store, now: () => now });
});
afterEach(() => cleanup());

const input = { locationId: 'locA', scopes: ['contacts.readonly', 'contacts.write'] };

describe('API keys', () => {
  it('creates a key shown once and stores only its hash', async () => {
    const { key, record } = await apiKeys.create({ ...input, label: 'web app' });
    expect(key).toMatch(/^lpk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(apiKeyId(key)).toBe(record.id);
    expect(record).toMatchObject({
      locationId: 'locA',
      scopes: input.scopes,
      createdAt: now,
      expiresAt: null,
      revokedAt: null,
      label: 'web app',
    });
    expect(record.hash).toBe(hashApiKey(key));
    const file = await readFile(path, 'utf8');
    expect(file).not.toContain(key);
    expect(file).not.toContain(key.slice(-43));
    expect(file).toContain(record.hash);
  });

  it('verifies a good key and names each failure', async () => {
    const { key, record } = await apiKeys.create({ ...input, expiresInMs: HOUR });
    expect(await apiKeys.verify(key)).toEqual({ ok: true, record });

    const otherSecret = `${key.slice(0, -43)}${'A'.repeat(43)}`;
    expect(await apiKeys.verify(otherSecret)).toEqual({ ok: false, reason: 'unknown' });
    expect(await apiKeys.verify(`lpk_ffffffffffffffff_${key.slice(-43)}`)).toEqual({ ok: false, reason: 'unknown' });

    now += HOUR;
    expect(await apiKeys.verify(key)).toEqual({ ok: false, reason: 'expired' });
    now -= 1;
    expect((await apiKeys.verify(key)).ok).toBe(true);

    await apiKeys.revoke(record.id);
    expect(await apiKeys.verify(key)).toEqual({ ok: false, reason: 'revoked' });
    // A wrong secret is told nothing about the key's state.
    expect(await apiKeys.verify(otherSecret)).toEqual({ ok: false, reason: 'unknown' });
  });

  it.each([
    '',
    'lpk_',
    'Bearer lpk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'lpk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', // 42
    'lpk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', // 44
    'lpk_0123456789ABCDEF_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'lpk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    'xyz_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'pit-0d6c0b4a-9c1e-4b7e-8f00-123456789abc',
    'lpk_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n',
  ])('calls %j malformed', async (presented) => {
    expect(await apiKeys.verify(presented)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rotates with an overlap: both keys work, then only the new one', async () => {
    const first = await apiKeys.create({ ...input, expiresInMs: 90 * 24 * HOUR, label: 'web' });
    now += HOUR;
    const rotated = await apiKeys.rotate(first.record.id, 24 * HOUR);
    expect(rotated.record).toMatchObject({
      locationId: 'locA',
      scopes: input.scopes,
      label: 'web',
      expiresAt: now + 90 * 24 * HOUR,
    });
    expect(rotated.previous).toMatchObject({
      id: first.record.id,
      expiresAt: now + 24 * HOUR,
      replacedBy: rotated.record.id,
    });
    expect(rotated.key).not.toBe(first.key);

    now += 24 * HOUR - 1;
    expect((await apiKeys.verify(first.key)).ok).toBe(true);
    expect((await apiKeys.verify(rotated.key)).ok).toBe(true);
    now += 1;
    expect(await apiKeys.verify(first.key)).toEqual({ ok: false, reason: 'expired' });
    expect((await apiKeys.verify(rotated.key)).ok).toBe(true);
  });

  it('never extends the old key by rotating, and keeps a non-expiring key non-expiring', async () => {
    const short = await apiKeys.create({ ...input, expiresInMs: HOUR });
    const rotated = await apiKeys.rotate(short.record.id, 24 * HOUR);
    expect(rotated.previous.expiresAt).toBe(now + HOUR);
    const forever = await apiKeys.create(input);
    const next = await apiKeys.rotate(forever.record.id, 0);
    expect(next.record.expiresAt).toBeNull();
    expect(await apiKeys.verify(forever.key)).toEqual({ ok: false, reason: 'expired' });
    const custom = await apiKeys.rotate(next.record.id, HOUR, { expiresInMs: 2 * HOUR });
    expect(custom.record.expiresAt).toBe(now + 2 * HOUR);
  });

  it('refuses to rotate a revoked, expired, already rotated or unknown key', async () => {
    const a = await apiKeys.create({ ...input, expiresInMs: HOUR });
    await apiKeys.rotate(a.record.id, HOUR);
    await expect(apiKeys.rotate(a.record.id, HOUR)).rejects.toThrow(/already rotated/);
    const b = await apiKeys.create(input);
    await apiKeys.revoke(b.record.id);
    await expect(apiKeys.rotate(b.record.id, HOUR)).rejects.toMatchObject({ code: 'revoked' });
    const c = await apiKeys.create({ ...input, expiresInMs: 10 });
    now += 10;
    await expect(apiKeys.rotate(c.record.id, HOUR)).rejects.toMatchObject({ code: 'expired' });
    await expect(apiKeys.rotate('ffffffffffffffff', HOUR)).rejects.toMatchObject({ code: 'unknown' });
    await expect(apiKeys.rotate('nope', HOUR)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(apiKeys.rotate(a.record.id, -1)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('revokes idempotently and lists by location', async () => {
    const a = await apiKeys.create(input);
    await apiKeys.create({ locationId: 'locB', scopes: ['contacts.readonly'] });
    const first = await apiKeys.revoke(a.record.id);
    now += 5;
    expect((await apiKeys.revoke(a.record.id)).revokedAt).toBe(first.revokedAt);
    await expect(apiKeys.revoke('ffffffffffffffff')).rejects.toBeInstanceOf(ApiKeyError);
    expect((await apiKeys.list({ locationId: 'locB' })).map((r) => r.locationId)).toEqual(['locB']);
    expect(await apiKeys.list()).toHaveLength(2);
  });

  it.each([
    [{ locationId: '../x', scopes: ['contacts.readonly'] }, /location/],
    [{ locationId: 'locA', scopes: [] }, /at least one scope/],
    [{ locationId: 'locA', scopes: ['contacts readonly'] }, /scope name/],
    [{ locationId: 'locA', scopes: ['contacts.readonly'], expiresInMs: 0 }, /lifetime/],
    [{ locationId: 'locA', scopes: ['contacts.readonly'], label: 'x'.repeat(201) }, /label/],
  ])('refuses bad input %#', async (bad, message) => {
    await expect(apiKeys.create(bad)).rejects.toThrow(message);
  });
});
