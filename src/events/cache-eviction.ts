// The default handler: a webhook says GHL's data changed, so the reads cached from it go. The
// budget evicts by location across tenants (budget.ts), so the tenant passed here only names the
// caller for the budget's bookkeeping; eviction only ever removes data, so no one can see more.
import type { UpstreamBudget } from '../budget/budget.js';
import { affected, evictionTags, needsLocationEviction } from './ghl-event.js';
import type { EventHandler } from './processor.js';

export interface CacheEvictionOptions {
  /**
   * Runs on UNINSTALL, after the location's cache is dropped: the app passes the credential
   * store's removeLocation, since GHL has revoked the grant. Must be idempotent (a missing
   * location is not an error), as every handler must.
   */
  onUninstall?: (locationId: string) => unknown;
}

export function cacheEvictionHandler(
  budget: Pick<UpstreamBudget, 'evict' | 'evictLocation'>,
  options: CacheEvictionOptions = {},
): EventHandler {
  return async function cacheEviction(event) {
    const what = affected(event);
    if (what === undefined) return;
    if (what.kind === 'uninstall') {
      budget.evictLocation(what.locationId);
      await options.onUninstall?.(what.locationId);
      return;
    }
    if (needsLocationEviction(event)) {
      budget.evictLocation(what.locationId);
      return;
    }
    const tags = evictionTags(event);
    if (tags.length > 0) budget.evict(what.locationId, `location:${what.locationId}`, tags);
  };
}
