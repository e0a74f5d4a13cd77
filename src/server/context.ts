// What every resolver receives: the caller, its GHL client and its loaders, all built fresh for
// each request so that nothing holding a token outlives it.
import type { Caller } from '../auth/caller.js';
import type { RunLog } from '../automation/ledger.js';
import type { CostMeter } from '../budget/cost-meter.js';
import type { GhlClient } from '../ghl/client.js';
import type { LiveChanges } from '../storage/pubsub.js';
import type { Loaders } from '../loaders/loaders.js';

export interface GatewayContext {
  caller: Caller;
  ghl: GhlClient;
  loaders: Loaders;
  /** What this request cost upstream so far; reported in `extensions.cost`. */
  meter: CostMeter;
  /** Settings resolvers need from configuration. */
  settings: { syncLagMs: number };
  /** Webhook-reported changes, per location, for subscriptions. */
  live: LiveChanges;
  /** Task automation's run log, when automation is on. */
  automationRuns: RunLog | undefined;
  now: () => number;
}
