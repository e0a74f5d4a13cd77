// Gateway API keys: what a frontend presents instead of a GHL token. A key names one location and
// a scope list, and looks like `lpk_<id>_<secret>`: the id (16 hex) finds the record, the secret
// (32 random bytes, base64url) proves possession. Only sha256 of the whole key is stored.
//
// Why a plain sha256 and not bcrypt/scrypt/argon2: those exist to slow down guessing of
// low-entropy, human-chosen passwords. A 256-bit random secret cannot be guessed at any hash
// speed, so a slow hash would only make every request slower. A salt is unneeded for the same
// reason (no two keys share a secret, and precomputed tables over 2^256 inputs do not exist).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiKeyError } from './errors.js';
import { apiKeyIdSchema, locationIdSchema, scopeSchema, type ApiKeyRecord } from './records.js';
import type { CredentialStore } from './store.js';

export const API_KEY_PREFIX = 'lpk_';
const KEY_PATTERN = /^lpk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
/** Compared against when the id is unknown, so every well-formed key costs one comparison. */
const NO_HASH = Buffer.alloc(32);

export type ApiKeyFailure = 'malformed' | 'unknown' | 'revoked' | 'expired';
export type ApiKeyVerification = { ok: true; record: ApiKeyRecord } | { ok: false; reason: ApiKeyFailure };

export interface CreateApiKeyInput {
  locationId: string;
  scopes: readonly string[];
  /** Lifetime from now; undefined or null for a key that does not expire. */
  expiresInMs?: number | null;
  label?: string;
}

export interface IssuedApiKey {
  /** The full key. Shown once: it cannot be recovered from the store. */
  key: string;
  record: ApiKeyRecord;
}

export interface ApiKeys {
  create(input: CreateApiKeyInput): Promise<IssuedApiKey>;
  verify(presented: string): Promise<ApiKeyVerification>;
  /**
   * Issues a successor with the same location, scopes and label, and cuts the old key's expiry to
   * now + overlapMs so both work while clients switch. The new key keeps the old one's lifetime
   * unless `expiresInMs` says otherwise.
   */
  rotate(
    id: string,
    overlapMs: number,
    options?: { expiresInMs?: number | null },
  ): Promise<IssuedApiKey & { previous: ApiKeyRecord }>;
  /** Idempotent: revoking twice keeps the first time. */
  revoke(id: string): Promise<ApiKeyRecord>;
  list(filter?: { locationId?: string }): Promise<ApiKeyRecord[]>;
}

export interface ApiKeysOptions {
  store: CredentialStore;
  now?: () => number;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The id of a well-formed key, or undefined. Cheap: lets a caller log which key was refused. */
export function apiKeyId(presented: string): string | undefined {
  return KEY_PATTERN.exec(presented)?.[1];
}

export function createApiKeys(options: ApiKeysOptions): ApiKeys {
  const { store } = options;
  const now = options.now ?? Date.now;

  async function issue(
    base: { locationId: string; scopes: readonly string[]; label?: string | undefined },
    expiresInMs: number | null | undefined,
  ): Promise<{ key: string; record: ApiKeyRecord }> {
    let id: string;
    do {
      id = randomBytes(8).toString('hex');
    } while ((await store.getApiKey(id)) !== undefined);
    const key = `${API_KEY_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
    const createdAt = now();
    const record: ApiKeyRecord = {
      id,
      locationId: base.locationId,
      scopes: [...base.scopes],
      hash: hashApiKey(key),
      createdAt,
      expiresAt: expiresInMs === undefined || expiresInMs === null ? null : createdAt + expiresInMs,
      revokedAt: null,
    };
    if (base.label !== undefined) record.label = base.label;
    return { key, record };
  }

  async function existing(id: string): Promise<ApiKeyRecord> {
    if (!apiKeyIdSchema.safeParse(id).success)
      throw new ApiKeyError('invalid_input', `"${id.slice(0, 40)}" is not an API key id (16 hex characters).`);
    const record = await store.getApiKey(id);
    if (record === undefined) throw new ApiKeyError('unknown', `No API key with id ${id}.`);
    return record;
  }

  return {
    async create(input) {
      validate(input);
      const issued = await issue(input, input.expiresInMs);
      await store.putApiKeys([issued.record]);
      return issued;
    },

    async verify(presented) {
      const match = KEY_PATTERN.exec(presented);
      if (match?.[1] === undefined) return { ok: false, reason: 'malformed' };
      const record = await store.getApiKey(match[1]);
      const expected = record === undefined ? NO_HASH : Buffer.from(record.hash, 'hex');
      const actual = createHash('sha256').update(presented, 'utf8').digest();
      // Constant time: how long the comparison takes says nothing about how many leading bytes
      // of the hash matched. Both sides are 32 bytes (timingSafeEqual throws otherwise).
      const equal = timingSafeEqual(actual, expected);
      if (record === undefined || !equal) return { ok: false, reason: 'unknown' };
      // Status is only told to someone who holds the secret.
      if (record.revokedAt !== null) return { ok: false, reason: 'revoked' };
      if (record.expiresAt !== null && now() >= record.expiresAt) return { ok: false, reason: 'expired' };
      return { ok: true, record };
    },

    async rotate(id, overlapMs, rotateOptions = {}) {
      if (!Number.isFinite(overlapMs) || overlapMs < 0)
        throw new ApiKeyError('invalid_input', 'The overlap must be zero or more milliseconds.');
      const old = await existing(id);
      if (old.revokedAt !== null)
        throw new ApiKeyError('revoked', `API key ${id} is revoked; create a new key instead.`);
      if (old.expiresAt !== null && now() >= old.expiresAt)
        throw new ApiKeyError('expired', `API key ${id} has expired; create a new key instead.`);
      if (old.replacedBy !== undefined) {
        throw new ApiKeyError(
          'invalid_input',
          `API key ${id} was already rotated to ${old.replacedBy}; rotate that one instead.`,
        );
      }
      const lifetime =
        'expiresInMs' in rotateOptions
          ? rotateOptions.expiresInMs
          : old.expiresAt === null
            ? null
            : old.expiresAt - old.createdAt;
      if (lifetime !== undefined && lifetime !== null && (!Number.isFinite(lifetime) || lifetime <= 0)) {
        throw new ApiKeyError('invalid_input', "The new key's lifetime must be more than zero.");
      }
      const issued = await issue(old, lifetime);
      const overlapEnd = now() + overlapMs;
      const previous: ApiKeyRecord = {
        ...old,
        expiresAt: old.expiresAt === null ? overlapEnd : Math.min(old.expiresAt, overlapEnd),
        replacedBy: issued.record.id,
      };
      // One write for both: a crash cannot leave a successor without the old key's new expiry.
      await store.putApiKeys([previous, issued.record]);
      return { ...issued, previous };
    },

    async revoke(id) {
      await existing(id);
      const record = await store.revokeApiKey(id, now());
      if (record === undefined) throw new ApiKeyError('unknown', `No API key with id ${id}.`);
      return record;
    },

    list(filter) {
      return store.listApiKeys(filter);
    },
  };
}

function validate(input: CreateApiKeyInput): void {
  if (!locationIdSchema.safeParse(input.locationId).success) {
    throw new ApiKeyError('invalid_input', 'The location must be a GHL location id (letters, digits, - and _).');
  }
  if (input.scopes.length === 0) throw new ApiKeyError('invalid_input', 'An API key needs at least one scope.');
  const bad = input.scopes.find((scope) => !scopeSchema.safeParse(scope).success);
  if (bad !== undefined)
    throw new ApiKeyError('invalid_input', `"${bad.slice(0, 100)}" is not a scope name like contacts.readonly.`);
  const ttl = input.expiresInMs;
  if (ttl !== undefined && ttl !== null && (!Number.isFinite(ttl) || ttl <= 0)) {
    throw new ApiKeyError('invalid_input', 'The lifetime must be more than zero.');
  }
  if (input.label !== undefined && input.label.length > 200)
    throw new ApiKeyError('invalid_input', 'The label is longer than 200 characters.');
}
