import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/server/config.js';
import { DEFAULT_MARKETPLACE_URL, loadCredentialsConfig } from '../../src/credentials/config.js';
import { formatDuration, parseDuration } from '../../src/credentials/duration.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadCredentialsConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('credentials configuration', () => {
  it('has defaults and no OAuth without a client', () => {
    const config = loadCredentialsConfig({});
    expect(config).toEqual({
      file: '.data/credentials.json',
      keys: undefined,
      oauth: undefined,
      refreshMarginMs: 300_000,
    });
  });

  it('reads everything', () => {
    const key = randomBytes(32);
    const old = randomBytes(32);
    const config = loadCredentialsConfig({
      CREDENTIALS_FILE: '/var/lib/gw/c.json',
      CREDENTIALS_KEY: key.toString('hex'),
      CREDENTIALS_PREVIOUS_KEYS: old.toString('base64'),
      GHL_CLIENT_ID: 'id',
      GHL_CLIENT_SECRET: 'secret',
      OAUTH_REDIRECT_URI: 'https://gw.example/oauth/callback',
      OAUTH_SCOPES: 'contacts.readonly, contacts.write',
      TOKEN_REFRESH_MARGIN_MS: '10m',
    });
    expect(config.keys?.kind === 'env' && config.keys.current.equals(key)).toBe(true);
    expect(config.keys?.previous.map((k) => k.equals(old))).toEqual([true]);
    expect(config.oauth).toEqual({
      clientId: 'id',
      clientSecret: 'secret',
      redirectUri: 'https://gw.example/oauth/callback',
      scopes: ['contacts.readonly', 'contacts.write'],
      marketplaceUrl: DEFAULT_MARKETPLACE_URL,
      timeoutMs: 10_000,
    });
    expect(config.refreshMarginMs).toBe(600_000);
  });

  it('names every bad value together and never echoes a secret', () => {
    const found = problems({
      CREDENTIALS_KEY: 'hunter2-is-not-a-key',
      CREDENTIALS_PREVIOUS_KEYS: 'also-not-a-key',
      GHL_CLIENT_SECRET: 'the-client-secret',
      OAUTH_SCOPES: 'contacts readonly!',
      TOKEN_REFRESH_MARGIN_MS: 'soon',
      GHL_MARKETPLACE_URL: 'not a url',
    });
    const text = found.join('\n');
    expect(text).toMatch(/CREDENTIALS_KEY must be 32 random bytes/);
    expect(text).toMatch(/CREDENTIALS_PREVIOUS_KEYS key #1/);
    expect(text).toMatch(/GHL_CLIENT_ID is required when GHL_CLIENT_SECRET is set/);
    expect(text).toMatch(/OAUTH_REDIRECT_URI is required/);
    expect(text).toMatch(/OAUTH_SCOPES/);
    expect(text).toMatch(/TOKEN_REFRESH_MARGIN_MS must be a duration.*\(got "soon"\)/);
    expect(text).toMatch(/GHL_MARKETPLACE_URL must be a URL/);
    for (const secret of ['hunter2', 'also-not-a-key', 'the-client-secret']) expect(text).not.toContain(secret);
  });
});

describe('CREDENTIALS_KEY=local', () => {
  it('names the key file beside the credentials file', () => {
    expect(loadCredentialsConfig({ CREDENTIALS_KEY: 'local' }).keys).toEqual({
      kind: 'local',
      file: '.data/credentials.key',
      previous: [],
    });
    expect(
      loadCredentialsConfig({ CREDENTIALS_KEY: 'local', CREDENTIALS_FILE: '/srv/gw/store.json' }).keys,
    ).toMatchObject({ kind: 'local', file: '/srv/gw/store.key' });
  });

  it('is refused against real GHL, with what to do instead', () => {
    const text = problems({ CREDENTIALS_KEY: 'local', GHL_BASE_URL: 'https://services.leadconnectorhq.com' }).join(
      '\n',
    );
    expect(text).toMatch(/CREDENTIALS_KEY=local .* for the embedded sandbox only/);
    expect(text).toMatch(/secret manager \(openssl rand -base64 32\)/);
  });
});

describe('durations', () => {
  it.each([
    ['90d', 90 * 86_400_000],
    ['24h', 86_400_000],
    ['15m', 900_000],
    ['30s', 30_000],
    ['500ms', 500],
    ['1500', 1500],
    ['1.5h', 5_400_000],
    ['2w', 1_209_600_000],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '-1h', '1y', 'h'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats', () => {
    expect([
      formatDuration(90 * 86_400_000),
      formatDuration(3_600_000 * 36),
      formatDuration(59_000),
      formatDuration(5),
    ]).toEqual(['90d', '1d', '59s', '5ms']);
  });
});
