import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSealer, keyId, parseKey } from '../../src/credentials/crypto.js';
import { KeyFormatError, UnsealError } from '../../src/credentials/errors.js';
import { credentialAad, openCredential, sealCredential } from '../../src/credentials/sealed-credential.js';
import { newKey, oauthCredential } from './helpers.js';

describe('seal and open', () => {
  it('round-trips, with a fresh IV every time and the key id in the value', () => {
    const sealer = createSealer(newKey());
    const a = sealer.seal('refresh-token-xyz', 'aad-1');
    const b = sealer.seal('refresh-token-xyz', 'aad-1');
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
    expect(a.kid).toBe(sealer.keyId);
    expect(Buffer.from(a.iv, 'base64url')).toHaveLength(12);
    expect(sealer.open(a, 'aad-1')).toBe('refresh-token-xyz');
    expect(JSON.stringify(a)).not.toContain('refresh-token-xyz');
  });

  it('refuses the wrong key, even one with the same id slot', () => {
    const sealed = createSealer(newKey()).seal('secret', 'aad');
    const other = createSealer(newKey());
    expect(() => other.open(sealed, 'aad')).toThrow(UnsealError);
    expect(() => other.open({ ...sealed, kid: other.keyId }, 'aad')).toThrow(/authentication failed/);
  });

  it('refuses another AAD: a ciphertext cannot move to another record or field', () => {
    const sealer = createSealer(newKey());
    const sealed = sealer.seal('secret', credentialAad('locA', 'oauth', 'refreshToken'));
    expect(() => sealer.open(sealed, credentialAad('locB', 'oauth', 'refreshToken'))).toThrow(UnsealError);
    expect(() => sealer.open(sealed, credentialAad('locA', 'oauth', 'accessToken'))).toThrow(UnsealError);
    expect(() => sealer.open(sealed, credentialAad('locA', 'pit', 'token'))).toThrow(UnsealError);
  });

  it('refuses altered ciphertext, tag or IV', () => {
    const sealer = createSealer(newKey());
    const sealed = sealer.seal('secret value', 'aad');
    const flip = (text: string) => {
      const bytes = Buffer.from(text, 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes.toString('base64url');
    };
    expect(() => sealer.open({ ...sealed, ct: flip(sealed.ct) }, 'aad')).toThrow(UnsealError);
    expect(() => sealer.open({ ...sealed, tag: flip(sealed.tag) }, 'aad')).toThrow(UnsealError);
    expect(() => sealer.open({ ...sealed, iv: flip(sealed.iv) }, 'aad')).toThrow(UnsealError);
    expect(() => sealer.open({ ...sealed, tag: 'AAAA' }, 'aad')).toThrow(/malformed/);
  });

  it('opens values sealed with a previous key and seals new ones with the current key', () => {
    const oldKey = newKey();
    const sealedOld = createSealer(oldKey).seal('secret', 'aad');
    const rotated = createSealer(newKey(), [oldKey]);
    expect(rotated.open(sealedOld, 'aad')).toBe('secret');
    expect(rotated.seal('x', 'aad').kid).toBe(rotated.keyId);
    expect(rotated.keyId).not.toBe(keyId(oldKey));
    expect(() => createSealer(newKey()).open(sealedOld, 'aad')).toThrow(/not configured/);
  });

  it('seals every secret field of a credential under its own identity', () => {
    const sealer = createSealer(newKey());
    const credential = oauthCredential();
    const stored = sealCredential(credential, sealer);
    const text = JSON.stringify(stored);
    expect(text).not.toContain(credential.accessToken);
    expect(text).not.toContain(credential.refreshToken);
    expect(openCredential(stored, sealer)).toEqual(credential);
    // Swapping the two sealed fields of one record is caught too.
    if (stored.kind !== 'oauth') throw new Error('expected an OAuth record');
    const swapped = { ...stored, accessToken: stored.refreshToken!, refreshToken: stored.accessToken };
    expect(() => openCredential(swapped, sealer)).toThrow(UnsealError);
  });
});

describe('parseKey', () => {
  const key = randomBytes(32);
  it.each([
    ['hex', key.toString('hex')],
    ['HEX', key.toString('hex').toUpperCase()],
    ['base64', key.toString('base64')],
    ['base64url', key.toString('base64url')],
    ['base64 with spaces around', `  ${key.toString('base64')}\n`],
  ])('reads %s', (_name, text) => {
    expect(parseKey(text).equals(key)).toBe(true);
  });

  it.each([
    ['', /empty/],
    ['abcd', /4 hex characters/],
    [randomBytes(16).toString('base64'), /base64 of 16 bytes/],
    [randomBytes(48).toString('base64'), /base64 of 48 bytes/],
    ['not a key at all!', /neither hex nor base64/],
  ])('refuses %j with a clear message that does not echo it', (text, message) => {
    let error: unknown;
    try {
      parseKey(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KeyFormatError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/CREDENTIALS_KEY must be 32 random bytes/);
    if (text.length > 4) expect((error as Error).message).not.toContain(text.trim());
  });
});
