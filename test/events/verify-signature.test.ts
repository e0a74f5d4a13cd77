import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSignatureVerifier } from '../../src/events/verify-signature.js';
import { generateSigningKeys, signEd25519, signRsa, type SigningKeys } from './helpers.js';

let keys: SigningKeys;
let other: SigningKeys;
beforeAll(() => {
  keys = generateSigningKeys();
  other = generateSigningKeys();
});

const body = Buffer.from(
  '{"type":"ContactCreate","locationId":"loc1","webhookId":"w1","timestamp":"2026-03-01T12:00:00Z"}',
);
const headers = (entries: Record<string, string>) => new Headers(entries);

describe('signature verification', () => {
  it('accepts Ed25519 first and RSA as the fallback', () => {
    const verify = createSignatureVerifier({ ed25519: keys.ed25519.publicPem, rsa: keys.rsa.publicPem });
    const ed = signEd25519(body, keys.ed25519.privateKey);
    const rsa = signRsa(body, keys.rsa.privateKey);
    expect(verify(body, headers({ 'x-ghl-signature': ed, 'x-wh-signature': rsa }))).toEqual({
      ok: true,
      scheme: 'ed25519',
    });
    expect(verify(body, headers({ 'x-wh-signature': rsa }))).toEqual({ ok: true, scheme: 'rsa-sha256' });
    // A wrong Ed25519 signature beside a valid RSA one: the RSA one alone proves GHL sent it.
    const forgedEd = signEd25519(body, other.ed25519.privateKey);
    expect(verify(body, headers({ 'x-ghl-signature': forgedEd, 'x-wh-signature': rsa }))).toEqual({
      ok: true,
      scheme: 'rsa-sha256',
    });
  });

  it('refuses unsigned, malformed, forged and modified bodies', () => {
    const verify = createSignatureVerifier({ ed25519: keys.ed25519.publicPem, rsa: keys.rsa.publicPem });
    expect(verify(body, headers({}))).toEqual({ ok: false, reason: 'unsigned' });
    expect(verify(body, headers({ 'x-ghl-signature': 'not base64!' }))).toEqual({ ok: false, reason: 'malformed' });
    expect(verify(body, headers({ 'x-ghl-signature': Buffer.alloc(12).toString('base64') }))).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verify(body, headers({ 'x-wh-signature': Buffer.alloc(256).toString('base64') }))).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verify(body, headers({ 'x-ghl-signature': signEd25519(body, other.ed25519.privateKey) }))).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verify(body, headers({ 'x-wh-signature': signRsa(body, other.rsa.privateKey) }))).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    const modified = Buffer.from(body.toString().replace('loc1', 'loc2'));
    const sigs = {
      'x-ghl-signature': signEd25519(body, keys.ed25519.privateKey),
      'x-wh-signature': signRsa(body, keys.rsa.privateKey),
    };
    expect(verify(modified, headers(sigs))).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('checks the raw bytes: the same JSON re-serialised does not verify', () => {
    const verify = createSignatureVerifier({ ed25519: keys.ed25519.publicPem });
    const spaced = Buffer.from('{ "type": "ContactCreate", "locationId": "loc1" }');
    const signature = signEd25519(spaced, keys.ed25519.privateKey);
    expect(verify(spaced, headers({ 'x-ghl-signature': signature })).ok).toBe(true);
    const compact = Buffer.from(JSON.stringify(JSON.parse(spaced.toString())));
    expect(verify(compact, headers({ 'x-ghl-signature': signature })).ok).toBe(false);
  });

  it('uses only the schemes it holds a key for', () => {
    const rsaOnly = createSignatureVerifier({ rsa: keys.rsa.publicPem });
    expect(rsaOnly(body, headers({ 'x-ghl-signature': signEd25519(body, keys.ed25519.privateKey) }))).toEqual({
      ok: false,
      reason: 'unsigned',
    });
    expect(rsaOnly(body, headers({ 'x-wh-signature': signRsa(body, keys.rsa.privateKey) })).ok).toBe(true);
  });

  it('reads keys with escaped newlines, and refuses bad or missing keys at creation', () => {
    const escaped = keys.ed25519.publicPem.replace(/\n/g, '\\n');
    const verify = createSignatureVerifier({ ed25519: escaped });
    expect(verify(body, headers({ 'x-ghl-signature': signEd25519(body, keys.ed25519.privateKey) })).ok).toBe(true);

    expect(() => createSignatureVerifier({})).toThrow(/at least one public key/);
    expect(() => createSignatureVerifier({ ed25519: 'nope' })).toThrow(/not a readable PEM/);
    expect(() => createSignatureVerifier({ ed25519: keys.rsa.publicPem })).toThrow(/is a rsa key/);
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => createSignatureVerifier({ rsa: weak })).toThrow(/2048/);
  });
});
