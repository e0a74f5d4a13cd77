// Replacing a file so that a crash at any moment leaves either the whole old file or the whole new
// one: write a temp file in the same directory (rename is only atomic within one file system),
// fsync it (so its data is on disk before its name is), rename it over the target (atomic on
// POSIX), then fsync the directory (so the rename itself survives a power cut). Without the first
// fsync a crash can leave the new name pointing at an empty or partial file on ext4/xfs; without
// the second, a power cut can roll back to the old file, which is still whole.
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The points between the steps, in order. A test hook that throws (or kills the process) at one of
 * them shows what a crash there leaves behind.
 * - `temp-written`: temp file has the data, not yet fsynced
 * - `temp-synced`: temp file fsynced and closed, not yet renamed
 * - `renamed`: target replaced, directory not yet fsynced
 */
export type WritePoint = 'temp-written' | 'temp-synced' | 'renamed';

export interface AtomicWriteOptions {
  /** Permission bits of the new file; default 0o600 (owner read/write only). */
  mode?: number;
  /** Called at each point; tests use it to simulate a crash. */
  onPoint?: (point: WritePoint) => void | Promise<void>;
}

export async function writeFileAtomic(target: string, data: string, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(target);
  const temp = join(dir, `${tempPrefix(target)}${process.pid}-${randomBytes(6).toString('hex')}`);
  const point = options.onPoint ?? (() => undefined);
  let renamed = false;
  try {
    // "wx": fail rather than follow or truncate something already there. The mode is set at
    // creation, so the data is never readable by others, not even for a moment.
    const handle = await open(temp, 'wx', options.mode ?? 0o600);
    try {
      await handle.writeFile(data, 'utf8');
      await point('temp-written');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await point('temp-synced');
    await rename(temp, target);
    renamed = true;
    await point('renamed');
    await fsyncDirectory(dir);
  } catch (error) {
    // After a real crash the temp file stays; removeStaleTempFiles clears it under the lock.
    if (!renamed) await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * Removes temp files a crashed writer left beside the target. Only safe while holding the file's
 * lock: otherwise another process may be half way through its own write.
 */
export async function removeStaleTempFiles(target: string): Promise<number> {
  const prefix = tempPrefix(target);
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(dirname(target));
  } catch {
    return 0;
  }
  for (const name of names) {
    if (name.startsWith(prefix)) {
      await unlink(join(dirname(target), name)).then(
        () => (removed += 1),
        () => undefined,
      );
    }
  }
  return removed;
}

function tempPrefix(target: string): string {
  return `.${basename(target)}.tmp-`;
}

async function fsyncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch (error) {
    // Some platforms (Windows) cannot open a directory; the rename is all they offer.
    if (isCode(error, 'EISDIR', 'EPERM', 'EACCES')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!isCode(error, 'EINVAL', 'ENOTSUP', 'EPERM', 'EBADF')) throw error;
  } finally {
    await handle.close();
  }
}

export function isCode(error: unknown, ...codes: string[]): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && codes.includes(code);
}

/** An I/O error's code (ENOENT, EACCES, …) for a message, else its text: never a file's contents. */
export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
