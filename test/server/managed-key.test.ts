// A stored credential the gateway's keys do not open (sealed with a key since dropped from the
// configuration): its API-key callers get UNAUTHENTICATED saying what the operator must do, never
// "Unexpected error.", the other locations keep working, and a restart names it in the log.
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSealer } from '../../src/credentials/crypto.js';
import type { PitCredential } from '../../src/credentials/records.js';
import { sealCredential } from '../../src/credentials/sealed-credential.js';
import { startStack, type Stack } from '../support/stack.js';

const KEY = randomBytes(32).toString('base64');
const VIEWER = '{ viewer { locationId tokenKind } }';
let stack: Stack;
let file: string;
const keys: Record<string, string> = {};

function pit(locationId: string, token: string): PitCredential {
  return { kind: 'pit', locationId, token, scopes: ['contacts.readonly'], status: 'active', updatedAt: Date.now() };
}

beforeAll(async () => {
  stack = await startStack({ managed: true, env: { CREDENTIALS_KEY: KEY } });
  file = stack.credentialsFile ?? '';
  for (const location of stack.sandbox.tokens) {
    await stack.managed!.store.putCredential(pit(location.locationId, location.privateIntegration));
    keys[location.locationId] = (
      await stack.managed!.apiKeys.create({ locationId: location.locationId, scopes: ['contacts.readonly'] })
    ).key;
  }
});
afterAll(() => stack.close());

/** Replaces the location's record with the same credential sealed with a key the gateway lacks. */
async function sealWithLostKey(locationId: string, token: string): Promise<void> {
  const doc = JSON.parse(await readFile(file, 'utf8')) as { credentials: Record<string, unknown> };
  doc.credentials[locationId] = sealCredential(pit(locationId, token), createSealer(randomBytes(32)));
  await writeFile(`${file}.edit`, JSON.stringify(doc), { mode: 0o600 });
  await rename(`${file}.edit`, file);
}

describe('a location whose stored credential does not open', () => {
  it('answers its callers UNAUTHENTICATED naming the fix, and nothing is sent to GHL', async () => {
    const [first, second] = stack.sandbox.tokens;
    const before = await stack.gql<{ viewer: { locationId: string } }>(VIEWER, {}, keys[first!.locationId]);
    expect(before.body.data?.viewer.locationId).toBe(first!.locationId);

    await sealWithLostKey(first!.locationId, first!.privateIntegration);
    stack.sandbox.resetStats();
    const query = `{ contacts(first: 2) { nodes { id } } }`;
    const { status, body } = await stack.gql(query, {}, keys[first!.locationId]);
    expect(status).toBe(401);
    expect(body.errors).toHaveLength(1);
    const [error] = body.errors!;
    expect(error?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'cannot_open' });
    expect(error?.message).toContain(`cannot open the GHL credential of location ${first!.locationId}`);
    expect(error?.message).toContain('CREDENTIALS_PREVIOUS_KEYS');
    expect(error?.message).not.toContain('Unexpected error');
    expect(stack.sandbox.stats().total).toBe(0);

    // The other location's credential opens as before.
    const other = await stack.gql<{ contacts: { nodes: unknown[] } }>(query, {}, keys[second!.locationId]);
    expect(other.body.errors).toBeUndefined();
    expect(other.body.data?.contacts.nodes).toHaveLength(2);
  });

  it('a restart with the same key starts, and names the record and the fix in the log', async () => {
    await stack.close();
    stack = await startStack({ env: { CREDENTIALS_FILE: file, CREDENTIALS_KEY: KEY } });
    const [first] = stack.sandbox.tokens;
    const warning = stack.logs.find((line) => line.includes('configured keys do not open'));
    expect(warning).toContain(`location ${first!.locationId}`);
    expect(warning).toContain('CREDENTIALS_PREVIOUS_KEYS');
    const { status, body } = await stack.gql(VIEWER, {}, keys[first!.locationId]);
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
