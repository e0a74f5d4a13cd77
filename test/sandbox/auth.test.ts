// Tokens, Version header, scopes and locations, with GHL's exact messages.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { READ_ONLY_SCOPES, mintSandboxToken, verifySandboxToken } from '../../src/sandbox/tokens.js';
import { api, tokensOf } from './helpers.js';

const S = sandboxFixtures.sunrise;
const H = sandboxFixtures.harbor;
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ rateLimit: 0 });
});
afterAll(async () => {
  await sb.close();
});

const contactPath = `/contacts/${S.richContactId}`;

describe('tokens', () => {
  it('prints one entry per location, JWTs shaped like GHL OAuth tokens', () => {
    expect(sb.tokens.map((t) => t.locationId)).toEqual([S.locationId, H.locationId]);
    const t = tokensOf(sb);
    const [header, payload] = t.readOnly
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({
      authClass: 'Location',
      authClassId: S.locationId,
      oauthMeta: { scopes: [...READ_ONLY_SCOPES], client: 'sandbox' },
    });
    expect(payload.exp).toBeGreaterThan(Date.now() / 1000 + 10 * 365 * 86_400);
    expect(t.privateIntegration).toMatch(/^pit-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('are the same on every run, and differ with another secret', async () => {
    const again = await startSandbox({ rateLimit: 0 });
    const other = await startSandbox({ rateLimit: 0, tokenSecret: 'another-secret' });
    try {
      expect(again.tokens).toEqual(sb.tokens);
      expect(other.tokens[0]?.readOnly).not.toBe(sb.tokens[0]?.readOnly);
      expect((await api(other, 'GET', contactPath, { token: tokensOf(sb).readOnly })).status).toBe(401);
    } finally {
      await Promise.all([again.close(), other.close()]);
    }
  });

  it('verifySandboxToken checks signature and expiry', () => {
    const token = mintSandboxToken({ locationId: S.locationId, scopes: ['contacts.readonly'], expiresInSeconds: 60 });
    const now = Math.floor(Date.now() / 1000);
    expect(verifySandboxToken(token, 'ghl-sandbox-local-signing-key', now)?.authClassId).toBe(S.locationId);
    expect(verifySandboxToken(token, 'wrong', now)).toBeUndefined();
    expect(verifySandboxToken(token, 'ghl-sandbox-local-signing-key', now + 61)).toBeUndefined();
  });
});

describe('401', () => {
  const invalid = { statusCode: 401, message: 'Invalid JWT' };
  it.each([
    ['no Authorization header', null],
    ['garbage', 'not-a-token'],
    ['an unknown private integration token', 'pit-00000000-0000-4000-8000-000000000000'],
    ['a tampered JWT', 'x'],
  ])('Invalid JWT for %s', async (_, token) => {
    const value = token === 'x' ? `${tokensOf(sb).readOnly.slice(0, -4)}AAAA` : token;
    const res = await api(sb, 'GET', contactPath, { token: value });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject(invalid);
  });

  it('Invalid JWT for an expired token', async () => {
    const expired = mintSandboxToken({ locationId: S.locationId, scopes: [...READ_ONLY_SCOPES], expiresInSeconds: -1 });
    const res = await api(sb, 'GET', contactPath, { token: expired });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject(invalid);
  });

  it('Invalid JWT for an agency (Company) token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const companyToken = mintSandboxToken({ locationId: S.locationId, scopes: ['contacts.readonly'] });
    const claims = JSON.parse(Buffer.from(companyToken.split('.')[1] ?? '', 'base64url').toString('utf8'));
    claims.authClass = 'Company';
    // Re-signed properly: the class, not the signature, is what is refused.
    const { createHmac } = await import('node:crypto');
    const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const signed = `${input}.${createHmac('sha256', 'ghl-sandbox-local-signing-key').update(input).digest('base64url')}`;
    expect((await api(sb, 'GET', contactPath, { token: signed })).body).toMatchObject(invalid);
  });

  it('version header was not found.', async () => {
    const res = await api(sb, 'GET', contactPath, { version: null });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, message: 'version header was not found.' });
  });

  it('The token is not authorized for this scope.', async () => {
    const scope = { statusCode: 401, message: 'The token is not authorized for this scope.' };
    const readOnly = await api(sb, 'PUT', contactPath, { token: tokensOf(sb).readOnly, body: { city: 'Mesa' } });
    expect(readOnly.status).toBe(401);
    expect(readOnly.body).toMatchObject(scope);
    const pit = await api(sb, 'POST', `${contactPath}/tags`, {
      token: tokensOf(sb).privateIntegration,
      body: { tags: ['x'] },
    });
    expect(pit.body).toMatchObject(scope);
    const calendarsOnly = mintSandboxToken({ locationId: S.locationId, scopes: ['calendars/events.readonly'] });
    expect((await api(sb, 'GET', contactPath, { token: calendarsOnly })).body).toMatchObject(scope);
  });
});

describe('reads with each kind of token', () => {
  it.each(['readOnly', 'readWrite', 'privateIntegration'] as const)('%s can read', async (kind) => {
    const res = await api(sb, 'GET', contactPath, { token: tokensOf(sb)[kind] });
    expect(res.status).toBe(200);
    expect(res.body.contact.id).toBe(S.richContactId);
  });
});

describe('403', () => {
  const forbidden = { statusCode: 403, message: 'The token does not have access to this location.' };
  it("on another location's contact, its sub-resources and its locationId", async () => {
    const harborToken = tokensOf(sb, 1).readWrite;
    for (const [method, path, body] of [
      ['GET', contactPath, undefined],
      ['GET', `${contactPath}/tasks`, undefined],
      ['GET', `${contactPath}/notes/${S.noteIds[0]}`, undefined],
      ['PUT', contactPath, { city: 'Mesa' }],
      ['DELETE', `${contactPath}/tags`, { tags: ['buyer'] }],
      ['GET', `/contacts/?locationId=${S.locationId}`, undefined],
      ['POST', '/contacts/search', { locationId: S.locationId, pageLimit: 1 }],
      ['POST', '/contacts/', { locationId: S.locationId, firstName: 'Intruder' }],
    ] as const) {
      const res = await api(sb, method, path, { token: harborToken, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body).toMatchObject(forbidden);
    }
    // Nothing was changed by the refused write.
    const after = await api(sb, 'GET', contactPath);
    expect(after.body.contact.tags).toContain('buyer');
  });
});

describe('404 and 422 messages', () => {
  it('name the missing record', async () => {
    expect((await api(sb, 'GET', '/contacts/AAAAAAAAAAAAAAAAAAAA')).body).toMatchObject({
      statusCode: 404,
      message: 'Contact not found',
    });
    expect((await api(sb, 'GET', `${contactPath}/tasks/AAAAAAAAAAAAAAAAAAAA`)).body).toMatchObject({
      statusCode: 404,
      message: 'Task not found',
    });
    expect((await api(sb, 'GET', `${contactPath}/notes/AAAAAAAAAAAAAAAAAAAA`)).body).toMatchObject({
      statusCode: 404,
      message: 'Note not found',
    });
    // A task of another contact is not found under this one.
    expect((await api(sb, 'GET', `/contacts/${S.bareContactId}/tasks/${S.taskIds.pending}`)).status).toBe(404);
  });

  it('name each invalid field', async () => {
    const task = await api(sb, 'POST', `${contactPath}/tasks`, { body: { completed: false } });
    expect(task.status).toBe(422);
    expect(task.body.error).toBe('Unprocessable Entity');
    expect(task.body.message).toEqual(
      expect.arrayContaining(['title should not be empty', 'dueDate must be a valid ISO 8601 date string']),
    );
    const tags = await api(sb, 'POST', `${contactPath}/tags`, { body: { tags: ['ok', 7] } });
    expect(tags.body.message).toEqual(['each value in tags must be a string']);
    const update = await api(sb, 'PUT', contactPath, {
      body: { locationId: S.locationId, email: 'nope', dateOfBirth: '31/31/1990' },
    });
    expect(update.body.message).toEqual(
      expect.arrayContaining([
        'property locationId should not exist',
        'email must be an email',
        expect.stringMatching(/^dateOfBirth must be/),
      ]),
    );
  });

  it('unparseable JSON is a 400', async () => {
    const res = await api(sb, 'POST', `${contactPath}/notes`, { body: '{"body": "unterminated' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(typeof res.body.message).toBe('string');
  });

  it('unknown routes are 404 as NestJS answers them', async () => {
    const res = await api(sb, 'GET', '/opportunities/search');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      statusCode: 404,
      message: 'Cannot GET /opportunities/search',
      error: 'Not Found',
    });
  });
});
