// The key pairs the sandbox signs its webhooks with, as GHL signs its own: Ed25519 for
// `x-ghl-signature` and RSA-SHA256 (PKCS#1 v1.5) for the legacy `x-wh-signature`, both base64
// over the raw body bytes. GHL signs only with Ed25519 from 2026-07-01 (its Webhook Integration
// Guide), so the RSA signature is made only when the `legacyRsaSignature` setting asks for it.
// Like GHL, the sandbox publishes only the public halves (GET /__sandbox/webhook-keys,
// `sandbox.webhookKeys`), the RSA one too, for receivers that still check it.
// The Ed25519 key comes from the seed, so it is the same every run for a given seed; the RSA key
// is fixed (webhook-rsa-key.ts).

import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { SANDBOX_RSA_WEBHOOK_JWK } from './webhook-rsa-key.js';

/** The public keys a receiver verifies the sandbox's webhooks with (SPKI PEM). */
export interface SandboxWebhookKeys {
  /** Verifies `x-ghl-signature`: `crypto.verify(null, rawBody, key, signature)`. */
  ed25519PublicKeyPem: string;
  /** Verifies `x-wh-signature`: `crypto.verify('sha256', rawBody, key, signature)`. */
  rsaPublicKeyPem: string;
}

/** PKCS#8 DER of an Ed25519 private key is this fixed prefix followed by the 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function ed25519FromSeed(seed: number): KeyObject {
  const secret = createHash('sha256').update(`ghl-sandbox webhook signing key ${seed}`).digest();
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, secret]), format: 'der', type: 'pkcs8' });
}

let rsaKey: KeyObject | undefined;

export class WebhookSigner {
  private readonly ed25519: KeyObject;
  private readonly rsa: KeyObject;
  readonly publicKeys: Readonly<SandboxWebhookKeys>;

  constructor(seed: number) {
    this.ed25519 = ed25519FromSeed(seed);
    // One import per process: every sandbox shares the fixed key.
    rsaKey ??= createPrivateKey({ key: SANDBOX_RSA_WEBHOOK_JWK, format: 'jwk' });
    this.rsa = rsaKey;
    this.publicKeys = Object.freeze({
      ed25519PublicKeyPem: createPublicKey(this.ed25519).export({ format: 'pem', type: 'spki' }).toString(),
      rsaPublicKeyPem: createPublicKey(this.rsa).export({ format: 'pem', type: 'spki' }).toString(),
    });
  }

  /** `x-ghl-signature` of exactly these bytes. */
  signEd25519(body: Buffer): string {
    return sign(null, body, this.ed25519).toString('base64');
  }

  /** The legacy `x-wh-signature`: node signs RSA keys with PKCS#1 v1.5 padding unless told otherwise, as GHL's RSA-SHA256. */
  signRsa(body: Buffer): string {
    return sign('sha256', body, this.rsa).toString('base64');
  }
}
