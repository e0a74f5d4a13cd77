// Runtime checks for the sandbox's settings (constructor options, PUT /__sandbox/config).

import { z } from 'zod';
import { DEFAULT_RATE_LIMIT } from './rate-limiter.js';
import type { RateLimitConfig } from './rate-limiter.js';
import { WEBHOOK_ENVELOPES } from './webhook-payloads.js';

export const rateLimitOptionSchema = z.union([
  z.literal(0),
  z.strictObject({
    max: z.int().positive(),
    intervalMs: z.int().positive(),
    dailyMax: z.int().positive().optional(),
  }),
]);

/** `{max, intervalMs, dailyMax?}` or 0 (off). */
export type RateLimitOption = z.infer<typeof rateLimitOptionSchema>;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** A redirect URI as OAuth allows one: absolute, no fragment (RFC 6749 §3.1.2). */
const redirectUriSchema = z.string().refine((value) => isHttpUrl(value) && !value.includes('#'), {
  error: 'must be an absolute http(s) URL without a fragment',
});

export const oauthOptionSchema = z.strictObject({
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  accessTokenTtlSeconds: z.int().positive().optional(),
  authorizationCodeTtlSeconds: z.int().positive().optional(),
  /** Registered redirect URIs, matched exactly; null (the default) = any loopback http URI. */
  redirectUris: z.array(redirectUriSchema).min(1).nullable().optional(),
});

/** The sandbox OAuth app's settings; every field optional (see oauth-grants.ts for defaults). */
export type OAuthOption = z.infer<typeof oauthOptionSchema>;

export const webhooksOptionSchema = z.strictObject({
  /** Where events are POSTed; null (the default) sends nothing. */
  url: z.string().refine(isHttpUrl, { error: 'must be an absolute http(s) URL' }).nullable().optional(),
  /** Waits before each redelivery of an event answered 429; its length is the number of retries. */
  retryDelaysMs: z.array(z.int().nonnegative()).max(20).optional(),
  /** How long one delivery may wait for the receiver's answer before it counts as a failure. */
  timeoutMs: z.int().positive().optional(),
  /** `documented-examples` (default): GHL's example payloads, no timestamp/webhookId; `with-webhook-id`: live traffic's envelope. */
  envelope: z.enum(WEBHOOK_ENVELOPES).optional(),
  /** Also sign with the legacy RSA key in `x-wh-signature` (GHL stopped on 2026-07-01). Default false. */
  legacyRsaSignature: z.boolean().optional(),
  /** Where real payloads differ from GHL's examples (webhook-payloads.ts); fields left out stay. */
  quirks: z
    .strictObject({
      thinNoteEvents: z.boolean().optional(),
      dndRcsChannel: z.boolean().optional(),
      omitTaskContactId: z.boolean().optional(),
    })
    .optional(),
});

/** Webhook delivery settings; every field optional (see webhook-delivery.ts for defaults). */
export type WebhooksOption = z.infer<typeof webhooksOptionSchema>;

export const configSchema = z.strictObject({
  latencyMs: z.int().nonnegative().optional(),
  rateLimit: rateLimitOptionSchema.optional(),
  oauth: oauthOptionSchema.optional(),
  webhooks: webhooksOptionSchema.optional(),
});

export type SandboxConfig = z.infer<typeof configSchema>;

export function rateLimitConfig(option: RateLimitOption | undefined): RateLimitConfig | null {
  if (option === undefined) return { ...DEFAULT_RATE_LIMIT };
  if (option === 0) return null;
  return { max: option.max, intervalMs: option.intervalMs, dailyMax: option.dailyMax ?? DEFAULT_RATE_LIMIT.dailyMax };
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'value'}: ${i.message}`).join('; ');
}
