// Whether a rule applies to an event. Split in two because the second half may cost a GHL call:
// `listensTo` looks at the payload only (trigger, location) and runs for every rule on every
// event; `conditionsHold` needs the contact, which non-contact events do not carry.
import type { AutomationEvent, ContactFacts } from './event.js';
import type { Rule } from './rules.js';

export function listensTo(rule: Rule, event: AutomationEvent): boolean {
  if (!rule.enabled || !event.triggers.includes(rule.on)) return false;
  return rule.when.locationId === undefined || rule.when.locationId === event.locationId;
}

/**
 * The contact must be fetched when the rule reads a field the payload does not carry: every
 * contact field for appointment, task and note events, and `type` for contact events (their
 * flat payload's `type` is the event's own).
 */
export function needsContact(rule: Rule, event: AutomationEvent): boolean {
  if (event.kind === 'contact') return rule.contactFields.has('type');
  return [...rule.contactFields].some((field) => field !== 'id');
}

/** `when.tags`, `when.source`, `when.type` against the contact (tagAdded is the runner's: it needs the ledger). */
export function conditionsHold(
  rule: Rule,
  contact: ContactFacts | undefined,
): { ok: true } | { ok: false; reason: string } {
  const { tags, source, type } = rule.when;
  if (tags !== undefined) {
    const has = new Set((contact?.tags ?? []).map(normalTag));
    const missing = tags.filter((t) => !has.has(normalTag(t)));
    if (missing.length > 0) return { ok: false, reason: `the contact lacks the tag(s) ${missing.join(', ')}` };
  }
  if (source !== undefined && !sameText(contact?.values.source, source)) {
    return { ok: false, reason: `the contact's source is not "${source}"` };
  }
  if (type !== undefined && !sameText(contact?.values.type, type)) {
    return { ok: false, reason: `the contact's type is not "${type}"` };
  }
  return { ok: true };
}

/** For contact.tagAdded rules: true/false, or undefined when the event does not list the contact's tags. */
export function hasWatchedTag(rule: Rule, contact: ContactFacts | undefined): boolean | undefined {
  const watched = rule.when.tagAdded;
  if (watched === undefined || contact?.tags === undefined) return undefined;
  return contact.tags.some((t) => normalTag(t) === normalTag(watched));
}

/** GHL stores tags lower-cased and trimmed; compare the same way. */
export function normalTag(tag: string): string {
  return tag.trim().toLowerCase();
}

function sameText(actual: string | undefined, expected: string): boolean {
  return actual !== undefined && actual.trim().toLowerCase() === expected.trim().toLowerCase();
}
