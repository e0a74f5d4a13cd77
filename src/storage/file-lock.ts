// A lock file beside the credentials file, so that the gateway and the CLI (two processes) never
// interleave a read-modify-write: without it, the CLI could load the file, the gateway could
// store a freshly refreshed grant, and the CLI's write would then put back the spent refresh
// token, breaking the install for good. The lock is held only for one read-modify-write
// (milliseconds), never across a network call.
import { randomBytes } from 'node:crypto';
import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { isCode } from './atomic-file.js';
import { CredentialStoreError } from '../credentials/errors.js';
import { errorMessage } from '../log.js';

export interface FileLockOptions {
  /** How long to wait for another holder; default 5 s. */
  timeoutMs?: number;
  /** A lock older than this is a crashed holder's, whatever its pid; default 30 s. */
  staleMs?: number;
  retryMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  at: number;
}

/** Resolves a release function once the lock is held. */
export async function acquireFileLock(lockPath: string, options: FileLockOptions = {}): Promise<() => Promise<void>> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const staleMs = options.staleMs ?? 30_000;
  const retryMs = options.retryMs ?? 20;
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    token: randomBytes(8).toString('hex'),
    at: Date.now(),
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      // "wx" is the atomic test-and-set: exactly one process creates the file.
      await writeFile(lockPath, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
      return () => release(lockPath, owner.token);
    } catch (error) {
      if (!isCode(error, 'EEXIST')) {
        throw new CredentialStoreError('io', `Cannot create the lock file ${lockPath}: ${errorMessage(error)}`, {
          cause: error,
        });
      }
    }
    const holder = await inspect(lockPath, staleMs);
    if (holder.stale) {
      // Two processes may both judge the same lock stale; the "wx" create above still lets only
      // one of them in, so the worst case is one extra retry.
      await unlink(lockPath).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new CredentialStoreError(
        'locked',
        `The credentials file is locked by ${holder.description} (waited ${timeoutMs} ms). ` +
          `If no gateway or CLI is running, delete ${lockPath}.`,
      );
    }
    await delay(retryMs);
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  // Only remove our own lock: if ours was judged stale and taken over, the file is someone else's.
  try {
    const owner = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<LockOwner>;
    if (owner.token === token) await unlink(lockPath);
  } catch {
    // Already gone, or not ours: nothing to release.
  }
}

async function inspect(lockPath: string, staleMs: number): Promise<{ stale: boolean; description: string }> {
  let ageMs: number;
  let text: string;
  try {
    ageMs = Date.now() - (await stat(lockPath)).mtimeMs;
    text = await readFile(lockPath, 'utf8');
  } catch (error) {
    // Released between our create and our look: not stale, just retry.
    if (isCode(error, 'ENOENT')) return { stale: false, description: 'a process that just released it' };
    throw new CredentialStoreError('io', `Cannot read the lock file ${lockPath}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  let owner: Partial<LockOwner> | undefined;
  try {
    owner = JSON.parse(text) as Partial<LockOwner>;
  } catch {
    owner = undefined;
  }
  if (owner === undefined || typeof owner.pid !== 'number') {
    // A holder writes its name right after creating the file; an unreadable lock that is not
    // brand new belongs to a process that died in between.
    return { stale: ageMs > 2_000, description: 'an unknown process' };
  }
  const description = `process ${owner.pid} on ${owner.host ?? 'an unknown host'}`;
  if (ageMs > staleMs) return { stale: true, description };
  if (owner.host === hostname() && !isAlive(owner.pid)) return { stale: true, description };
  return { stale: false, description };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return isCode(error, 'EPERM');
  }
}
