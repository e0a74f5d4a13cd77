// The event processor's entry point: `(event) => Promise<void>` for each webhook event.
// Events that no rule listens to cost nothing (no GHL call, no disk write). Rules run one after
// another, each to its own outcome, so one rule's failure does not stop the others; the handler
// then throws if any failure is worth a redelivery, and the processor's redelivery retries only
// those (the rules that succeeded find `done` and record a duplicate).
import type { GhlClient } from '../ghl/client.js';
import type { Logger } from '../log.js';
import { isRecordChange } from '../ghl/changes.js';
import type { EventHandler } from '../events/processor.js';
import { automationEventOf } from './event.js';
import type { Ledger } from './ledger.js';
import { listensTo } from './matching.js';
import type { Rule } from './rules.js';
import { createRunner } from './runner.js';

export interface AutomationHandlerDeps {
  rules: readonly Rule[];
  ledger: Ledger;
  /** A client for the location, with its managed credential and inside the rate budget. */
  clientFor: (locationId: string) => GhlClient;
  logger?: Logger;
  now?: () => number;
}

/** Thrown when at least one rule failed in a way a redelivery may fix. */
export class AutomationRunError extends Error {
  constructor(
    readonly webhookId: string,
    readonly failures: Array<{ ruleId: string; error: unknown }>,
  ) {
    super(
      `automation: ${failures.length} rule(s) failed for webhook ${webhookId}: ` +
        failures.map((f) => `${f.ruleId} (${f.error instanceof Error ? f.error.message : String(f.error)})`).join('; '),
    );
    this.name = 'AutomationRunError';
  }
}

export function automationHandler(deps: AutomationHandlerDeps): EventHandler {
  const runner = createRunner(deps);
  const { logger } = deps;
  return async function automation(change) {
    if (!isRecordChange(change)) return;
    const event = automationEventOf(change);
    if (event.triggers.length === 0) return;
    const rules = deps.rules.filter((rule) => listensTo(rule, event));
    if (rules.length === 0) return;
    const failures: Array<{ ruleId: string; error: unknown }> = [];
    for (const rule of rules) {
      try {
        const outcome = await runner.run(rule, event);
        if (outcome.status === 'failed' && outcome.retry) failures.push({ ruleId: rule.id, error: outcome.error });
        if (outcome.status === 'no-match') {
          logger?.debug('automation: rule does not apply', {
            ruleId: rule.id,
            webhookId: event.webhookId,
            reason: outcome.reason,
          });
        }
      } catch (error) {
        // The ledger could not be written: the run's state is unknown, so let it be redelivered.
        failures.push({ ruleId: rule.id, error });
      }
    }
    if (failures.length > 0) throw new AutomationRunError(event.webhookId, failures);
  };
}
