// CREDENTIALS_KEY=local: the key is created once (0600, beside the data), found again by every
// later start and by the CLI, and never replaced when it is unreadable.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalKeyError, loadLocalKey, localKeyFile } from '../../src/credentials/local-key.js';
import { withTempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await withTempDir()));
afterEach(() => cleanup());

describe('the local key', () => {
  it('lies beside the credentials file', () => {
    expect(localKeyFile('.data/credentials.json')).toBe('.data/credentials.key');
    expect(localKeyFile('/srv/state')).toBe('/srv/state.key');
  });

  it('is created once, mode 0600 in a 0700 directory, and the same key is read back later', async () => {
    const path = join(dir, 'data', 'credentials.key');
    const first = await loadLocalKey(path, { create: true });
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'data'))).mode & 0o777).toBe(0o700);
    const again = await loadLocalKey(path, { create: true });
    expect(again.created).toBe(false);
    expect(again.key.equals(first.key)).toBe(true);
    expect((await loadLocalKey(path, { create: false })).key.equals(first.key)).toBe(true);
  });

  it('is not made up by a reader that may not create it (the CLI)', async () => {
    const path = join(dir, 'credentials.key');
    await expect(loadLocalKey(path, { create: false })).rejects.toThrow(
      /no key in .*credentials\.key yet; start the gateway once with CREDENTIALS_KEY=local/,
    );
  });

  it('an unreadable key file is reported and left as it is', async () => {
    const path = join(dir, 'credentials.key');
    await writeFile(path, 'not a key\n', { mode: 0o600 });
    const error = await loadLocalKey(path, { create: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalKeyError);
    expect((error as Error).message).toMatch(/must be 32 random bytes.*left untouched/);
    expect(await readFile(path, 'utf8')).toBe('not a key\n');
  });
});
