// The first handler: a change in GHL makes the reads cached from it stale, so they go before
// anything else reacts (a subscriber told about the change then reads fresh data). The budget
// evicts by location across tenants (budget.ts), so the tenant passed here only names the caller
// for the budget's bookkeeping; eviction only ever removes data, so no one can see more.
import type { UpstreamBudget } from '../budget/budget.js';
import { locationTenant } from '../ghl/call.js';
import { isRecordChange, staleTags } from '../ghl/changes.js';
import type { EventHandler } from './processor.js';

export function cacheEvictionHandler(budget: Pick<UpstreamBudget, 'evict' | 'evictLocation'>): EventHandler {
  return async function cacheEviction(change) {
    if (!isRecordChange(change)) {
      // An uninstall revokes the app's access: nothing read with it may be served any more.
      if (change.kind === 'uninstall') for (const locationId of change.locationIds) budget.evictLocation(locationId);
      return;
    }
    const tags = staleTags(change.kind, change.change, change.contactId);
    if (tags === 'location') budget.evictLocation(change.locationId);
    else budget.evict(change.locationId, locationTenant(change.locationId), tags);
  };
}
