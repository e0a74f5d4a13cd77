// The reactive refresh of managed callers: one refresh and one repeat on any 401 for an OAuth
// credential, never a second for one call, and a private integration token never refreshed.
import { describe, expect, it } from 'vitest';
import type { GhlCall, GhlCaller, GhlReply } from '../../src/ghl/call.js';
import { managedSend } from '../../src/credentials/managed-send.js';
import type { AccessGrant, TokenManager } from '../../src/credentials/token-manager.js';

const call: GhlCall = {
  operation: 'contacts.get',
  method: 'GET',
  path: '/contacts/c1',
  version: '2021-07-28',
  access: 'read',
  tags: [],
};
const caller: GhlCaller = { token: '', tenant: 'location:loc1', locationId: 'loc1' };
const unauthorized = (message: string): GhlReply => ({ status: 401, headers: {}, body: { statusCode: 401, message } });
const ok: GhlReply = { status: 200, headers: {}, body: { contact: { id: 'c1' } } };

function harness(kind: AccessGrant['kind'], replies: GhlReply[], refreshed = 'token-2') {
  const sent: string[] = [];
  const rejected: string[] = [];
  const grant = (token: string): AccessGrant => ({ locationId: 'loc1', token, kind, scopes: [], expiresAt: undefined });
  const tokens = {
    accessToken: async () => grant('token-1'),
    rejected: async (_location: string, token: string) => {
      rejected.push(token);
      return grant(refreshed);
    },
  } as unknown as TokenManager;
  const send = managedSend(async (_call, who) => {
    sent.push(who.token);
    return replies.shift() ?? ok;
  }, tokens);
  return { send: () => send(call, caller), sent, rejected };
}

describe('managed send', () => {
  it.each([
    ['Invalid JWT'],
    ['Invalid token: access token is invalid'],
    ['The token is not authorized for this scope.'],
    ['Unauthorized'],
  ])('an OAuth credential: any 401 (%s) refreshes once and repeats the call once', async (message) => {
    const h = harness('oauth', [unauthorized(message)]);
    expect(await h.send()).toBe(ok);
    expect(h.rejected).toEqual(['token-1']);
    expect(h.sent).toEqual(['token-1', 'token-2']);
  });

  it('never a second refresh for one call: the repeat answer stands', async () => {
    const h = harness('oauth', [unauthorized('Invalid JWT'), unauthorized('Invalid JWT')]);
    expect((await h.send()).status).toBe(401);
    expect(h.rejected).toHaveLength(1);
    expect(h.sent).toHaveLength(2);
  });

  it('no repeat when the refresh produced no new token', async () => {
    const h = harness('oauth', [unauthorized('Invalid JWT')], 'token-1');
    expect((await h.send()).status).toBe(401);
    expect(h.sent).toEqual(['token-1']);
  });

  it('a private integration token is never refreshed: a scope 401 passes through, Invalid JWT goes to the token manager', async () => {
    const scope = harness('pit', [unauthorized('The token is not authorized for this scope.')]);
    expect((await scope.send()).status).toBe(401);
    expect(scope.rejected).toEqual([]);
    const revoked = harness('pit', [unauthorized('Invalid JWT')]);
    await revoked.send();
    expect(revoked.rejected).toEqual(['token-1']);
  });

  it('other statuses pass through untouched', async () => {
    const h = harness('oauth', [
      { status: 403, headers: {}, body: { message: 'The token does not have access to this location.' } },
    ]);
    expect((await h.send()).status).toBe(403);
    expect(h.rejected).toEqual([]);
  });
});
