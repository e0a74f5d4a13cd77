// `CREDENTIALS_KEY=local`: the sealing key kept in a file beside the credentials file, for trying
// managed mode on a laptop with the embedded sandbox. A key made up on the command line
// (`CREDENTIALS_KEY=$(openssl rand -base64 32) npm start`) is lost when the shell closes, and with
// it every credential sealed under it; this one is created once and found again by every later
// start and by the CLI. Anyone who can read the data directory can read the key too, which is why
// config.ts refuses it with GHL_BASE_URL set: there the key belongs in a secret manager.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { codeOf, isCode } from '../storage/atomic-file.js';
import { parseKey } from './crypto.js';
import { KeyFormatError } from './errors.js';

export const LOCAL_KEY = 'local';

/** `.data/credentials.json` → `.data/credentials.key`: beside the data it seals. */
export function localKeyFile(credentialsFile: string): string {
  return `${credentialsFile.replace(/\.json$/i, '')}.key`;
}

export class LocalKeyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalKeyError';
  }
}

/**
 * Reads the local key; with `create`, makes it first when there is none (32 random bytes, base64,
 * mode 0600, created exclusively so two starts at once cannot each write their own).
 */
export async function loadLocalKey(
  path: string,
  { create }: { create: boolean },
): Promise<{ key: Buffer; created: boolean }> {
  const existing = await readKeyFile(path);
  if (existing !== undefined) return { key: existing, created: false };
  if (!create) {
    throw new LocalKeyError(
      `CREDENTIALS_KEY=${LOCAL_KEY}: there is no key in ${path} yet; ` +
        `start the gateway once with CREDENTIALS_KEY=${LOCAL_KEY} (npm start on the sandbox) to create it.`,
    );
  }
  const key = randomBytes(32);
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(`${key.toString('base64')}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (isCode(error, 'EEXIST')) {
      const raced = await readKeyFile(path);
      if (raced !== undefined) return { key: raced, created: false };
    }
    throw new LocalKeyError(`Cannot create the local key ${path}: ${codeOf(error)}`, { cause: error });
  }
  return { key, created: true };
}

async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw new LocalKeyError(`Cannot read the local key ${path}: ${codeOf(error)}`, { cause: error });
  }
  try {
    return parseKey(text, path);
  } catch (error) {
    if (!(error instanceof KeyFormatError)) throw error;
    // Never replaced by a new one: credentials may be sealed with what it held.
    throw new LocalKeyError(`${error.message}; it was left untouched.`);
  }
}
