// Is this webhook from GHL? GHL signs the raw body bytes: `x-ghl-signature` is Ed25519, the only
// one GHL sends from 2026-07-01; `x-wh-signature` is the legacy RSA-SHA256 with PKCS#1 v1.5
// padding, checked only when its key is configured. Both base64.
// Verification runs over the bytes exactly as received: parsing and re-serialising JSON changes
// whitespace, key order and number spelling, and no signature survives that.
//
// Either scheme alone proves the body is GHL's, so a body passes when any configured scheme
// verifies: Ed25519 first, RSA when Ed25519 is not configured, not sent or does not verify (GHL
// may rotate one key before the other reaches our config).
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export interface WebhookPublicKeys {
  /** GHL's Ed25519 public key (PEM), for `x-ghl-signature`. */
  ed25519?: string;
  /** GHL's RSA public key (PEM), for the legacy `x-wh-signature`. */
  rsa?: string;
}

export type SignatureScheme = 'ed25519' | 'rsa-sha256';

export type VerifyResult =
  | { ok: true; scheme: SignatureScheme }
  /** unsigned: no signature header we hold a key for; malformed: not base64 of the right size. */
  | { ok: false; reason: 'unsigned' | 'malformed' | 'bad-signature' };

/** Only `get` is used, so a Fetch `Headers` or anything shaped like one will do. */
export interface HeaderSource {
  get(name: string): string | null;
}

export type VerifySignature = (body: Uint8Array, headers: HeaderSource) => VerifyResult;

/**
 * GHL's published Ed25519 key for `x-ghl-signature` (the Webhook Integration Guide, section "GHL
 * signature Ed25519 public key"; the same key in GHL's marketplace docs for every event). The
 * gateway verifies real GHL's webhooks with it unless GHL_WEBHOOK_ED25519_PUBLIC_KEY says otherwise.
 */
export const GHL_ED25519_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAi2HR1srL4o18O8BRa7gVJY7G7bupbN3H9AwJrHCDiOg=
-----END PUBLIC KEY-----`;

export const ED25519_HEADER = 'x-ghl-signature';
export const RSA_HEADER = 'x-wh-signature';

const ED25519_SIGNATURE_BYTES = 64;
// A 16384-bit RSA signature is 2,732 base64 characters; anything longer is not worth decoding.
const MAX_HEADER_CHARS = 4_096;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Keys are parsed once, here, so a bad key fails at start-up rather than on the first webhook. */
export function createSignatureVerifier(keys: WebhookPublicKeys): VerifySignature {
  const ed25519 = keys.ed25519 === undefined ? undefined : parseKey(keys.ed25519, 'ed25519');
  const rsa = keys.rsa === undefined ? undefined : parseKey(keys.rsa, 'rsa');
  if (ed25519 === undefined && rsa === undefined) {
    // Without a key every webhook would be refused; say so at start-up instead.
    throw new Error('GHL webhook verification needs at least one public key (Ed25519 or RSA).');
  }
  const rsaBytes = rsa === undefined ? 0 : Math.ceil((rsa.asymmetricKeyDetails?.modulusLength ?? 0) / 8);

  return (body, headers) => {
    let result: VerifyResult = { ok: false, reason: 'unsigned' };
    if (ed25519 !== undefined) {
      const attempt = check(headers.get(ED25519_HEADER), ED25519_SIGNATURE_BYTES, (signature) =>
        verify(null, body, ed25519, signature),
      );
      if (attempt === 'valid') return { ok: true, scheme: 'ed25519' };
      result = worse(result, attempt);
    }
    if (rsa !== undefined) {
      // PKCS#1 v1.5 is node's default padding for RSA keys.
      const attempt = check(headers.get(RSA_HEADER), rsaBytes, (signature) => verify('sha256', body, rsa, signature));
      if (attempt === 'valid') return { ok: true, scheme: 'rsa-sha256' };
      result = worse(result, attempt);
    }
    return result;
  };
}

type Attempt = 'valid' | 'unsigned' | 'malformed' | 'bad-signature';

function check(header: string | null, expectedBytes: number, run: (signature: Buffer) => boolean): Attempt {
  if (header === null || header.trim() === '') return 'unsigned';
  const text = header.trim();
  if (text.length > MAX_HEADER_CHARS || !BASE64.test(text)) return 'malformed';
  const signature = Buffer.from(text, 'base64');
  if (signature.length !== expectedBytes) return 'malformed';
  try {
    return run(signature) ? 'valid' : 'bad-signature';
  } catch {
    // OpenSSL throws on some malformed inputs rather than answering false.
    return 'bad-signature';
  }
}

const SEVERITY: Record<Exclude<Attempt, 'valid'>, number> = { unsigned: 0, malformed: 1, 'bad-signature': 2 };

/** The most telling reason wins: a wrong signature says more than a missing one. */
function worse(current: VerifyResult, attempt: Attempt): VerifyResult {
  if (current.ok || attempt === 'valid') return current;
  return SEVERITY[attempt] > SEVERITY[current.reason] ? { ok: false, reason: attempt } : current;
}

function parseKey(pem: string, type: 'ed25519' | 'rsa'): KeyObject {
  // Keys set through environment variables often arrive with literal "\n" instead of newlines.
  const text = pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem;
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch {
    throw new Error(
      `The GHL webhook ${type === 'rsa' ? 'RSA' : 'Ed25519'} public key is not a readable PEM public key.`,
    );
  }
  if (key.asymmetricKeyType !== type) {
    throw new Error(
      `The GHL webhook ${type === 'rsa' ? 'RSA' : 'Ed25519'} public key is a ${key.asymmetricKeyType ?? 'unknown'} key.`,
    );
  }
  if (type === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new Error('The GHL webhook RSA public key is shorter than 2048 bits.');
  }
  return key;
}
