// The task a rule creates for one event, and the marker that ties it back to that run.
//
// The marker is the last line of the task body, `[automation <ruleId>/<webhookId>]`. GHL's task
// create is not idempotent and takes no client key, so the marker is the only way to find out,
// after a crash, whether an earlier attempt's task exists (see runner.ts).
import { ghlDueDate } from '../ghl/tasks.js';
import type { AutomationEvent, ContactFacts } from './event.js';
import type { Rule } from './rules.js';
import { renderTemplate } from './template.js';
import type { ContactField } from './triggers.js';

export interface TaskInput {
  title: string;
  body: string;
  dueDate: string;
  assignedTo?: string;
}

// GHL's limits (tasks.ts checks them again before sending).
const TITLE_MAX = 255;
const BODY_MAX = 5_000;

export function markerOf(ruleId: string, webhookId: string): string {
  return `[automation ${ruleId}/${webhookId}]`;
}

export function hasMarker(body: string | null | undefined, marker: string): boolean {
  return typeof body === 'string' && body.includes(marker);
}

export function buildTask(
  rule: Rule,
  event: AutomationEvent,
  contact: ContactFacts | undefined,
  marker: string,
  now: number,
): TaskInput {
  const value = (variable: string): string | undefined => {
    if (variable.startsWith('contact.')) {
      const field = variable.slice('contact.'.length) as ContactField;
      return contact?.values[field] ?? (field === 'id' ? event.contactId : undefined);
    }
    switch (variable) {
      case 'event.type':
        return event.type;
      case 'event.webhookId':
        return event.webhookId;
      case 'event.locationId':
        return event.locationId;
      case 'event.timestamp':
        return event.at === undefined ? undefined : new Date(event.at).toISOString();
      case 'rule.id':
        return rule.id;
      case 'tag':
        return rule.when.tagAdded;
      default:
        return event.record[variable];
    }
  };
  // A title is one line; a template that renders to nothing still needs a title GHL accepts.
  const title =
    renderTemplate(rule.task.title, value).replace(/\s+/g, ' ').trim().slice(0, TITLE_MAX).trim() || rule.id;
  const text = rule.task.body === undefined ? '' : renderTemplate(rule.task.body, value).trim();
  const room = BODY_MAX - marker.length - 2;
  const body = text === '' ? marker : `${text.slice(0, room)}\n\n${marker}`;
  return {
    title,
    body,
    // Whole seconds, as GHL takes due dates (the client would strip them too; the ledger keeps this).
    dueDate: ghlDueDate(now + rule.task.dueInMs),
    ...(rule.task.assignedTo === undefined ? {} : { assignedTo: rule.task.assignedTo }),
  };
}
