// The budget as the environment configures it: every part on by default, all off for the
// baseline the benchmark compares against.
import type { Config } from './config.js';
import type { GhlSend } from '../ghl/call.js';
import { createUpstreamBudget, type UpstreamBudget } from '../budget/budget.js';

export function budgetFromConfig(send: GhlSend, config: Config): UpstreamBudget {
  if (config.UPSTREAM_BUDGET === 'off') {
    return createUpstreamBudget(send, { cache: false, coalesce: false, governor: false, retry: false });
  }
  return createUpstreamBudget(send, {
    cache: config.CACHE_TTL_MS > 0 ? { ttlMs: config.CACHE_TTL_MS, maxEntries: config.CACHE_MAX_ENTRIES } : false,
    coalesce: true,
    governor: {
      max: config.RATE_LIMIT_MAX,
      intervalMs: config.RATE_LIMIT_INTERVAL_MS,
      dailyMax: config.RATE_LIMIT_DAILY,
      maxWaitMs: config.RATE_LIMIT_MAX_WAIT_MS,
    },
    retry:
      config.RETRY_ATTEMPTS > 1
        ? {
            attempts: config.RETRY_ATTEMPTS,
            baseDelayMs: config.RETRY_BASE_DELAY_MS,
            maxDelayMs: config.RETRY_MAX_DELAY_MS,
            deadlineMs: config.RETRY_DEADLINE_MS,
          }
        : false,
  });
}
