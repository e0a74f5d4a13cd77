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
    ['Bearer', 'malformed_header'],
    ['Bearer a b', 'malformed_header'],
    ['Token abcdefabcdefabcdef', 'malformed_header'],
    [`Bearer ${'a'.repeat(5000)}`, 'malformed_token'],
  ])('refuses %j', (header, reason) => {
    const result = parseCaller(new Headers({ authorization: header }), options);
    expect(result).toEqual({ ok: false, failure: { reason } });
  });

  it.each([
    ['no location', { authClass: 'Location', oauthMeta: { scopes: ['contacts.readonly'] } }, ['authClassId'], false],
    ['no scopes claim', { authClass: 'Location', authClassId: 'loc1' }, ['oauthMeta.scopes'], false],
    ['neither', { iat: 1 }, ['authClassId', 'oauthMeta.scopes'], false],
    ['an agency token', { authClass: 'Company', authClassId: 'co1', oauthMeta: { scopes: [] } }, ['authClassId'], true],
  ])('refuses a JWT with %s, naming the missing claims', (_label, claims, missing, company) => {
    expect(parseCaller(headers(jwt(claims)), options)).toEqual({
      ok: false,
      failure: { reason: 'missing_claims', claims: missing, company },
    });
  });

  it('refuses an opaque token without the location header', () => {
    expect(parseCaller(headers('pit-0d6c0b4a-9c1e-4b7e-8f00-123456789abc'), options)).toEqual({
      ok: false,
      failure: { reason: 'missing_location_header' },
    });
  });

  it('refuses a malformed location header', () => {
    const result = parseCaller(
      headers('pit-0d6c0b4a-9c1e-4b7e-8f00-123456789abc', { 'x-ghl-location-id': '../x' }),
      options,
    );
    expect(result).toEqual({ ok: false, failure: { reason: 'malformed_location_header' } });
  });
});
