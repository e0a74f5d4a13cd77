// The operator's tool for managed credentials: add private integration tokens, list credentials,
// and create, rotate and revoke gateway API keys. Secrets go in through stdin or a file, never
// argv (which shell history and `ps` show), and the only secret it ever prints is a new API key,
// once, alone on stdout so `KEY=$(… keys create …)` captures it. Exit codes: 0 done, 1 the
// operation failed, 2 usage or configuration error.
//
//   tsx src/cli/credentials.ts --help
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../server/config.js';
import { createApiKeys } from '../credentials/api-keys.js';
import { apiKeyTable, credentialTable, when } from './format.js';
import { loadCredentialsConfig } from '../credentials/config.js';
import { parseDuration } from '../credentials/duration.js';
import {
  ApiKeyError,
  CredentialsKeyError,
  CredentialStoreError,
  ignoreUnopenable,
  KeyFormatError,
} from '../credentials/errors.js';
import { LocalKeyError } from '../credentials/local-key.js';
import { openCredentialStore, requireKeyOpens, type OpenedStore } from '../credentials/open-store.js';
import { locationIdSchema, scopeSchema, type PitCredential } from '../credentials/records.js';
import type { CredentialStore } from '../credentials/store.js';

export interface CliIo {
  stdin: AsyncIterable<string | Buffer> & { isTTY?: boolean };
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  now?: () => number;
}

const HELP = `Manage the gateway's GHL credentials and API keys.

Usage: tsx src/cli/credentials.ts <command> [options]

Commands:
  add-pit --location <id> --scopes "<scopes>" [--token-file <path>] [--replace]
      Store a private integration token for a location. The token is read from
      --token-file or stdin, never from the command line. --replace is needed to
      replace an OAuth install (its refresh token is then gone).
  list [--json]
      Locations with their credential kind, status, scopes and expiry. No secrets.
  keys create --location <id> --scopes "<scopes>" [--expires-in 90d] [--label <text>]
      Create an API key. The key is printed once, alone on stdout.
  keys list [--location <id>] [--json]
  keys rotate <id> [--overlap 24h] [--expires-in <duration>]
      Create a successor with the same location and scopes; the old key keeps
      working for the overlap (default 24h). The new key is printed once.
  keys revoke <id>
  remove-location <id>
      Delete a location's credential and every API key for it.
  reset-key [--yes]
      Start over with the configured key, e.g. after the old CREDENTIALS_KEY was
      lost: removes the credentials and agency grants it cannot open (install
      those locations again) and keeps the API keys. Without --yes, only says
      what it would remove.

Scopes are space separated, e.g. "contacts.readonly contacts.write".
Durations: 30s, 15m, 24h, 90d, 2w.

Environment:
  CREDENTIALS_FILE   the credentials file (default .data/credentials.json)
  CREDENTIALS_KEY    32-byte key, hex or base64 (openssl rand -base64 32), the
                     gateway's; or "local" for the key file beside the credentials
                     file that CREDENTIALS_KEY=local npm start created
  CREDENTIALS_PREVIOUS_KEYS  earlier keys, comma separated, after a key rotation

Exit codes: 0 done, 1 the operation failed, 2 usage or configuration error.
`;

class UsageError extends Error {}
class OperationError extends Error {}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const now = io.now ?? Date.now;
  try {
    const [command, ...rest] = argv;
    if (command === undefined) {
      io.stderr.write(HELP);
      return 2;
    }
    if (command === 'help' || command === '--help' || command === '-h') {
      io.stdout.write(HELP);
      return 0;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(HELP);
      return 0;
    }
    if (rest.some((arg) => arg === '--token' || arg.startsWith('--token='))) {
      throw new UsageError(
        'Never pass a token on the command line (shell history and ps show it): pipe it on stdin or use --token-file.',
      );
    }
    switch (command) {
      case 'add-pit':
        return await addPit(rest, io, now);
      case 'list':
        return await list(rest, io, now);
      case 'keys':
        return await keys(rest, io, now);
      case 'remove-location':
        return await removeLocation(rest, io);
      case 'reset-key':
        return await resetKey(rest, io);
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr.write(`error: ${error.message}\nRun with --help for usage.\n`);
    return 2;
  }
  if (
    error instanceof ConfigError ||
    error instanceof KeyFormatError ||
    error instanceof CredentialsKeyError ||
    error instanceof LocalKeyError
  ) {
    io.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  if (error instanceof OperationError || error instanceof ApiKeyError || error instanceof CredentialStoreError) {
    io.stderr.write(`error: ${error.message}\n`);
    return 1;
  }
  // Unexpected: the name and message only; nothing here holds a secret, but a stack is noise.
  io.stderr.write(`error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
  return 1;
}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  options: T,
  positionals: number,
) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: positionals > 0, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.positionals.length > positionals)
    throw new UsageError(`Unexpected argument "${parsed.positionals[positionals]}".`);
  return parsed;
}

/** The gateway's store with the configured key; refused (exit 2) when that key does not open it. */
async function openStore(io: CliIo): Promise<CredentialStore> {
  const opened = await openAnyway(io);
  await requireKeyOpens(opened);
  return opened.store;
}

/** The store even when the key does not open it: for the commands that diagnose or repair that. */
async function openAnyway(io: CliIo): Promise<OpenedStore> {
  const config = loadCredentialsConfig(io.env);
  const { keys } = config;
  if (keys === undefined) {
    throw new UsageError(
      'CREDENTIALS_KEY is not set: it must be the key the gateway uses (the value from your secret manager, ' +
        'or "local" when the gateway was started with CREDENTIALS_KEY=local).',
    );
  }
  return openCredentialStore({ ...config, keys }, { path: resolve(config.file), createLocalKey: false });
}

function location(value: string | undefined, flag = '--location'): string {
  if (value === undefined) throw new UsageError(`${flag} <location id> is required.`);
  if (!locationIdSchema.safeParse(value).success)
    throw new UsageError(`${flag} must be a GHL location id (letters, digits, - and _).`);
  return value;
}

function scopes(value: string | undefined): string[] {
  if (value === undefined) throw new UsageError('--scopes "<space separated scopes>" is required.');
  const list = [...new Set(value.split(/[\s,]+/).filter(Boolean))];
  if (list.length === 0) throw new UsageError('--scopes must name at least one scope.');
  const bad = list.find((scope) => !scopeSchema.safeParse(scope).success);
  if (bad !== undefined) throw new UsageError(`"${bad}" is not a scope name like contacts.readonly.`);
  return list;
}

function duration(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) throw new UsageError(`${flag} must be a duration such as 24h or 90d.`);
  return ms;
}

async function addPit(args: readonly string[], io: CliIo, now: () => number): Promise<number> {
  const { values } = parse(
    args,
    {
      location: { type: 'string' },
      scopes: { type: 'string' },
      'token-file': { type: 'string' },
      replace: { type: 'boolean', default: false },
    },
    0,
  );
  const locationId = location(values.location);
  const scopeList = scopes(values.scopes);
  const token = await readToken(values['token-file'], io);
  const store = await openStore(io);
  // One that does not open (sealed with a lost key) is replaced like a missing one.
  const existing = await store.getCredential(locationId).catch(ignoreUnopenable);
  if (existing?.kind === 'oauth' && !values.replace) {
    throw new OperationError(
      `Location ${locationId} has an OAuth install; replacing it discards its refresh token. Add --replace to do it anyway.`,
    );
  }
  const credential: PitCredential = {
    kind: 'pit',
    locationId,
    token,
    scopes: scopeList,
    status: 'active',
    updatedAt: now(),
  };
  await store.putCredential(credential);
  io.stderr.write(
    `${existing === undefined ? 'Added' : 'Replaced'} the private integration token of location ${locationId} ` +
      `(scopes: ${scopeList.join(' ')}).\n`,
  );
  return 0;
}

async function readToken(file: string | undefined, io: CliIo): Promise<string> {
  let text: string;
  if (file !== undefined) {
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new OperationError(`Cannot read --token-file ${file}: ${typeof code === 'string' ? code : 'unreadable'}.`);
    }
  } else {
    if (io.stdin.isTTY === true) io.stderr.write('Paste the private integration token, then press Enter and Ctrl-D:\n');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of io.stdin) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > 16_384) throw new UsageError('The token on stdin is longer than 16 KB.');
      chunks.push(buffer);
    }
    text = Buffer.concat(chunks).toString('utf8');
  }
  const token = text.trim();
  if (token === '') throw new UsageError('No token given: pipe it on stdin or use --token-file.');
  // The same shape the gateway accepts in a bearer header; the token itself is never echoed.
  if (!/^[A-Za-z0-9._~+/=-]{16,4096}$/.test(token)) {
    throw new UsageError(
      'The token must be one line of 16-4096 characters with no spaces (GHL private integration tokens look like pit-…).',
    );
  }
  if (!token.startsWith('pit-'))
    io.stderr.write('warning: GHL private integration tokens usually start with "pit-".\n');
  return token;
}

async function list(args: readonly string[], io: CliIo, now: () => number): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean', default: false } }, 0);
  // Listing works with any key: it is how to see which records a key does not open.
  const opened = await openAnyway(io);
  const summaries = await opened.store.listCredentials();
  io.stdout.write(values.json ? `${JSON.stringify(summaries, null, 2)}\n` : credentialTable(summaries, now()));
  await requireKeyOpens(opened).catch((error: unknown) => {
    if (!(error instanceof CredentialsKeyError)) throw error;
    io.stderr.write(`warning: ${error.message}\n`);
  });
  return 0;
}

async function keys(args: readonly string[], io: CliIo, now: () => number): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create': {
      const { values } = parse(
        rest,
        {
          location: { type: 'string' },
          scopes: { type: 'string' },
          'expires-in': { type: 'string' },
          label: { type: 'string' },
        },
        0,
      );
      const locationId = location(values.location);
      const scopeList = scopes(values.scopes);
      const expiresInMs = duration(values['expires-in'], '--expires-in');
      const store = await openStore(io);
      const apiKeys = createApiKeys({ store, now });
      const issued = await apiKeys.create({ locationId, scopes: scopeList, expiresInMs, label: values.label });
      if ((await store.getCredential(locationId).catch(ignoreUnopenable)) === undefined) {
        io.stderr.write(
          `warning: location ${locationId} has no GHL credential yet; the key works once one is added.\n`,
        );
      }
      io.stdout.write(`${issued.key}\n`);
      io.stderr.write(
        `${describeKey(issued.record.id, issued.record.expiresAt, now())} Store it now: it is not shown again.\n`,
      );
      return 0;
    }
    case 'list': {
      const { values } = parse(rest, { location: { type: 'string' }, json: { type: 'boolean', default: false } }, 0);
      const locationId = values.location === undefined ? undefined : location(values.location);
      const records = await createApiKeys({ store: await openStore(io), now }).list({ locationId });
      // Records hold only hashes, but the hash is left out too: nobody needs it on a screen.
      const shown = records.map(({ hash: _hash, ...rest }) => rest);
      io.stdout.write(values.json ? `${JSON.stringify(shown, null, 2)}\n` : apiKeyTable(records, now()));
      return 0;
    }
    case 'rotate': {
      const { values, positionals } = parse(rest, { overlap: { type: 'string' }, 'expires-in': { type: 'string' } }, 1);
      const id = keyId(positionals[0]);
      const overlapMs = duration(values.overlap, '--overlap') ?? 24 * 3_600_000;
      const expiresInMs = duration(values['expires-in'], '--expires-in');
      const apiKeys = createApiKeys({ store: await openStore(io), now });
      const rotated = await apiKeys.rotate(id, overlapMs, expiresInMs === undefined ? {} : { expiresInMs });
      io.stdout.write(`${rotated.key}\n`);
      io.stderr.write(
        `${describeKey(rotated.record.id, rotated.record.expiresAt, now())} It replaces ${id}, which works until ` +
          `${rotated.previous.expiresAt === null ? 'revoked' : when(rotated.previous.expiresAt, now())}. ` +
          'Store it now: it is not shown again.\n',
      );
      return 0;
    }
    case 'revoke': {
      const { positionals } = parse(rest, {}, 1);
      const id = keyId(positionals[0]);
      const record = await createApiKeys({ store: await openStore(io), now }).revoke(id);
      io.stderr.write(`Revoked API key ${record.id} of location ${record.locationId}.\n`);
      return 0;
    }
    default:
      throw new UsageError(
        sub === undefined
          ? 'keys needs a subcommand: create, list, rotate or revoke.'
          : `Unknown keys subcommand "${sub}".`,
      );
  }
}

function keyId(value: string | undefined): string {
  if (value === undefined) throw new UsageError('The API key id is required (see keys list).');
  if (!/^[0-9a-f]{16}$/.test(value))
    throw new UsageError('An API key id is 16 hex characters (see keys list); pass the id, not the key.');
  return value;
}

function describeKey(id: string, expiresAt: number | null, now: number): string {
  return `Created API key ${id}, ${expiresAt === null ? 'not expiring' : `expiring ${when(expiresAt, now)}`}.`;
}

async function removeLocation(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parse(args, {}, 1);
  const locationId = location(positionals[0], 'remove-location');
  const removed = await (await openStore(io)).removeLocation(locationId);
  if (!removed.credential && removed.apiKeys === 0)
    throw new OperationError(`Nothing is stored for location ${locationId}.`);
  io.stderr.write(
    `Removed location ${locationId}: ${removed.credential ? 'its credential' : 'no credential'} ` +
      `and ${removed.apiKeys} API key(s).\n`,
  );
  return 0;
}

async function resetKey(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { yes: { type: 'boolean', default: false } }, 0);
  const opened = await openAnyway(io);
  const check = await opened.store.checkKey();
  const lost = check.unopenable.map(({ kind, id }) => `${kind} ${id}`);
  if (!values.yes) {
    io.stderr.write(
      lost.length === 0
        ? 'The configured key opens every stored credential: reset-key --yes would remove nothing.\n'
        : `reset-key --yes would remove what the configured key cannot open: ${lost.join(', ')}. ` +
            'Their GHL tokens are lost with the old key; install those locations again afterwards. ' +
            'API keys are kept. Run again with --yes to do it.\n',
    );
    return 2;
  }
  const removed = await opened.store.startOver();
  const count = removed.locations.length + removed.companies.length;
  io.stderr.write(
    `${opened.file} now belongs to the configured key. ` +
      (count === 0
        ? 'Nothing had to be removed.\n'
        : `Removed ${[...removed.locations.map((id) => `location ${id}`), ...removed.companies.map((id) => `company ${id}`)].join(', ')}: ` +
          'install them again (GET /oauth/install) or add their private integration tokens. API keys were kept.\n'),
  );
  return 0;
}

// Run only when executed (tsx src/cli/credentials.ts …), not when a test imports runCli.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  void runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
