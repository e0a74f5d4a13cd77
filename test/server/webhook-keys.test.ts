// Against the real GHL (GHL_BASE_URL set) the webhook receiver is always on and checks Ed25519 with
// GHL's published key unless configured otherwise; an RSA key is only ever a fallback. The
// sandbox stands in for GHL's API here; the webhooks are signed by keys this test makes.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCredentialsConfig } from '../../src/credentials/config.js';
import { createLogger } from '../../src/log.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { loadConfig } from '../../src/server/config.js';
import { startGateway, type Gateway } from '../../src/server/start-gateway.js';
import { generateSigningKeys, ghlHeaders } from '../events/helpers.js';

const keys = generateSigningKeys();
const open: Array<{ gateway: Gateway; sandbox: Sandbox }> = [];
afterEach(async () => {
  for (const { gateway, sandbox } of open.splice(0)) {
    gateway.server.closeAllConnections();
    await new Promise<void>((resolve) => gateway.server.close(() => resolve()));
    await gateway.close();
    await sandbox.close();
  }
});

async function onRealGhl(env: Record<string, string> = {}): Promise<Gateway> {
  const sandbox = await startSandbox({ rateLimit: 0 });
  const config = loadConfig({
    GHL_BASE_URL: sandbox.url,
    PORT: '0',
    LOG_LEVEL: 'silent',
    EVENTS_DIR: await mkdtemp(path.join(tmpdir(), 'webhook-keys-')),
    ...env,
  });
  const gateway = await startGateway({
    config,
    credentials: loadCredentialsConfig({}),
    logger: createLogger('silent'),
  });
  open.push({ gateway, sandbox });
  return gateway;
}

const body = JSON.stringify({ type: 'ContactCreate', locationId: 'locA0000000000000001', id: 'contact0000000000001' });

async function post(gateway: Gateway, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${gateway.baseUrl}/webhooks/ghl`, { method: 'POST', body, headers });
  return response.status;
}

describe('webhook keys against the real GHL', () => {
  it("verifies with GHL's published Ed25519 key by default: another key's signature is refused", async () => {
    const gateway = await onRealGhl();
    expect(await post(gateway, ghlHeaders(body, keys, 'ed25519'))).toBe(401);
  });

  it('takes the configured Ed25519 key', async () => {
    const gateway = await onRealGhl({ GHL_WEBHOOK_ED25519_PUBLIC_KEY: keys.ed25519.publicPem });
    expect(await post(gateway, ghlHeaders(body, keys, 'ed25519'))).toBe(200);
  });

  it('a configured RSA key is a fallback for the legacy header, beside Ed25519, not instead of it', async () => {
    const gateway = await onRealGhl({ GHL_WEBHOOK_RSA_PUBLIC_KEY: keys.rsa.publicPem });
    expect(await post(gateway, ghlHeaders(body, keys, 'rsa'))).toBe(200);
    expect(gateway.events).toBeDefined();
    // The Ed25519 check is still GHL's key: this test's Ed25519 signature alone is refused.
    const other = JSON.stringify({
      type: 'ContactUpdate',
      locationId: 'locA0000000000000001',
      id: 'contact0000000000001',
    });
    const response = await fetch(`${gateway.baseUrl}/webhooks/ghl`, {
      method: 'POST',
      body: other,
      headers: ghlHeaders(other, keys, 'ed25519'),
    });
    expect(response.status).toBe(401);
  });
});
