// Injected failures, to test how the gateway copes with a misbehaving GHL. Rules are checked
// in order; the first that matches the route and fires answers the request. `share` is applied
// deterministically (the 1st matching call fires, then every 1/share-th), never at random, so a
// test that sets share 0.5 knows exactly which calls fail. Webhook faults (lost and duplicated
// deliveries) are in webhook-faults.ts; PUT /__sandbox/faults sets either kind.

import { z } from 'zod';
import { webhookFaults, webhookFaultsSchema } from './webhook-faults.js';
import type { WebhookFaults } from './webhook-faults.js';

export const FAULT_KINDS = [
  'error500',
  'rate429',
  'slow',
  'hang',
  'malformedJson',
  'badShape',
  'emptyBody',
  'deepJson',
] as const;

export const faultRuleSchema = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  /**
   * A route key, e.g. "GET /contacts/{contactId}", "POST /oauth/token"; absent = every contacts
   * API route (the OAuth routes only get the rules that name them).
   */
  route: z.string().optional(),
  /** Fraction of matching calls hit, in (0, 1]; default 1. */
  share: z.number().gt(0).lte(1).optional(),
  /** Fire at most this many times. */
  count: z.int().positive().optional(),
  /** For `slow`: delay before answering normally (default 1000 ms). */
  delayMs: z.int().nonnegative().optional(),
  /** For `rate429`: send `Retry-After` with this many seconds. */
  retryAfterSeconds: z.int().nonnegative().optional(),
});

export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultRule = z.infer<typeof faultRuleSchema>;

/** PUT /__sandbox/faults: each kind given replaces that kind; a kind left out stays as it is. */
export const faultsBodySchema = z
  .strictObject({ rules: z.array(faultRuleSchema).optional(), webhooks: webhookFaultsSchema.nullable().optional() })
  .refine((body) => body.rules !== undefined || body.webhooks !== undefined, {
    error: 'send `rules`, `webhooks` or both',
  });

function describe(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
}

function unknownRoutes(rules: readonly FaultRule[], knownRoutes: readonly string[]): string | undefined {
  const unknown = rules
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.route !== undefined && !knownRoutes.includes(r.route));
  if (unknown.length === 0) return undefined;
  const list = unknown.map(({ r, i }) => `rules.${i}.route "${r.route}"`).join(', ');
  return `Invalid fault rules: unknown route ${list}. Known routes: ${knownRoutes.join(', ')}`;
}

/** Readable messages for bad rules ("0.kind: …"), or the parsed rules. */
export function parseFaultRules(
  input: unknown,
  knownRoutes: readonly string[],
): { ok: true; rules: FaultRule[] } | { ok: false; message: string } {
  const parsed = z.array(faultRuleSchema).safeParse(input);
  if (!parsed.success) return { ok: false, message: `Invalid fault rules: ${describe(parsed.error)}` };
  const unknown = unknownRoutes(parsed.data, knownRoutes);
  return unknown === undefined ? { ok: true, rules: parsed.data } : { ok: false, message: unknown };
}

/** PUT /__sandbox/faults's body: `{rules?, webhooks?}`, validated; `webhooks: null` clears them. */
export function parseFaultsBody(
  input: unknown,
  knownRoutes: readonly string[],
): { ok: true; rules?: FaultRule[]; webhooks?: WebhookFaults | null } | { ok: false; message: string } {
  const parsed = faultsBodySchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: `Invalid faults: ${describe(parsed.error)}` };
  const { rules, webhooks } = parsed.data;
  const unknown = rules === undefined ? undefined : unknownRoutes(rules, knownRoutes);
  if (unknown !== undefined) return { ok: false, message: unknown };
  return {
    ok: true,
    rules,
    webhooks: webhooks === undefined || webhooks === null ? webhooks : webhookFaults(webhooks),
  };
}

interface RuleState {
  rule: FaultRule;
  seen: number;
  fired: number;
}

export class FaultEngine {
  private states: RuleState[] = [];

  set(rules: readonly FaultRule[]): void {
    this.states = rules.map((rule) => ({ rule, seen: 0, fired: 0 }));
  }

  /**
   * The rule that answers this call, if any (counts the call against matching rules).
   * `namedOnly`: only rules that name this route apply (route-less rules are for the API routes).
   */
  pick(routeKey: string, namedOnly = false): FaultRule | undefined {
    for (const state of this.states) {
      const { rule } = state;
      if (rule.route === undefined ? namedOnly : rule.route !== routeKey) continue;
      if (rule.count !== undefined && state.fired >= rule.count) continue;
      state.seen++;
      const share = rule.share ?? 1;
      // Fires when the running total seen × share crosses an integer (1e-9 absorbs float error).
      const fires = Math.ceil(state.seen * share - 1e-9) > Math.ceil((state.seen - 1) * share - 1e-9);
      if (fires) {
        state.fired++;
        return rule;
      }
    }
    return undefined;
  }
}

/** A JSON body of the wrong shape for the route's envelope: `{"contact":"oops"}`, `{"tasks":{}}`. */
export function badShapeBody(envelope: { key: string; kind: 'object' | 'array' | 'boolean' }): Record<string, unknown> {
  return { [envelope.key]: envelope.kind === 'array' ? {} : 'oops' };
}

/** The envelope key holding lists nested 10,000 levels deep: `{"contact":[[[[…]]]]}`. */
export function deepJsonText(envelope: { key: string }, depth = 10_000): string {
  return `{"${envelope.key}":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

/** The start of a plausible body, cut off mid-record, as a dropped connection would leave it. */
export function malformedJsonText(envelope: { key: string; kind: 'object' | 'array' | 'boolean' }): string {
  const open = envelope.kind === 'array' ? '[{' : '{';
  return `{"${envelope.key}":${open}"id":"ocQHyuzHvysMo5N5VsXc","firstName":"Trunc`;
}
