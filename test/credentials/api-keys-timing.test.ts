// verify() must compare hashes with crypto.timingSafeEqual on two 32-byte buffers, once per
// well-formed key, whether the id is known or not. node:crypto is wrapped (module mocks are
// per file, hence this file) to watch the calls.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const spy = vi.hoisted(() => ({ calls: [] as [number, number][] }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      spy.calls.push([a.byteLength, b.byteLength]);
      return actual.timingSafeEqual(a, b);
    },
  };
});

const { createApiKeys } = await import('../../src/credentials/api-keys.js');
const { fileStore, testSealer, withTempDir } = await import('./helpers.js');

describe('API key comparison', () => {
  beforeEach(() => {
    spy.calls.length = 0;
  });

  it('goes through timingSafeEqual on equal-length hashes for right, wrong and unknown keys', async () => {
    const { dir, cleanup } = await withTempDir();
    try {
      const apiKeys = createApiKeys({ store: fileStore(`${dir}/c.json`, testSealer()) });
      const { key } = await apiKeys.create({ locationId: 'locA', scopes: ['contacts.readonly'] });
      spy.calls.length = 0;
      expect((await apiKeys.verify(key)).ok).toBe(true);
      expect(await apiKeys.verify(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toEqual({
        ok: false,
        reason: 'unknown',
      });
      expect(await apiKeys.verify(`lpk_ffffffffffffffff_${key.slice(-43)}`)).toEqual({ ok: false, reason: 'unknown' });
      expect(spy.calls).toEqual([
        [32, 32],
        [32, 32],
        [32, 32],
      ]);
      expect(await apiKeys.verify('garbage')).toEqual({ ok: false, reason: 'malformed' });
      expect(spy.calls).toHaveLength(3);
    } finally {
      await cleanup();
    }
  });
});
