// Sealing secrets at rest: AES-256-GCM, a fresh random 12-byte IV per value, and the record's
// identity as additional authenticated data (AAD). GCM authenticates ciphertext and AAD together,
// so a sealed refresh token copied into another location's record, or into another field, fails
// to open instead of silently becoming that record's secret. Each sealed value names its key
// (`kid`), so the key can be rotated: new values are sealed with the current key while values
// sealed with a previous key still open.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { KeyFormatError, UnsealError } from './errors.js';

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/);

export const sealedSecretSchema = z.object({
  alg: z.literal('A256GCM'),
  kid: z.string().regex(/^[0-9a-f]{16}$/),
  iv: base64url,
  ct: base64url,
  tag: base64url,
});
export type SealedSecret = z.infer<typeof sealedSecretSchema>;

export interface Sealer {
  /** Id of the key new values are sealed with. */
  readonly keyId: string;
  /** Ids of every configured key, the current one first. */
  readonly keyIds: readonly string[];
  seal(plaintext: string, aad: string): SealedSecret;
  /** Throws UnsealError; never returns a wrong plaintext. */
  open(sealed: SealedSecret, aad: string): string;
}

const KEY_BYTES = 32;
const IV_BYTES = 12; // GCM's native nonce size: no extra GHASH step, and NIST's recommendation.
const TAG_BYTES = 16;

/**
 * Reads a 32-byte key written as hex (64 characters) or base64/base64url (43–44 characters).
 * The error says what was wrong with the shape, never the value.
 */
export function parseKey(text: string, variable = 'CREDENTIALS_KEY'): Buffer {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  if (value === '') throw new KeyFormatError(variable, 'it is empty');
  if (/^[0-9a-fA-F]+$/.test(value)) {
    throw new KeyFormatError(variable, `got ${value.length} hex characters, not 64`);
  }
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64').length;
    throw new KeyFormatError(variable, `got base64 of ${bytes} bytes`);
  }
  throw new KeyFormatError(variable, `got ${value.length} characters that are neither hex nor base64`);
}

/**
 * A short public name for a key: 64 bits of a domain-separated SHA-256 of it. The key has 256
 * random bits, so its hash reveals nothing usable; it only tells which key sealed a value.
 */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('leadpops-gateway credentials key id\0').update(key).digest('hex').slice(0, 16);
}

export function createSealer(current: Buffer, previous: readonly Buffer[] = []): Sealer {
  for (const key of [current, ...previous]) {
    if (key.length !== KEY_BYTES) throw new KeyFormatError('CREDENTIALS_KEY', `got ${key.length} bytes`);
  }
  const currentId = keyId(current);
  const keys = new Map<string, Buffer>();
  for (const key of previous) keys.set(keyId(key), key);
  keys.set(currentId, current);

  return {
    keyId: currentId,
    keyIds: [currentId, ...[...keys.keys()].filter((id) => id !== currentId)],
    seal(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return {
        alg: 'A256GCM',
        kid: currentId,
        iv: iv.toString('base64url'),
        ct: ct.toString('base64url'),
        tag: cipher.getAuthTag().toString('base64url'),
      };
    },
    open(sealed, aad) {
      const key = keys.get(sealed.kid);
      if (key === undefined) throw new UnsealError(sealed.kid, 'unknown_key');
      const iv = Buffer.from(sealed.iv, 'base64url');
      const tag = Buffer.from(sealed.tag, 'base64url');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new UnsealError(sealed.kid, 'malformed');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(aad, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new UnsealError(sealed.kid, 'authentication_failed');
      }
    },
  };
}
