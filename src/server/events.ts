// Webhooks, live subscriptions and task automation, assembled from configuration. Handlers run in
// this order for every accepted event: cache eviction (so the next read is fresh), the pubsub
// publish (so a subscriber that re-reads sees the new data), then automation.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Plugin } from 'graphql-yoga';
import type { ManagedDeps } from './app.js';
import { openLedger, type Ledger, type RunLog } from '../automation/ledger.js';
import { automationHandler } from '../automation/handler.js';
import { loadRules } from '../automation/rules.js';
import type { UpstreamBudget } from '../budget/budget.js';
import { newCostMeter } from '../budget/cost-meter.js';
import type { Config } from './config.js';
import { managedSend } from '../credentials/managed-send.js';
import { cacheEvictionHandler } from '../events/cache-eviction.js';
import { createEventPipeline, type EventPipeline } from '../events/event-pipeline.js';
import { livePublishHandler } from '../events/live-publish.js';
import type { WebhookPublicKeys } from '../events/verify-signature.js';
import { GhlClient } from '../ghl/client.js';
import type { LiveEvents } from '../storage/pubsub.js';
import type { Logger } from '../log.js';

export interface EventWiring {
  plugin: Plugin;
  pipeline: EventPipeline;
  runs: RunLog | undefined;
  close(): Promise<void>;
}

export interface EventWiringDeps {
  config: Config;
  budget: UpstreamBudget;
  live: LiveEvents;
  managed: ManagedDeps | undefined;
  logger: Logger;
  /** The sandbox's keys when running on it; otherwise GHL's from configuration. */
  publicKeys?: WebhookPublicKeys;
  /** On the sandbox, state goes to a fresh temp dir unless configured: its data resets each start. */
  ephemeral?: boolean;
}

export async function wireEvents(deps: EventWiringDeps): Promise<EventWiring | undefined> {
  const { config, logger } = deps;
  const publicKeys: WebhookPublicKeys = deps.publicKeys ?? {
    ...(config.GHL_WEBHOOK_ED25519_PUBLIC_KEY ? { ed25519: config.GHL_WEBHOOK_ED25519_PUBLIC_KEY } : {}),
    ...(config.GHL_WEBHOOK_RSA_PUBLIC_KEY ? { rsa: config.GHL_WEBHOOK_RSA_PUBLIC_KEY } : {}),
  };
  if (publicKeys.ed25519 === undefined && publicKeys.rsa === undefined) {
    if (config.AUTOMATION_RULES_FILE) throw new Error('AUTOMATION_RULES_FILE needs webhooks: set GHL_WEBHOOK_ED25519_PUBLIC_KEY or GHL_WEBHOOK_RSA_PUBLIC_KEY.');
    return undefined;
  }
  const stateDir = deps.ephemeral && !config.EVENTS_DIR ? await mkdtemp(path.join(tmpdir(), 'ghl-gateway-events-')) : undefined;
  const eventsDir = config.EVENTS_DIR ?? stateDir ?? '.data/webhooks';

  let ledger: Ledger | undefined;
  const handlers = [
    // An uninstall drops the credential but keeps the location's API keys: a re-install then
    // brings the frontend back without handing it new keys (remove-location drops them too).
    cacheEvictionHandler(deps.budget, deps.managed ? { onUninstall: async (loc) => void (await deps.managed!.store.removeCredential(loc)) } : {}),
    livePublishHandler(deps.live),
  ];
  if (config.AUTOMATION_RULES_FILE) {
    const managed = deps.managed;
    if (managed === undefined) throw new Error('AUTOMATION_RULES_FILE needs managed credentials (CREDENTIALS_KEY): rules run with the location\'s credential.');
    const rules = await loadRules(config.AUTOMATION_RULES_FILE);
    ledger = await openLedger({
      file: config.AUTOMATION_LEDGER_FILE ?? (stateDir ? path.join(stateDir, 'automation-ledger.jsonl') : '.data/automation-ledger.jsonl'),
      logger,
    });
    // Each run is its own request to the budget: the location's credential, GHL's rate limit.
    const clientFor = (locationId: string) =>
      new GhlClient(managedSend(deps.budget.sendFor(newCostMeter()), managed.tokens), {
        token: '',
        tenant: `location:${locationId}`,
        locationId,
      });
    handlers.push(automationHandler({ rules, ledger, clientFor, logger }));
    logger.info('task automation on', { rules: rules.length });
  }

  const pipeline = await createEventPipeline({
    dir: eventsDir,
    publicKeys,
    maxPending: config.WEBHOOK_MAX_PENDING,
    staleAfterMs: config.WEBHOOK_STALE_AFTER_MS,
    handlers,
    logger,
  });
  return {
    plugin: pipeline.plugin,
    pipeline,
    runs: ledger?.runs,
    async close() {
      await pipeline.close();
      await ledger?.close();
    },
  };
}
