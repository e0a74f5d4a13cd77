import { describe, expect, it } from 'vitest';
import { parseCaller } from '../../src/auth/caller.js';

const jwt = (claims: Record<string, unknown>) =>
  [
    'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9',
    Buffer.from(JSON.stringify(claims)).toString('base64url'),
    'c2lnbmF0dXJl',
  ].join('.');
const headers = (token: string, extra: Record<string, string> = {}) =>
  new Headers({ authorization: `Bearer ${token}`, ...extra });
const options = { opaqueTokenScopes: ['contacts.readonly'] };

describe('parseCaller', () => {
  it('reads location and scopes from a GHL OAuth JWT', () => {
    const result = parseCaller(
      headers(
        jwt({
          authClass: 'Location',
          authClassId: 'loc123',
          oauthMeta: { scopes: ['contacts.readonly', 'contacts.write'] },
        }),
      ),
      options,
    );
    expect(result).toMatchObject({
      ok: true,
      caller: { locationId: 'loc123', canRead: true, canWrite: true, kind: 'oauth-jwt' },
    });
  });

  it('keys the tenant by the token, not by its claims', () => {
    const claims = { authClass: 'Location', authClassId: 'loc123', oauthMeta: { scopes: ['contacts.readonly'] } };
    const a = parseCaller(headers(jwt({ ...claims, iat: 1 })), options);
    const b = parseCaller(headers(jwt({ ...claims, iat: 2 })), options);
    expect(a.ok && b.ok && a.caller.tenant !== b.caller.tenant).toBe(true);
    expect(a.ok && a.caller.tenant).not.toContain('loc123');
  });

  it('treats an opaque token as read-only unless configured, with the location header', () => {
    const result = parseCaller(
      headers('pit-0d6c0b4a-9c1e-4b7e-8f00-123456789abc', { 'x-ghl-location-id': 'loc9' }),
      options,
    );
    expect(result).toMatchObject({
      ok: true,
      caller: { kind: 'opaque', locationId: 'loc9', canRead: true, canWrite: false },
    });
  });

  it('ignores the location header for a location JWT', () => {
    const result = parseCaller(
      headers(jwt({ authClass: 'Location', authClassId: 'locA', oauthMeta: { scopes: [] } }), {
        'x-ghl-location-id': 'locB',
      }),
      options,
    );
    expect(result.ok && result.caller.locationId).toBe('locA');
  });

  it.each([
    ['Bearer', 'Malformed'],
    ['Bearer a b', 'Malformed'],
    ['Token abcdefabcdefabcdef', 'Malformed'],
    [`Bearer ${'a'.repeat(5000)}`, 'Malformed'],
  ])('refuses %j', (header, reason) => {
    const result = parseCaller(new Headers({ authorization: header }), options);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('refuses a malformed location header', () => {
    const result = parseCaller(
      headers('pit-0d6c0b4a-9c1e-4b7e-8f00-123456789abc', { 'x-ghl-location-id': '../x' }),
      options,
    );
    expect(result.ok).toBe(false);
  });
});
