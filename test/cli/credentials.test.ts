import { spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKeys } from '../../src/credentials/api-keys.js';
import { runCli } from '../../src/cli/credentials.js';
import { createSealer } from '../../src/credentials/crypto.js';
import { loadLocalKey } from '../../src/credentials/local-key.js';
import { fileStore, newKey, oauthCredential, withTempDir } from '../credentials/helpers.js';

const cli = fileURLToPath(new URL('../../src/cli/credentials.ts', import.meta.url));
const PIT = 'pit-0d6c0b4a-9c1e-4b7e-8f00-123456789abc';
const key = newKey();
let dir: string;
let cleanup: () => Promise<void>;
let env: Record<string, string>;

beforeEach(async () => {
  ({ dir, cleanup } = await withTempDir());
  env = { CREDENTIALS_FILE: join(dir, 'data', 'credentials.json'), CREDENTIALS_KEY: key.toString('base64') };
});
afterEach(() => cleanup());

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI as a real child process, as an operator runs it. */
function spawnCli(args: string[], stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      env: { ...process.env, ...env },
      stdio: 'pipe',
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    proc.stdin.end(stdin);
  });
}

/** The same CLI in-process: fast, for the many error paths. */
async function runInProcess(
  args: string[],
  stdin = '',
  extraEnv: Record<string, string | undefined> = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { ...env, ...extraEnv },
  });
  return { code, stdout, stderr };
}

describe('credentials CLI, end to end in a child process', () => {
  it('adds a PIT from stdin, lists without secrets, and creates, rotates and revokes keys', async () => {
    const added = await spawnCli(
      ['add-pit', '--location', 'loc1', '--scopes', 'contacts.readonly contacts.write'],
      `${PIT}\n`,
    );
    expect(added).toMatchObject({ code: 0, stdout: '' });
    expect(added.stderr).toContain('Added the private integration token of location loc1');
    expect(added.stderr).not.toContain(PIT);

    const file = await readFile(env.CREDENTIALS_FILE ?? '', 'utf8');
    expect(file).not.toContain(PIT);
    expect((await stat(env.CREDENTIALS_FILE ?? '')).mode & 0o777).toBe(0o600);

    const created = await spawnCli([
      'keys',
      'create',
      '--location',
      'loc1',
      '--scopes',
      'contacts.readonly',
      '--expires-in',
      '90d',
      '--label',
      'web',
    ]);
    expect(created.code).toBe(0);
    const apiKey = created.stdout.trim();
    expect(apiKey).toMatch(/^lpk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/Created API key [0-9a-f]{16}, expiring .* \(in 89d\)/);
    const id = apiKey.slice(4, 20);

    const rotated = await spawnCli(['keys', 'rotate', id, '--overlap', '1h']);
    expect(rotated.code).toBe(0);
    const newKey = rotated.stdout.trim();
    expect(newKey).toMatch(/^lpk_/);
    expect(rotated.stderr).toContain(`It replaces ${id}, which works until`);

    const revoked = await spawnCli(['keys', 'revoke', id]);
    expect(revoked).toMatchObject({ code: 0 });

    // Reads only: these two may run at once.
    const [listed, keys] = await Promise.all([spawnCli(['list']), spawnCli(['keys', 'list', '--location', 'loc1'])]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/loc1\s+pit\s+active\s+contacts\.readonly contacts\.write/);
    expect(keys.stdout).toMatch(new RegExp(`${id}\\s+loc1\\s+contacts\\.readonly\\s+revoked`));
    expect(keys.stdout).toMatch(new RegExp(`${newKey.slice(4, 20)}\\s+loc1\\s+contacts\\.readonly\\s+active`));
    for (const output of [listed, keys]) {
      expect(`${output.stdout}${output.stderr}`).not.toContain(PIT);
      expect(`${output.stdout}${output.stderr}`).not.toContain(apiKey.slice(-43));
      expect(`${output.stdout}${output.stderr}`).not.toContain(newKey.slice(-43));
    }

    // The keys the CLI printed are the ones the gateway will accept.
    const apiKeys = createApiKeys({ store: fileStore(env.CREDENTIALS_FILE ?? '', createSealer(key)) });
    expect(await apiKeys.verify(apiKey)).toEqual({ ok: false, reason: 'revoked' });
    expect(await apiKeys.verify(newKey)).toMatchObject({
      ok: true,
      record: { locationId: 'loc1', scopes: ['contacts.readonly'] },
    });
    expect(await fileStore(env.CREDENTIALS_FILE ?? '', createSealer(key)).getCredential('loc1')).toMatchObject({
      token: PIT,
    });
  });
});

describe('credentials CLI, in process', () => {
  it('prints help', async () => {
    const help = await runInProcess(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('add-pit --location <id>');
    expect((await runInProcess(['keys', 'create', '--help'])).code).toBe(0);
    expect(await runInProcess([])).toMatchObject({ code: 2, stdout: '' });
  });

  it('refuses a token on the command line', async () => {
    const run = await runInProcess([
      'add-pit',
      '--location',
      'loc1',
      '--scopes',
      'contacts.readonly',
      `--token=${PIT}`,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Never pass a token on the command line/);
    expect(run.stderr).not.toContain(PIT);
  });

  it('reads the token from --token-file', async () => {
    const tokenFile = join(dir, 'token.txt');
    await writeFile(tokenFile, `${PIT}\n`, { mode: 0o600 });
    expect(
      (
        await runInProcess([
          'add-pit',
          '--location',
          'loc2',
          '--scopes',
          'contacts.readonly',
          '--token-file',
          tokenFile,
        ])
      ).code,
    ).toBe(0);
    expect(await fileStore(env.CREDENTIALS_FILE ?? '', createSealer(key)).getCredential('loc2')).toMatchObject({
      token: PIT,
    });
    const missing = await runInProcess([
      'add-pit',
      '--location',
      'loc2',
      '--scopes',
      'contacts.readonly',
      '--token-file',
      join(dir, 'nope'),
    ]);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('ENOENT') });
  });

  it('will not silently replace an OAuth install with a PIT', async () => {
    await fileStore(env.CREDENTIALS_FILE ?? '', createSealer(key)).putCredential(
      oauthCredential({ locationId: 'loc3' }),
    );
    const refused = await runInProcess(['add-pit', '--location', 'loc3', '--scopes', 'contacts.readonly'], PIT);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--replace/);
    const replaced = await runInProcess(
      ['add-pit', '--location', 'loc3', '--scopes', 'contacts.readonly', '--replace'],
      PIT,
    );
    expect(replaced.code).toBe(0);
    expect(replaced.stderr).toContain('Replaced');
  });

  it('lists OAuth credentials with status and expiry, never a secret (also as JSON)', async () => {
    const credential = oauthCredential({
      locationId: 'loc4',
      status: 'needs_reinstall',
      statusReason: 'GHL refused the refresh token',
    });
    await fileStore(env.CREDENTIALS_FILE ?? '', createSealer(key)).putCredential(credential);
    const table = await runInProcess(['list']);
    expect(table.stdout).toMatch(/loc4\s+oauth\s+needs_reinstall/);
    expect(table.stdout).toContain('GHL refused the refresh token');
    const json = await runInProcess(['list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ locationId: 'loc4', expiresAt: credential.expiresAt }),
    ]);
    for (const output of [table.stdout, json.stdout]) {
      expect(output).not.toContain(credential.accessToken);
      expect(output).not.toContain(credential.refreshToken);
    }
  });

  it.each([
    [['add-pit', '--scopes', 'contacts.readonly'], PIT, 2, /--location <location id> is required/],
    [['add-pit', '--location', 'loc1'], PIT, 2, /--scopes/],
    [['add-pit', '--location', 'loc1', '--scopes', 'contacts.readonly'], '', 2, /No token given/],
    [['add-pit', '--location', 'loc1', '--scopes', 'contacts.readonly'], 'two words', 2, /one line/],
    [['add-pit', '--location', '../etc', '--scopes', 'contacts.readonly'], PIT, 2, /location id/],
    [
      ['keys', 'create', '--location', 'loc1', '--scopes', 'contacts.readonly', '--expires-in', 'soon'],
      '',
      2,
      /duration/,
    ],
    [['keys', 'rotate'], '', 2, /id is required/],
    [['keys', 'rotate', 'lpk_0123456789abcdef_x'], '', 2, /pass the id, not the key/],
    [['keys', 'revoke', 'ffffffffffffffff'], '', 1, /No API key with id ffffffffffffffff/],
    [['keys', 'frobnicate'], '', 2, /Unknown keys subcommand/],
    [['keys', 'list', '--bogus'], '', 2, /Unknown option/],
    [['remove-location', 'nobody'], '', 1, /Nothing is stored for location nobody/],
    [['explode'], '', 2, /Unknown command "explode"/],
  ])('%j fails clearly', async (args, stdin, code, message) => {
    const run = await runInProcess(args, stdin);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
  });

  it('needs CREDENTIALS_KEY, and says what is wrong with a bad one without echoing it', async () => {
    const unset = await runInProcess(['list'], '', { CREDENTIALS_KEY: undefined });
    expect(unset).toMatchObject({ code: 2, stderr: expect.stringContaining('CREDENTIALS_KEY is not set') });
    const bad = await runInProcess(['list'], '', { CREDENTIALS_KEY: 'too-short-secret' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/CREDENTIALS_KEY must be 32 random bytes/);
    expect(bad.stderr).not.toContain('too-short-secret');
  });

  it('removes a location with its keys', async () => {
    await runInProcess(['add-pit', '--location', 'loc5', '--scopes', 'contacts.readonly'], PIT);
    await runInProcess(['keys', 'create', '--location', 'loc5', '--scopes', 'contacts.readonly']);
    await runInProcess(['keys', 'create', '--location', 'loc6', '--scopes', 'contacts.readonly']);
    const removed = await runInProcess(['remove-location', 'loc5']);
    expect(removed).toMatchObject({ code: 0, stderr: expect.stringContaining('its credential and 1 API key(s)') });
    expect(JSON.parse((await runInProcess(['keys', 'list', '--json'])).stdout)).toEqual([
      expect.not.objectContaining({ hash: expect.anything() }),
    ]);
    expect((await runInProcess(['list'])).stdout).toBe('No credentials.\n');
  });

  it('warns when a key is created for a location without a credential', async () => {
    const run = await runInProcess(['keys', 'create', '--location', 'loc7', '--scopes', 'contacts.readonly']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('location loc7 has no GHL credential yet');
    expect(run.stdout.trim()).toMatch(/^lpk_/);
  });
});

describe('credentials CLI and the key the file belongs to', () => {
  const otherKey = newKey().toString('base64');

  it('with another key every command but list and reset-key refuses, saying how to recover', async () => {
    await runInProcess(['add-pit', '--location', 'loc1', '--scopes', 'contacts.readonly'], PIT);
    const before = await readFile(env.CREDENTIALS_FILE ?? '', 'utf8');
    for (const args of [
      ['keys', 'create', '--location', 'loc1', '--scopes', 'contacts.readonly'],
      ['keys', 'list'],
      ['add-pit', '--location', 'loc2', '--scopes', 'contacts.readonly'],
      ['remove-location', 'loc1'],
    ]) {
      const run = await runInProcess(args, PIT, { CREDENTIALS_KEY: otherKey });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('CREDENTIALS_KEY does not open the credentials in');
      expect(run.stderr).toContain('CREDENTIALS_PREVIOUS_KEYS');
      expect(run.stderr).toContain('npm run credentials -- reset-key --yes');
    }
    expect(await readFile(env.CREDENTIALS_FILE ?? '', 'utf8')).toBe(before);
  });

  it('list says which records the key cannot open instead of calling them active', async () => {
    await runInProcess(['add-pit', '--location', 'loc1', '--scopes', 'contacts.readonly'], PIT);
    const run = await runInProcess(['list'], '', { CREDENTIALS_KEY: otherKey });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/loc1\s+pit\s+cannot_open\s+contacts\.readonly .*which is not configured/);
    expect(run.stdout).not.toMatch(/\bactive\b/);
    expect(run.stderr).toContain('warning: CREDENTIALS_KEY does not open');
    const json = JSON.parse((await runInProcess(['list', '--json'], '', { CREDENTIALS_KEY: otherKey })).stdout);
    expect(json).toEqual([expect.objectContaining({ locationId: 'loc1', status: 'cannot_open' })]);
  });

  it('reset-key says what it would remove, then with --yes hands the file to the new key, keeping API keys', async () => {
    await runInProcess(['add-pit', '--location', 'loc1', '--scopes', 'contacts.readonly'], PIT);
    const created = await runInProcess(['keys', 'create', '--location', 'loc1', '--scopes', 'contacts.readonly']);
    const id = created.stdout.trim().slice(4, 20);
    const dry = await runInProcess(['reset-key'], '', { CREDENTIALS_KEY: otherKey });
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain('would remove what the configured key cannot open: location loc1');
    const done = await runInProcess(['reset-key', '--yes'], '', { CREDENTIALS_KEY: otherKey });
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('Removed location loc1');
    expect((await runInProcess(['list'], '', { CREDENTIALS_KEY: otherKey })).stdout).toBe('No credentials.\n');
    const keys = await runInProcess(['keys', 'list'], '', { CREDENTIALS_KEY: otherKey });
    expect(keys).toMatchObject({ code: 0, stdout: expect.stringContaining(id) });
    // The old key is now the wrong one.
    expect((await runInProcess(['keys', 'list'])).code).toBe(2);
  });

  it('CREDENTIALS_KEY=local uses the key file the gateway created, and never creates one itself', async () => {
    const localEnv = { CREDENTIALS_KEY: 'local' };
    const missing = await runInProcess(['list'], '', localEnv);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /no key in .*credentials\.key yet; start the gateway once with CREDENTIALS_KEY=local/,
    );
    const { key: local } = await loadLocalKey(join(dir, 'data', 'credentials.key'), { create: true });
    const added = await runInProcess(['add-pit', '--location', 'loc1', '--scopes', 'contacts.readonly'], PIT, localEnv);
    expect(added.code).toBe(0);
    expect(await fileStore(env.CREDENTIALS_FILE ?? '', createSealer(local)).getCredential('loc1')).toMatchObject({
      token: PIT,
    });
    const wrong = await runInProcess(['list'], '', { CREDENTIALS_KEY: otherKey });
    expect(wrong.stderr).toContain('warning: CREDENTIALS_KEY does not open');
  });
});
