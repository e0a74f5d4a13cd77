// Webhooks, live subscriptions and task automation, assembled from configuration. Handlers run in
// this order for every accepted event: cache eviction (so the next read is fresh), the pubsub
// publish (so a subscriber that re-reads sees the new data), installs, then automation.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Plugin } from 'graphql-yoga';
import { automationHandler } from '../automation/handler.js';
import { openLedger, type Ledger, type RunLog } from '../automation/ledger.js';
import { loadRules } from '../automation/rules.js';
import type { UpstreamBudget } from '../budget/budget.js';
import { cacheEvictionHandler } from '../events/cache-eviction.js';
import { createEventPipeline, type EventPipeline } from '../events/event-pipeline.js';
import { installHandler, type InstallCallbacks } from '../events/install-handler.js';
import { livePublishHandler } from '../events/live-publish.js';
import type { EventHandler } from '../events/processor.js';
import type { WebhookPublicKeys } from '../events/verify-signature.js';
import { CredentialError } from '../credentials/errors.js';
import { errorMessage, type Logger } from '../log.js';
import type { LiveChanges } from '../storage/pubsub.js';
import type { Config } from './config.js';
import type { GhlClients } from './ghl-clients.js';
import type { ManagedCredentials } from './managed-credentials.js';

export interface EventWiring {
  plugin: Plugin;
  pipeline: EventPipeline;
  runs: RunLog | undefined;
  close(): Promise<void>;
}

export interface EventWiringDeps {
  config: Config;
  budget: UpstreamBudget;
  clients: GhlClients;
  live: LiveChanges;
  managed: ManagedCredentials | undefined;
  logger: Logger;
  /** The keys webhooks are verified with (the sandbox's, or GHL's: start-gateway.ts). */
  publicKeys: WebhookPublicKeys;
  /** On the sandbox, state goes to a fresh temp dir unless configured: its data resets each start. */
  ephemeral?: boolean;
  /** This app's id, from its OAuth client id: other apps' events are ignored. */
  appId?: string;
}

export async function wireEvents(deps: EventWiringDeps): Promise<EventWiring> {
  const { config, logger, managed, publicKeys } = deps;
  const stateDir =
    deps.ephemeral && !config.EVENTS_DIR ? await mkdtemp(path.join(tmpdir(), 'ghl-gateway-events-')) : undefined;
  const eventsDir = config.EVENTS_DIR ?? stateDir ?? '.data/webhooks';

  const handlers: EventHandler[] = [cacheEvictionHandler(deps.budget), livePublishHandler(deps.live)];
  if (managed) handlers.push(installHandler(installCallbacks(managed, logger)));
  let ledger: Ledger | undefined;
  if (config.AUTOMATION_RULES_FILE) {
    if (managed === undefined)
      throw new Error(
        "AUTOMATION_RULES_FILE needs managed credentials (CREDENTIALS_KEY): rules run with the location's credential.",
      );
    const rules = await loadRules(config.AUTOMATION_RULES_FILE);
    ledger = await openLedger({
      file:
        config.AUTOMATION_LEDGER_FILE ??
        (stateDir ? path.join(stateDir, 'automation-ledger.jsonl') : '.data/automation-ledger.jsonl'),
      logger,
    });
    handlers.push(automationHandler({ rules, ledger, clientFor: deps.clients.forLocation, logger }));
    logger.info('task automation on', { rules: rules.length });
  }

  const pipeline = await createEventPipeline({
    dir: eventsDir,
    publicKeys,
    maxPending: config.WEBHOOK_MAX_PENDING,
    staleAfterMs: config.WEBHOOK_STALE_AFTER_MS,
    handlers,
    logger,
    ...(deps.appId !== undefined ? { appId: deps.appId } : {}),
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

/**
 * What INSTALL and UNINSTALL mean for stored credentials. An agency install names the company and
 * its locations: each gets a location credential minted from the agency's grant, as GHL's SDK
 * does (a no-op when the callback already stored it, or when no agency grant is held yet). An
 * uninstall drops the credential but keeps the location's API keys: a re-install then brings the
 * frontend back without handing it new keys (remove-location drops them too).
 */
function installCallbacks(managed: ManagedCredentials, logger: Logger): InstallCallbacks {
  return {
    async onInstall(change) {
      if (change.companyId === undefined) return;
      for (const locationId of change.locationIds) {
        try {
          await managed.tokens.installCompanyLocation(change.companyId, locationId);
        } catch (error) {
          // A retryable failure (GHL unavailable) is worth the processor's retry; the rest is final.
          if (error instanceof CredentialError && error.retryable) throw error;
          logger.warn('agency install: no credential minted for a location', {
            locationId,
            error: errorMessage(error),
          });
        }
      }
    },
    async onUninstall(change) {
      for (const locationId of change.locationIds) await managed.store.removeCredential(locationId);
      if (change.locationId === undefined && change.companyId !== undefined)
        await managed.tokens.uninstallCompany(change.companyId);
    },
  };
}
