import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.js';

describe('configuration', () => {
  it('runs with nothing configured: sandbox mode on port 4000', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(4000);
    expect(config.GHL_BASE_URL).toBeUndefined();
    expect(config.OPAQUE_TOKEN_SCOPES).toEqual(['contacts.readonly']);
  });

  it('reports every bad value by name in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', GHL_BASE_URL: 'services.leadconnectorhq.com', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT must be a number \(got "eighty"\)/);
    expect(problems).toMatch(/GHL_BASE_URL must be a URL/);
    expect(problems).toMatch(/LOG_LEVEL/);
  });

  it('reads scopes for opaque tokens', () => {
    expect(loadConfig({ OPAQUE_TOKEN_SCOPES: 'contacts.readonly contacts.write' }).OPAQUE_TOKEN_SCOPES).toEqual([
      'contacts.readonly',
      'contacts.write',
    ]);
  });
});
