// Query.automationRuns: what the task automation rules did for the caller's location, newest
// first, so an operator can see a rule fire (or why it did not).
import type { RunRecord } from '../automation/ledger.js';
import { builder } from './builder.js';

const AutomationRunRef = builder.objectRef<RunRecord>('AutomationRun').implement({
  description: 'One automation rule applied to one GHL event.',
  fields: (t) => ({
    ruleId: t.exposeString('ruleId', { nullable: false, description: "The rule's id in the rules file." }),
    webhookId: t.exposeString('webhookId', { nullable: false, description: 'The GHL event it ran for.' }),
    eventType: t.exposeString('eventType', {
      nullable: false,
      description: "GHL's event type, e.g. ContactTagUpdate.",
    }),
    contactId: t.exposeString('contactId', { description: 'The contact the task is on.' }),
    status: t.exposeString('status', {
      nullable: false,
      description: 'created (a task was made), skipped, duplicate (a redelivery; nothing done) or failed.',
    }),
    taskId: t.exposeString('taskId', { description: 'The task created.' }),
    reason: t.exposeString('reason', { description: 'Why it was skipped or failed.' }),
    at: t.field({ type: 'DateTime', nullable: false, description: 'When it ran.', resolve: (r) => r.at }),
  }),
});

builder.queryField('automationRuns', (t) =>
  t.field({
    type: [AutomationRunRef],
    nullable: false,
    authScopes: { contactsRead: true },
    description: 'Recent task automation runs of your location, newest first; empty when automation is off.',
    args: { first: t.arg.int({ defaultValue: 20, description: 'How many, 1 to 200.' }) },
    resolve: (_root, args, context) => {
      if (context.automationRuns === undefined) return [];
      const limit = Math.min(200, Math.max(1, args.first ?? 20));
      return context.automationRuns.list({ locationId: context.caller.locationId, limit });
    },
  }),
);
