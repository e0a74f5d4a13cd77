// Configuration of managed credentials, from the environment. Like src/config.ts, every bad value
// is reported by name in one message; unlike it, values of secret variables are never echoed.
import { z } from 'zod';
import { ConfigError } from '../server/config.js';
import { LOCAL_KEY, localKeyFile } from './local-key.js';
import { parseKey } from './crypto.js';
import { parseDuration } from './duration.js';
import { KeyFormatError } from './errors.js';
import { scopeSchema } from './records.js';
import { DEFAULT_REFRESH_MARGIN_MS } from './token-manager.js';

export const DEFAULT_CREDENTIALS_FILE = '.data/credentials.json';
/** GHL's real chooser is {this}/oauth/chooselocation. */
export const DEFAULT_MARKETPLACE_URL = 'https://marketplace.gohighlevel.com/v2';

const SECRET_VARIABLES = new Set(['CREDENTIALS_KEY', 'CREDENTIALS_PREVIOUS_KEYS', 'GHL_CLIENT_SECRET']);

const key = (variable: string) =>
  z.string().transform((value, ctx): Buffer | typeof LOCAL_KEY => {
    if (value.trim() === LOCAL_KEY) return LOCAL_KEY;
    try {
      return parseKey(value, variable);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: error instanceof KeyFormatError ? error.message.replace(`${variable} `, '') : 'is not a key',
      });
      return z.NEVER;
    }
  });

const duration = (fallback: number, max: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return fallback;
      const ms = parseDuration(value);
      if (ms === undefined || ms > max) {
        ctx.addIssue({ code: 'custom', message: `must be a duration such as 300000, 5m or 1h (at most ${max} ms)` });
        return z.NEVER;
      }
      return ms;
    });

const httpUrl = z
  .url({ message: 'must be a URL' })
  .refine((u) => /^https?:\/\//.test(u), { message: 'must be an http(s) URL' });

const schema = z.object({
  CREDENTIALS_FILE: z.string().min(1).default(DEFAULT_CREDENTIALS_FILE),
  /** 32 bytes, hex or base64, that seal every secret in the credentials file; or `local` (local-key.ts). */
  CREDENTIALS_KEY: key('CREDENTIALS_KEY').optional(),
  /** Earlier keys, comma separated: values sealed with them still open (key rotation). */
  CREDENTIALS_PREVIOUS_KEYS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const keys: Buffer[] = [];
      for (const [index, part] of (value ?? '')
        .split(/[\s,]+/)
        .filter(Boolean)
        .entries()) {
        try {
          keys.push(parseKey(part, 'CREDENTIALS_PREVIOUS_KEYS'));
        } catch {
          ctx.addIssue({ code: 'custom', message: `key #${index + 1} is not 32 bytes of hex or base64` });
        }
      }
      return keys;
    }),
  GHL_CLIENT_ID: z.string().min(1).optional(),
  GHL_CLIENT_SECRET: z.string().min(1).optional(),
  OAUTH_REDIRECT_URI: httpUrl.optional(),
  OAUTH_SCOPES: z
    .string()
    .default('contacts.readonly contacts.write')
    .transform((value) => value.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(scopeSchema).min(1, { message: 'must name at least one scope' })),
  GHL_MARKETPLACE_URL: httpUrl.default(DEFAULT_MARKETPLACE_URL),
  OAUTH_TIMEOUT_MS: duration(10_000, 120_000),
  /** Refresh an access token when it has less than this left. */
  TOKEN_REFRESH_MARGIN_MS: duration(DEFAULT_REFRESH_MARGIN_MS, 12 * 3_600_000),
});

/** A key kept in a file beside the data is for a laptop, never for a gateway holding real GHL tokens. */
function localKeyProblems(present: Record<string, string | undefined>): string[] {
  if (present.CREDENTIALS_KEY?.trim() !== LOCAL_KEY || present.GHL_BASE_URL === undefined) return [];
  return [
    `CREDENTIALS_KEY=${LOCAL_KEY} keeps the key in a file beside the credentials, for the embedded sandbox only; ` +
      'with GHL_BASE_URL set, set CREDENTIALS_KEY to a key kept in your secret manager (openssl rand -base64 32)',
  ];
}

/** OAuth is all or nothing: half a client would fail at the first refresh, far from the cause. */
function oauthPairProblems(present: Record<string, string | undefined>): string[] {
  const names = ['GHL_CLIENT_ID', 'GHL_CLIENT_SECRET', 'OAUTH_REDIRECT_URI'];
  const given = names.filter((name) => present[name] !== undefined);
  if (given.length === 0 || given.length === names.length) return [];
  const verb = given.length === 1 ? 'is' : 'are';
  return names
    .filter((name) => present[name] === undefined)
    .map((name) => `${name} is required when ${given.join(' and ')} ${verb} set`);
}

export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string[];
  marketplaceUrl: string;
  timeoutMs: number;
}

/** Where the sealing key comes from: the environment (a secret manager), or a local key file. */
export type KeySource =
  { kind: 'env'; current: Buffer; previous: Buffer[] } | { kind: 'local'; file: string; previous: Buffer[] };

export interface CredentialsConfig {
  file: string;
  /** Undefined when CREDENTIALS_KEY is unset: managed credentials are then off. */
  keys: KeySource | undefined;
  /** Undefined when no OAuth client is configured: only PITs can be used. */
  oauth: OAuthSettings | undefined;
  refreshMarginMs: number;
}

export function loadCredentialsConfig(env: Record<string, string | undefined>): CredentialsConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues).map((issue) => {
      const name = String(issue.path[0] ?? 'config');
      const given = present[name];
      const echo = given === undefined || SECRET_VARIABLES.has(name) ? '' : ` (got "${given}")`;
      return `${name} ${issue.message}${echo}`;
    }),
    ...oauthPairProblems(present),
    ...localKeyProblems(present),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    file: e.CREDENTIALS_FILE,
    keys:
      e.CREDENTIALS_KEY === undefined
        ? undefined
        : e.CREDENTIALS_KEY === LOCAL_KEY
          ? { kind: 'local', file: localKeyFile(e.CREDENTIALS_FILE), previous: e.CREDENTIALS_PREVIOUS_KEYS }
          : { kind: 'env', current: e.CREDENTIALS_KEY, previous: e.CREDENTIALS_PREVIOUS_KEYS },
    oauth:
      e.GHL_CLIENT_ID !== undefined && e.GHL_CLIENT_SECRET !== undefined && e.OAUTH_REDIRECT_URI !== undefined
        ? {
            clientId: e.GHL_CLIENT_ID,
            clientSecret: e.GHL_CLIENT_SECRET,
            redirectUri: e.OAUTH_REDIRECT_URI,
            scopes: e.OAUTH_SCOPES,
            marketplaceUrl: e.GHL_MARKETPLACE_URL,
            timeoutMs: e.OAUTH_TIMEOUT_MS,
          }
        : undefined,
    refreshMarginMs: e.TOKEN_REFRESH_MARGIN_MS,
  };
}
