// Closing the append log: what was queued before close() lands and is acknowledged, what is offered
// after it is refused and never reaches the disk, and no file handle outlives close().
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppendLog } from '../../src/storage/append-log.js';

async function tempFile(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'append-log-')), 'log.jsonl');
}

/** Open file descriptors of this process (Linux); undefined where /proc is missing. */
function openFds(): number | undefined {
  return existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : undefined;
}

describe('append log close', () => {
  it('finishes the appends queued before close and refuses those offered after it', async () => {
    const file = await tempFile();
    const log = await AppendLog.create(file, '');
    const before = log.append('a\n');
    const closing = log.close();
    const refused = [log.append('b\n'), log.rewrite(() => 'c\n')].map((offered) =>
      offered.then(() => 'stored', String),
    );
    await expect(before).resolves.toBeUndefined();
    expect(await Promise.all(refused)).toEqual([
      expect.stringMatching(/is closed/),
      expect.stringMatching(/is closed/),
    ]);
    await closing;
    expect(await readFile(file, 'utf8')).toBe('a\n');
  });

  it('a second close waits for the same drain, and no handle is left open', async () => {
    const file = await tempFile();
    const fdsBefore = openFds();
    const log = await AppendLog.create(file, 'x\n');
    const appends = Array.from({ length: 20 }, (_, i) => log.append(`${i}\n`));
    // A compaction queued among the appends replaces the file and reopens it before close.
    const compacted = log.rewrite(() => 'snapshot\n');
    const more = log.append('tail\n');
    let firstClosed = false;
    const first = log.close().then(() => (firstClosed = true));
    await log.close();
    expect(firstClosed).toBe(true);
    await Promise.all([...appends, compacted, more, first]);
    expect(await readFile(file, 'utf8')).toBe('snapshot\ntail\n');
    if (fdsBefore !== undefined) expect(openFds()).toBe(fdsBefore);
  });
});
