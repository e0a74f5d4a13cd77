// The embedded credential store: one JSON file (mode 0600) holding every location's credential and
// every agency grant, secrets sealed, and every API key record (hashes only). Writes are read-modify-write under a
// lock file (so the CLI and the gateway can both change it), serialized within the process by a
// promise chain, and replace the file atomically and durably (atomic-file.ts). Reads use an
// in-memory copy that is reloaded when the file's identity (inode, size, times) changes, so a
// change made by the other process is seen on the next call. The file names the key it belongs to
// (key-check.ts): a store whose keys do not open the file never writes to it.
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { codeOf, isCode, removeStaleTempFiles, writeFileAtomic, type WritePoint } from '../storage/atomic-file.js';
import { sealedSecretSchema, type Sealer } from './crypto.js';
import { CredentialStoreError, keyMismatchMessage, UnsealError } from './errors.js';
import { checkContents, opensKeyCheck, sealKeyCheck } from './key-check.js';
import { acquireFileLock, type FileLockOptions } from '../storage/file-lock.js';
import {
  apiKeyRecordSchema,
  companyGrantSchema,
  credentialSchema,
  summarize,
  type CompanyGrant,
  type Credential,
} from './records.js';
import {
  openCompanyGrant,
  openCredential,
  sealCompanyGrant,
  sealCredential,
  storedCompanyGrantSchema,
  storedCredentialSchema,
  type StoredCompanyGrant,
  type StoredCredential,
} from './sealed-credential.js';
import type { CredentialStore, RemovedLocation } from './store.js';

const documentSchema = z
  .object({
    version: z.literal(1),
    // Added after version 1 shipped; a file written before has none until its next write.
    keyCheck: sealedSecretSchema.optional(),
    credentials: z.record(z.string(), storedCredentialSchema),
    // Added after version 1 shipped; a file written before has none.
    companies: z.record(z.string(), storedCompanyGrantSchema).default({}),
    apiKeys: z.record(z.string(), apiKeyRecordSchema),
  })
  .superRefine((doc, ctx) => {
    // Records are keyed by their own id; a mismatch means the file was edited by hand.
    for (const [key, credential] of Object.entries(doc.credentials)) {
      if (key !== credential.locationId)
        ctx.addIssue({ code: 'custom', path: ['credentials', key], message: 'key does not match locationId' });
    }
    for (const [key, grant] of Object.entries(doc.companies)) {
      if (key !== grant.companyId)
        ctx.addIssue({ code: 'custom', path: ['companies', key], message: 'key does not match companyId' });
    }
    for (const [key, record] of Object.entries(doc.apiKeys)) {
      if (key !== record.id) ctx.addIssue({ code: 'custom', path: ['apiKeys', key], message: 'key does not match id' });
    }
  });
type StoredDocument = z.infer<typeof documentSchema>;

export interface FileCredentialStoreOptions {
  /** The JSON file; its directory is created (mode 0700) when missing. */
  path: string;
  sealer: Sealer;
  /** Lock file options, or false when one process alone ever opens the file (tests). */
  lock?: FileLockOptions | false;
  /** Called between the steps of every write; tests throw here to simulate a crash. */
  onWritePoint?: (point: WritePoint) => void | Promise<void>;
  /** How messages name the key and the CLI when the key does not open the file. */
  keyLabel?: string;
  cli?: string;
}

export function createFileCredentialStore(options: FileCredentialStoreOptions): CredentialStore {
  const { path, sealer } = options;
  const lockPath = `${path}.lock`;
  const keyLabel = options.keyLabel ?? 'CREDENTIALS_KEY';
  const cli = options.cli ?? 'npm run credentials --';
  let cache: { identity: string; doc: StoredDocument } | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  async function load(): Promise<StoredDocument> {
    const identity = await fileIdentity(path);
    if (cache !== undefined && cache.identity === identity) return cache.doc;
    const doc = identity === ABSENT ? emptyDocument() : await readDocument(path);
    cache = { identity, doc };
    return doc;
  }

  /**
   * Refuses to write into a file the configured keys do not open: values sealed with two unrelated
   * keys in one file would leave whichever key is kept unable to open the rest. One decrypt when
   * the file has its check value; a legacy file without one is judged by its records.
   */
  function assertKeyOpens(doc: StoredDocument): void {
    if (doc.keyCheck !== undefined && opensKeyCheck(doc.keyCheck, sealer)) return;
    const check = checkContents(doc, sealer);
    if (check.verdict !== 'wrong_key') return;
    throw new CredentialStoreError(
      'wrong_key',
      keyMismatchMessage({ file: path, keyLabel, cli, sealedWith: check.sealedWith, configured: check.configured }),
    );
  }

  /**
   * One read-modify-write; `change` edits the draft and says whether anything changed. Every write
   * also seals the file's key check with the current key (after a rotation, the first write moves
   * it to the new key). `startOver` skips the key guard: it is how a file is handed to a new key.
   */
  function mutate<T>(
    change: (draft: StoredDocument) => { result: T; changed: boolean },
    { startOver = false }: { startOver?: boolean } = {},
  ): Promise<T> {
    const run = chain.then(async () => {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 }).catch((error: unknown) => {
        throw new CredentialStoreError('io', `Cannot create the directory of ${path}: ${codeOf(error)}`, {
          cause: error,
        });
      });
      const release = options.lock === false ? async () => undefined : await acquireFileLock(lockPath, options.lock);
      try {
        if (options.lock !== false) await removeStaleTempFiles(path);
        const draft = structuredClone(await load());
        if (!startOver) assertKeyOpens(draft);
        const { result, changed } = change(draft);
        if (changed) {
          if (draft.keyCheck?.kid !== sealer.keyId || startOver) draft.keyCheck = sealKeyCheck(sealer);
          try {
            await writeFileAtomic(path, `${JSON.stringify(draft, null, 2)}\n`, {
              mode: 0o600,
              onPoint: options.onWritePoint,
            });
          } catch (error) {
            // The cache is left as it was: the next load compares identities and reads whatever
            // the file really holds now, old or new.
            throw new CredentialStoreError('io', `Cannot write ${path}: ${codeOf(error)}`, { cause: error });
          }
          cache = { identity: await fileIdentity(path), doc: draft };
        }
        return result;
      } finally {
        await release();
      }
    });
    // A failed write must not stop the writes queued behind it.
    chain = run.catch(() => undefined);
    return run;
  }

  function open(stored: StoredCredential): Credential {
    try {
      return openCredential(stored, sealer);
    } catch (error) {
      if (error instanceof UnsealError) {
        throw new CredentialStoreError(
          'unseal',
          `Cannot open the credential of location ${stored.locationId}: ${error.message}`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  function openCompany(stored: StoredCompanyGrant): CompanyGrant {
    try {
      return openCompanyGrant(stored, sealer);
    } catch (error) {
      if (error instanceof UnsealError) {
        throw new CredentialStoreError(
          'unseal',
          `Cannot open the agency grant of company ${stored.companyId}: ${error.message}`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  return {
    async getCredential(locationId) {
      const stored = own((await load()).credentials, locationId);
      return stored === undefined ? undefined : open(stored);
    },
    async putCredential(credential) {
      const sealed = sealCredential(credentialSchema.parse(credential), sealer);
      await mutate((draft) => {
        draft.credentials[credential.locationId] = sealed;
        return { result: undefined, changed: true };
      });
    },
    removeCredential(locationId) {
      return mutate((draft) => {
        const had = own(draft.credentials, locationId) !== undefined;
        delete draft.credentials[locationId];
        return { result: had, changed: had };
      });
    },
    async listCredentials() {
      const doc = await load();
      // Summaries are built from the sealed records, field by field; a record is opened only to
      // learn whether it opens, and what it opened is dropped at once.
      return Object.values(doc.credentials)
        .map((stored) => {
          const summary = summarize(stored);
          try {
            openCredential(stored, sealer);
          } catch (error) {
            if (!(error instanceof UnsealError)) throw error;
            return { ...summary, status: 'cannot_open' as const, statusReason: error.message };
          }
          return summary;
        })
        .sort((a, b) => a.locationId.localeCompare(b.locationId));
    },
    async checkKey() {
      return checkContents(await load(), sealer);
    },
    async recordKey() {
      await mutate((draft) => ({ result: undefined, changed: draft.keyCheck?.kid !== sealer.keyId }));
    },
    startOver() {
      return mutate(
        (draft) => {
          const check = checkContents(draft, sealer);
          const removed = { locations: [] as string[], companies: [] as string[] };
          for (const record of check.unopenable) {
            if (record.kind === 'location') {
              delete draft.credentials[record.id];
              removed.locations.push(record.id);
            } else {
              delete draft.companies[record.id];
              removed.companies.push(record.id);
            }
          }
          return { result: removed, changed: true };
        },
        { startOver: true },
      );
    },
    async getCompanyGrant(companyId) {
      const stored = own((await load()).companies, companyId);
      return stored === undefined ? undefined : openCompany(stored);
    },
    async putCompanyGrant(grant) {
      const sealed = sealCompanyGrant(companyGrantSchema.parse(grant), sealer);
      await mutate((draft) => {
        draft.companies[grant.companyId] = sealed;
        return { result: undefined, changed: true };
      });
    },
    removeCompanyGrant(companyId) {
      return mutate((draft) => {
        const had = own(draft.companies, companyId) !== undefined;
        delete draft.companies[companyId];
        return { result: had, changed: had };
      });
    },
    async getApiKey(id) {
      const record = own((await load()).apiKeys, id);
      return record === undefined ? undefined : structuredClone(record);
    },
    async putApiKeys(records) {
      const copies = records.map((record) => apiKeyRecordSchema.parse(record));
      await mutate((draft) => {
        for (const record of copies) draft.apiKeys[record.id] = record;
        return { result: undefined, changed: copies.length > 0 };
      });
    },
    async listApiKeys(filter = {}) {
      const doc = await load();
      return Object.values(doc.apiKeys)
        .filter((record) => filter.locationId === undefined || record.locationId === filter.locationId)
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
        .map((record) => structuredClone(record));
    },
    revokeApiKey(id, at) {
      return mutate((draft) => {
        const record = own(draft.apiKeys, id);
        if (record === undefined) return { result: undefined, changed: false };
        if (record.revokedAt !== null) return { result: structuredClone(record), changed: false };
        record.revokedAt = at;
        return { result: structuredClone(record), changed: true };
      });
    },
    removeLocation(locationId) {
      return mutate((draft) => {
        const removed: RemovedLocation = { credential: own(draft.credentials, locationId) !== undefined, apiKeys: 0 };
        delete draft.credentials[locationId];
        for (const [id, record] of Object.entries(draft.apiKeys)) {
          if (record.locationId === locationId) {
            delete draft.apiKeys[id];
            removed.apiKeys += 1;
          }
        }
        return { result: removed, changed: removed.credential || removed.apiKeys > 0 };
      });
    },
  };
}

const ABSENT = 'absent';

function emptyDocument(): StoredDocument {
  return { version: 1, credentials: {}, companies: {}, apiKeys: {} };
}

/** Every write renames a new inode into place, so the inode alone already tells writes apart. */
async function fileIdentity(path: string): Promise<string> {
  try {
    const s = await stat(path, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (error) {
    if (isCode(error, 'ENOENT')) return ABSENT;
    throw new CredentialStoreError('io', `Cannot read ${path}: ${codeOf(error)}`, { cause: error });
  }
}

async function readDocument(path: string): Promise<StoredDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return emptyDocument();
    throw new CredentialStoreError('io', `Cannot read ${path}: ${codeOf(error)}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Never overwrite a file we cannot read: it may hold the only copy of a refresh token.
    throw new CredentialStoreError('corrupt', `${path} is not valid JSON; it was left untouched.`);
  }
  const parsed = documentSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new CredentialStoreError(
      'corrupt',
      `${path} is not a credentials file (${problems.join('; ')}); it was left untouched.`,
    );
  }
  return parsed.data;
}

/** Own properties only: "constructor" or "__proto__" must never find something on a plain object. */
function own<T>(records: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(records, key) ? records[key] : undefined;
}
