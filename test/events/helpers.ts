// Shared pieces of the webhook tests: GHL-like signing keys, event bodies, a temp directory, a
// logger that keeps its lines, and a real Yoga server around the pipeline's plugin.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { createLogger, type Logger } from '../../src/log.js';

export interface SigningKeys {
  ed25519: { privateKey: KeyObject; publicPem: string };
  rsa: { privateKey: KeyObject; publicPem: string };
}

export function generateSigningKeys(): SigningKeys {
  const ed = generateKeyPairSync('ed25519');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    ed25519: { privateKey: ed.privateKey, publicPem: ed.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    rsa: { privateKey: rsa.privateKey, publicPem: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
  };
}

/** Signs the raw body as GHL does: Ed25519 and RSA-SHA256 (PKCS#1 v1.5), both base64. */
export function signEd25519(body: string | Uint8Array, privateKey: KeyObject): string {
  return sign(null, Buffer.from(body), privateKey).toString('base64');
}

export function signRsa(body: string | Uint8Array, privateKey: KeyObject): string {
  return sign('sha256', Buffer.from(body), privateKey).toString('base64');
}

export function ghlHeaders(
  body: string,
  keys: SigningKeys,
  which: 'both' | 'ed25519' | 'rsa' = 'both',
): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (which !== 'rsa') headers['x-ghl-signature'] = signEd25519(body, keys.ed25519.privateKey);
  if (which !== 'ed25519') headers['x-wh-signature'] = signRsa(body, keys.rsa.privateKey);
  return headers;
}

export const T0 = Date.parse('2026-03-01T12:00:00.000Z');

let counter = 0;

/** A GHL-shaped event body; `fields` override or add fields. */
export function eventBody(
  type: string,
  fields: Record<string, unknown> = {},
  at: number = T0,
): Record<string, unknown> {
  counter += 1;
  return {
    type,
    locationId: 'locA0000000000000001',
    id: 'contact0000000000001',
    webhookId: `wh-${counter.toString().padStart(6, '0')}-${Math.random().toString(36).slice(2, 10)}`,
    timestamp: new Date(at).toISOString(),
    ...fields,
  };
}

export async function withTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'events-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger('debug', (line) => lines.push(line)), lines };
}

/** A Yoga server with a trivial schema and the plugin, driven with fetch as the app would be. */
export function yogaWith(plugin: Plugin) {
  return createYoga({
    schema: createSchema({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } }),
    plugins: [plugin],
    logging: false,
  });
}

export type TestYoga = ReturnType<typeof yogaWith>;

export function postWebhook(
  yoga: TestYoga,
  body: string | Uint8Array,
  headers: Record<string, string>,
): Promise<Response> {
  return Promise.resolve(yoga.fetch('http://gateway/webhooks/ghl', { method: 'POST', headers, body }));
}

export interface Clock {
  now: () => number;
  advance: (ms: number) => void;
  set: (ms: number) => void;
}

export function testClock(start: number = T0): Clock {
  let current = start;
  return { now: () => current, advance: (ms) => (current += ms), set: (ms) => (current = ms) };
}
