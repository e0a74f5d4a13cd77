// A real crash, not a thrown error: a child process SIGKILLs itself at each point of a write, so
// no catch or finally runs. The file must then load with the old state or the new one, and the
// leftovers (temp file, lock file of a dead process) must not block the next write.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WritePoint } from '../../src/storage/atomic-file.js';
import { fileStore, newKey, oauthCredential, pitCredential, testSealer, withTempDir } from './helpers.js';

const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const key = newKey();
const sealer = testSealer(key);
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => ({ dir, cleanup } = await withTempDir()));
afterAll(() => cleanup());

function runChild(path: string, point: string): Promise<{ signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, path, point], {
      env: { ...process.env, CREDENTIALS_KEY: key.toString('hex') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => resolve({ signal, stdout }));
  });
}

describe('SIGKILL during a write', () => {
  const cases: [WritePoint, 'old' | 'new'][] = [
    ['temp-written', 'old'],
    ['temp-synced', 'old'],
    ['renamed', 'new'],
  ];

  it('leaves a loadable old or new state at every point', async () => {
    const paths = cases.map(([point]) => join(dir, point, 'credentials.json'));
    for (const path of paths) await fileStore(path, sealer).putCredential(oauthCredential());
    // The children start in parallel: tsx start-up dominates and is paid once.
    const results = await Promise.all(cases.map(([point], i) => runChild(paths[i] ?? '', point)));

    for (const [i, [point, expected]] of cases.entries()) {
      const path = paths[i] ?? '';
      const result = results[i];
      expect(result?.signal, point).toBe('SIGKILL'); // the hook fired: the write really stopped there
      const leftovers = await readdir(join(dir, point));
      if (point === 'temp-written' || point === 'temp-synced') {
        expect(
          leftovers.some((name) => name.includes('.tmp-')),
          point,
        ).toBe(true);
      }
      expect(leftovers, point).toContain('credentials.json.lock');

      const restarted = fileStore(path, sealer);
      const loaded = await restarted.getCredential('locA');
      expect(loaded?.kind === 'oauth' && loaded.refreshToken, point).toBe(
        expected === 'old' ? oauthCredential().refreshToken : 'refresh-NEW',
      );

      // The dead process's lock and temp file do not block the next write, which clears them.
      await restarted.putCredential(pitCredential());
      expect((await readdir(join(dir, point))).sort(), point).toEqual(['credentials.json']);
    }
  });
});
