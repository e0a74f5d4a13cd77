// Injected webhook failures, for randomised tests of a receiver: a share of events is lost
// before it is sent (GHL loses events too: any failure but a 429 is final), and a share is
// delivered twice, byte for byte (at-least-once delivery). The dice are seeded: the n-th event
// queued after the faults were set meets the same fate on every run with the same seed.

import { z } from 'zod';
import { SeededRandom } from './seed/random.js';

const rate = z.number().min(0).max(1);

export const webhookFaultsSchema = z.strictObject({
  /** Share of events never sent, in [0, 1]. Default 0. */
  dropRate: rate.optional(),
  /** Share of the events sent that are sent a second time, byte-identical, right after. Default 0. */
  duplicateRate: rate.optional(),
  /** Seed of the dice. Default 1. */
  seed: z.int().optional(),
});

export type WebhookFaultsInput = z.infer<typeof webhookFaultsSchema>;
export type WebhookFaults = Required<WebhookFaultsInput>;

export function webhookFaults(input: WebhookFaultsInput): WebhookFaults {
  return { dropRate: input.dropRate ?? 0, duplicateRate: input.duplicateRate ?? 0, seed: input.seed ?? 1 };
}

export type WebhookFate = 'send' | 'drop' | 'duplicate';

export class WebhookFaultDice {
  private readonly rng: SeededRandom;

  constructor(readonly faults: Readonly<WebhookFaults>) {
    this.rng = new SeededRandom(faults.seed);
  }

  /** Two draws per event, always, so one event's fate never shifts the next one's. */
  roll(): WebhookFate {
    const drop = this.rng.next() < this.faults.dropRate;
    const duplicate = this.rng.next() < this.faults.duplicateRate;
    if (drop) return 'drop';
    return duplicate ? 'duplicate' : 'send';
  }
}
