// The credentials store as configured, for the gateway and the CLI alike: the key from where
// CREDENTIALS_KEY says (the environment, or the local key file), the file store sealed with it,
// and the words messages use for both, so a mismatch names the very command that fixes it.
import { DEFAULT_CREDENTIALS_FILE, type CredentialsConfig, type KeySource } from './config.js';
import { createSealer, keyId } from './crypto.js';
import { CredentialsKeyError } from './errors.js';
import { createFileCredentialStore } from './file-store.js';
import type { KeyCheck } from './key-check.js';
import { LOCAL_KEY, loadLocalKey, localKeyFile } from './local-key.js';
import type { CredentialStore } from './store.js';

export interface OpenedStore {
  store: CredentialStore;
  file: string;
  /** How messages name the key: "CREDENTIALS_KEY", or the local key and its file. */
  keyLabel: string;
  /** The command that runs the CLI on this store with this key, e.g. "CREDENTIALS_KEY=local npm run credentials --". */
  cli: string;
  /** Set when the key is the local key file; `created` when this call made it. */
  localKey?: { file: string; created: boolean };
  /** Where the local key of this store lies, or would. */
  localKeyFile: string;
}

export async function openCredentialStore(
  config: CredentialsConfig & { keys: KeySource },
  { path = config.file, createLocalKey }: { path?: string; createLocalKey: boolean },
): Promise<OpenedStore> {
  const { keys } = config;
  let current: Buffer;
  let localKey: OpenedStore['localKey'];
  if (keys.kind === 'local') {
    const loaded = await loadLocalKey(keys.file, { create: createLocalKey });
    current = loaded.key;
    localKey = { file: keys.file, created: loaded.created };
  } else {
    current = keys.current;
  }
  const env = [
    ...(config.file === DEFAULT_CREDENTIALS_FILE ? [] : [`CREDENTIALS_FILE=${config.file}`]),
    ...(keys.kind === 'local' ? [`CREDENTIALS_KEY=${LOCAL_KEY}`] : []),
  ];
  const cli = [...env, 'npm run credentials --'].join(' ');
  const keyLabel = keys.kind === 'local' ? `CREDENTIALS_KEY=${LOCAL_KEY} (the key in ${keys.file})` : 'CREDENTIALS_KEY';
  const store = createFileCredentialStore({
    path,
    sealer: createSealer(current, keys.previous),
    keyLabel,
    cli,
  });
  return {
    store,
    file: path,
    keyLabel,
    cli,
    localKeyFile: localKeyFile(config.file),
    ...(localKey ? { localKey } : {}),
  };
}

/** Throws CredentialsKeyError when the configured keys do not open the store; else its check. */
export async function requireKeyOpens(opened: OpenedStore): Promise<KeyCheck> {
  const check = await opened.store.checkKey();
  if (check.verdict === 'wrong_key') {
    throw new CredentialsKeyError({
      file: opened.file,
      keyLabel: opened.keyLabel,
      cli: opened.cli,
      sealedWith: check.sealedWith,
      configured: check.configured,
      localKeyFile: opened.localKey === undefined ? await sealedByLocalKey(opened, check) : undefined,
    });
  }
  return check;
}

/** The local key file, if it is what sealed the store: the most likely mistake is a start without CREDENTIALS_KEY=local. */
async function sealedByLocalKey(opened: OpenedStore, check: KeyCheck): Promise<string | undefined> {
  const local = await loadLocalKey(opened.localKeyFile, { create: false }).catch(() => undefined);
  return local !== undefined && check.sealedWith.includes(keyId(local.key)) ? opened.localKeyFile : undefined;
}

/**
 * A CLI command for an operator to copy. With the local key the prefix says everything; with a key
 * from the environment the shell running it must have the gateway's CREDENTIALS_KEY too.
 */
export function cliCommand(cli: string, args: string): string {
  const note = cli.includes('CREDENTIALS_KEY=') ? '' : " (with the gateway's CREDENTIALS_KEY in the environment)";
  return `${cli} ${args}${note}`;
}
