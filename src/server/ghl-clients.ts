// The one place a GHL client is built: for a GraphQL request's caller, and for work the gateway
// does on a location's behalf (automation). Each client is its own request to the shared budget
// (its own cost meter), and a managed location's calls carry its credential, fetched and
// refreshed per call.
import type { UpstreamBudget } from '../budget/budget.js';
import { newCostMeter, type CostMeter } from '../budget/cost-meter.js';
import { managedSend } from '../credentials/managed-send.js';
import type { TokenManager } from '../credentials/token-manager.js';
import { locationTenant, type GhlCaller } from '../ghl/call.js';
import { GhlClient } from '../ghl/client.js';

export interface GhlClients {
  /** A client for one caller; an API-key caller's GHL token is its location's. */
  forCaller(caller: GhlCaller & { kind: string }, meter: CostMeter, signal?: AbortSignal): GhlClient;
  /** A client with a managed location's own credential, as its own request to the budget. */
  forLocation(locationId: string): GhlClient;
}

export function ghlClients(budget: UpstreamBudget, tokens: TokenManager | undefined): GhlClients {
  return {
    forCaller(caller, meter, signal) {
      const budgeted = budget.sendFor(meter);
      const send = caller.kind === 'api-key' && tokens ? managedSend(budgeted, tokens) : budgeted;
      return new GhlClient(send, caller, signal);
    },
    forLocation(locationId) {
      if (tokens === undefined) throw new Error('A location client needs managed credentials (CREDENTIALS_KEY).');
      const caller: GhlCaller = { token: '', tenant: locationTenant(locationId), locationId };
      return new GhlClient(managedSend(budget.sendFor(newCostMeter()), tokens), caller);
    },
  };
}
