// Configuration from the environment, validated once at start. Every bad value is reported by
// name, together, so a misconfigured deploy fails with one readable message.
import { z } from 'zod';

const int = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` })
    .default(fallback);

const scopeList = z
  .string()
  .transform((value) => value.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[a-z./-]+$/i, { message: 'must be scope names like contacts.readonly' })));

export const configSchema = z.object({
  PORT: int(4000, 0, 65535),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Unset: the gateway starts the embedded sandbox and talks to it. */
  GHL_BASE_URL: z
    .url({ message: 'must be a URL such as https://services.leadconnectorhq.com' })
    .refine((u) => /^https?:\/\//.test(u), { message: 'must be an http(s) URL' })
    .optional(),
  GHL_CONNECT_TIMEOUT_MS: int(5_000, 100, 60_000),
  GHL_HEADERS_TIMEOUT_MS: int(10_000, 100, 120_000),
  GHL_BODY_TIMEOUT_MS: int(10_000, 100, 120_000),
  GHL_REQUEST_TIMEOUT_MS: int(15_000, 0, 300_000),
  /** Accept callers' own GHL tokens. "off" when only gateway API keys may call (managed mode). */
  PASSTHROUGH: z.enum(['on', 'off']).default('on'),
  /** Scopes assumed for opaque tokens (private integration tokens), whose scopes only GHL knows. */
  OPAQUE_TOKEN_SCOPES: scopeList.default(['contacts.readonly']),
  /**
   * Most GHL calls one GraphQL request may have in flight at once; below it, the location's
   * remaining burst budget decides (loaders/limit.ts). Also the least the HTTP pool holds.
   */
  UPSTREAM_CONCURRENCY: int(100, 1, 1_000),
  /** "off" runs the baseline: no shared cache, coalescing, governor or retries (for benchmarks). */
  UPSTREAM_BUDGET: z.enum(['on', 'off']).default('on'),
  /** How long a GHL read is served from the shared cache; 0 turns the cache off. */
  CACHE_TTL_MS: int(30_000, 0, 3_600_000),
  CACHE_MAX_ENTRIES: int(10_000, 1, 1_000_000),
  /** GHL's burst limit per location: 100 per 10 s (25 for trial private integration tokens). */
  RATE_LIMIT_MAX: int(100, 1, 100_000),
  RATE_LIMIT_INTERVAL_MS: int(10_000, 100, 3_600_000),
  RATE_LIMIT_DAILY: int(200_000, 1, 100_000_000),
  /** A call waits at most this long for budget before failing fast with RATE_LIMITED. */
  RATE_LIMIT_MAX_WAIT_MS: int(10_000, 0, 600_000),
  /** Attempts per idempotent call, the first included (1 = never retry). */
  RETRY_ATTEMPTS: int(6, 1, 20),
  RETRY_BASE_DELAY_MS: int(200, 1, 60_000),
  RETRY_MAX_DELAY_MS: int(5_000, 1, 120_000),
  /** No retry starts later than this after a call's first attempt. */
  RETRY_DEADLINE_MS: int(20_000, 0, 300_000),
  /** Most GHL calls an operation may be priced at: what a location can pay within the default wait (README). */
  MAX_QUERY_COST: int(100, 1, 100_000),
  MAX_QUERY_DEPTH: int(10, 2, 100),
  /**
   * How far behind "now" a contact sync walk stops: GHL's search index lags writes by seconds, so
   * the newest changes are left for the next walk rather than risked.
   */
  SYNC_LAG_MS: int(30_000, 0, 3_600_000),
  MAX_QUERY_ALIASES: int(30, 0, 1_000),
  /** Largest request body accepted (413 past it); below Yoga's own 25 MB so this one decides. */
  MAX_REQUEST_BYTES: int(1_048_576, 1_024, 20_000_000),
  /** GHL's webhook public keys (PEM; "\n" may stand for newlines). Either turns webhooks on. */
  GHL_WEBHOOK_ED25519_PUBLIC_KEY: z.string().min(1).optional(),
  GHL_WEBHOOK_RSA_PUBLIC_KEY: z.string().min(1).optional(),
  /** Where accepted webhooks are stored before they are processed. */
  EVENTS_DIR: z.string().min(1).optional(),
  /** Stored but unprocessed webhooks before the receiver answers 429 (GHL then redelivers). */
  WEBHOOK_MAX_PENDING: int(1_000, 1, 1_000_000),
  /** Oldest webhook accepted (webhook-route.ts says why the default is 2 h). */
  WEBHOOK_STALE_AFTER_MS: int(7_200_000, 1_000, 86_400_000),
  /** Task automation rules (JSON); unset: no automation. */
  AUTOMATION_RULES_FILE: z.string().min(1).optional(),
  AUTOMATION_LEDGER_FILE: z.string().min(1).optional(),
  SANDBOX_PORT: int(4010, 0, 65535),
  /** Requests per 10 s per location in the embedded sandbox; 0 turns its limiter off. */
  SANDBOX_RATE_LIMIT: int(100, 0, 100_000),
  SANDBOX_LATENCY_MS: int(0, 0, 60_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as it does for most deploy tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'config');
        const given = present[name];
        return `${name} ${issue.message}${given === undefined ? '' : ` (got "${given}")`}`;
      }),
    );
  }
  return parsed.data;
}
