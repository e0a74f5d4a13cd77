// The ledger on disk: what was acknowledged survives a reopen, a torn last line is skipped, a
// failed append leaves memory unchanged and the file whole, retention and run history are bounded.
import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  openLedger as openLedgerFile,
  type Ledger,
  type LedgerEntry,
  type LedgerOptions,
  type RunRecord,
} from '../../src/automation/ledger.js';

// Every ledger a test opens is closed after it, even when an assertion fails first: a ledger left
// open holds its file handle until garbage collection, which Node warns about (DEP0137).
const opened: Ledger[] = [];
async function openLedger(options: LedgerOptions): Promise<Ledger> {
  const ledger = await openLedgerFile(options);
  opened.push(ledger);
  return ledger;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((ledger) => ledger.close()));
});

async function tempFile(): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'automation-ledger-')), 'sub', 'ledger.jsonl');
}

function entry(key: string, over: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    key,
    ruleId: 'r',
    webhookId: 'w',
    eventType: 'ContactCreate',
    locationId: 'L1',
    contactId: 'c1',
    state: 'started',
    marker: `[automation ${key}]`,
    task: { title: 'T', body: 'B', dueDate: '2026-01-01T00:00:00.000Z' },
    attempts: 0,
    sticky: false,
    updatedAt: 1_000,
    ...over,
  };
}
function run(locationId: string, n: number): RunRecord {
  return {
    ruleId: 'r',
    webhookId: `w${n}`,
    eventType: 'ContactCreate',
    locationId,
    status: 'created',
    at: new Date(n).toISOString(),
  };
}

describe('automation ledger', () => {
  it('keeps what was written across a reopen, and skips a torn last line', async () => {
    const file = await tempFile();
    const first = await openLedger({ file, now: () => 2_000 });
    await first.write({ entry: entry('a') });
    await first.write({ entry: entry('a', { state: 'done', taskId: 't1' }), run: run('L1', 1) });
    await first.write({ entry: entry('b') });
    await first.close();
    await appendFile(file, '{"entry":{"key":"c","ruleId"'); // a crash mid-append

    const second = await openLedger({ file, now: () => 2_000 });
    expect(second.get('a')).toMatchObject({ state: 'done', taskId: 't1' });
    expect(second.get('b')?.state).toBe('started');
    expect(second.get('c')).toBeUndefined();
    expect(second.runs.list({ locationId: 'L1' })).toHaveLength(1);
    // The reopen rewrote the file: every line parses again, so later appends are safe.
    await second.write({ entry: entry('d') });
    await second.close();
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toHaveLength(4);
  });

  it('a failed write changes nothing in memory or on disk', async () => {
    const file = await tempFile();
    let crash = false;
    const ledger = await openLedger({
      file,
      now: () => 2_000,
      beforeWrite: () => {
        if (crash) throw new Error('crash');
      },
    });
    await ledger.write({ entry: entry('a') });
    crash = true;
    await expect(ledger.write({ entry: entry('a', { state: 'done' }) })).rejects.toThrow('crash');
    expect(ledger.get('a')?.state).toBe('started');
    crash = false;
    await ledger.close();
    expect((await openLedger({ file, now: () => 2_000 })).get('a')?.state).toBe('started');
  });

  it('forgets settled entries past retention but keeps sticky ones', async () => {
    const file = await tempFile();
    let now = 0;
    const ledger = await openLedger({ file, now: () => now, retentionMs: 1_000 });
    await ledger.write({ entry: entry('old', { state: 'done', updatedAt: 0 }) });
    await ledger.write({ entry: entry('tag', { state: 'done', updatedAt: 0, sticky: true }) });
    await ledger.write({ entry: entry('new', { state: 'done', updatedAt: 1_500 }) });
    await ledger.close();
    now = 2_000;
    const reopened = await openLedger({ file, now: () => now, retentionMs: 1_000 });
    expect(reopened.get('old')).toBeUndefined();
    expect(reopened.get('tag')).toBeDefined();
    expect(reopened.get('new')).toBeDefined();
  });

  it('keeps the last runs of each location, newest first, and compacts as it grows', async () => {
    const file = await tempFile();
    const ledger = await openLedger({ file, runsPerLocation: 5 });
    for (let n = 1; n <= 1_100; n += 1) await ledger.write({ run: run(n % 2 === 0 ? 'L1' : 'L2', n) });
    expect(ledger.runs.list({ locationId: 'L1', limit: 3 }).map((r) => r.webhookId)).toEqual([
      'w1100',
      'w1098',
      'w1096',
    ]);
    expect(ledger.runs.list({ locationId: 'L2', limit: 50 })).toHaveLength(5);
    expect(ledger.runs.list({ locationId: 'nowhere' })).toEqual([]);
    await ledger.close();
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines.length).toBeLessThan(200); // rewritten once it passed 1000 lines
    const reopened = await openLedger({ file, runsPerLocation: 5 });
    expect(reopened.runs.list({ locationId: 'L1', limit: 1 })[0]?.webhookId).toBe('w1100');
  });

  it('runs the work of one key one at a time', async () => {
    const ledger = await openLedger({ file: await tempFile() });
    const order: string[] = [];
    const work = (name: string) => async () => {
      order.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      order.push(`${name} end`);
    };
    await Promise.all([
      ledger.exclusive('k', work('a')),
      ledger.exclusive('k', work('b')),
      ledger.exclusive('other', work('c')),
    ]);
    expect(order.indexOf('b start')).toBeGreaterThan(order.indexOf('a end'));
    expect(order.indexOf('c start')).toBeLessThan(order.indexOf('a end'));
  });
});
