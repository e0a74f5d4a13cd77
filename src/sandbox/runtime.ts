// The sandbox's mutable state in one place: data, tokens, OAuth grants, limiter, faults, stats,
// latency, webhook delivery, and the timers of delayed responses (cancelled on close so nothing
// keeps the process alive).

import { FaultEngine } from './faults.js';
import type { FaultRule } from './faults.js';
import { OAuthGrants } from './oauth-grants.js';
import { rateLimitConfig } from './options.js';
import type { OAuthOption, SandboxConfig, WebhooksOption } from './options.js';
import { RateLimiter } from './rate-limiter.js';
import type { RateLimitConfig } from './rate-limiter.js';
import { generateDataset } from './seed/generate.js';
import { StatsRecorder } from './stats.js';
import { SandboxStore } from './store.js';
import { TokenDirectory } from './tokens.js';
import type { SandboxLocationTokens } from './tokens.js';
import { WebhookDelivery } from './webhook-delivery.js';
import { WebhookSigner } from './webhook-keys.js';
import { Timers } from './timers.js';

export class SandboxRuntime {
  store: SandboxStore;
  readonly tokens: TokenDirectory;
  readonly locationTokens: SandboxLocationTokens[];
  readonly oauth: OAuthGrants;
  readonly faults = new FaultEngine();
  readonly stats = new StatsRecorder();
  faultRules: FaultRule[] = [];
  limiter: RateLimiter;
  readonly webhookSigner: WebhookSigner;
  readonly webhooks: WebhookDelivery;
  private readonly timers = new Timers();

  constructor(
    private readonly seed: number,
    readonly tokenSecret: string,
    public rateLimit: RateLimitConfig | null,
    public latencyMs: number,
    oauth: OAuthOption = {},
    webhooks: WebhooksOption = {},
  ) {
    const dataset = generateDataset(seed, new Date());
    this.store = new SandboxStore(dataset, seed);
    this.tokens = new TokenDirectory(tokenSecret, dataset.privateIntegrationTokens);
    this.locationTokens = this.tokens.locationTokens(dataset.locations);
    this.oauth = new OAuthGrants(tokenSecret, dataset.locations, oauth);
    this.limiter = new RateLimiter(rateLimit);
    this.webhookSigner = new WebhookSigner(seed);
    this.webhooks = new WebhookDelivery(this.webhookSigner, () => this.oauth.appId, webhooks);
  }

  /**
   * Data back to the seed; stats, faults (webhook faults too) and rate-limit counters cleared;
   * pending webhook deliveries cancelled and their log cleared (the webhook settings stay). Tokens stay valid, and
   * so do OAuth grants: an app installed stays installed, as printed tokens stay valid.
   */
  reset(): void {
    this.store = new SandboxStore(generateDataset(this.seed, new Date()), this.seed);
    this.stats.reset();
    this.webhooks.reset();
    this.setFaults([]);
    this.limiter = new RateLimiter(this.rateLimit);
  }

  setFaults(rules: FaultRule[]): void {
    this.faultRules = rules;
    this.faults.set(rules);
  }

  /** Settings from configure() or PUT /__sandbox/config (already validated); absent ones stay. */
  applyConfig(config: SandboxConfig): void {
    if (config.latencyMs !== undefined) this.latencyMs = config.latencyMs;
    if (config.rateLimit !== undefined) this.setRateLimit(rateLimitConfig(config.rateLimit));
    if (config.oauth !== undefined) this.oauth.configure(config.oauth);
    if (config.webhooks !== undefined) this.webhooks.configure(config.webhooks);
  }

  /** A new limit starts with fresh counters. */
  setRateLimit(config: RateLimitConfig | null): void {
    this.rateLimit = config;
    this.limiter = new RateLimiter(config);
  }

  sleep(ms: number): Promise<void> {
    return this.timers.sleep(ms);
  }

  /** Pending sleeps never resolve: their requests are dropped with their sockets. */
  cancelTimers(): void {
    this.timers.cancelAll();
  }
}
