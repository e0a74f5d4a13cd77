// One rule on one event, exactly once, although GHL delivers events more than once, the event
// processor redelivers what failed, the process can die at any moment, and GHL's task create is
// not idempotent (no client key: a repeated POST makes a second task).
//
// The protocol, per ledger key (rule + webhookId; for contact.tagAdded rule + contact + tag):
//  1. `done` in the ledger: nothing to do (a redelivery is recorded as `duplicate`).
//  2. Otherwise decide the task (title, body, due date) and write `started` with it, durably,
//     BEFORE calling GHL. The body ends with a marker line `[automation <ruleId>/<webhookId>]`.
//  3. Create the task, then write `done` with its id (or `failed` with the reason).
// A crash between 2 and 3 leaves `started` (or `failed` after a timeout) and no way to know from
// the ledger whether GHL made the task: the POST may never have left, or GHL may have made it and
// the answer was lost. So a redelivery that finds `started` or `failed` first lists the contact's
// tasks and looks for the marker: found → record `done` with that task, not found → create the
// task decided in step 2. Because `started` is durable before any create is sent, every task
// this module makes is either recorded `done` or findable by its marker; and because a key's
// work runs one at a time (ledger.exclusive), two deliveries in one process never both create.
//
// What this rests on: the list is read fresh after the create (the upstream budget evicts
// `tasks:<contactId>` on every create that may have landed, and a restart starts cold), GHL
// keeps the task body as sent, and nobody edits the marker line out or deletes the task before a
// redelivery (then a second one is made, which is the better failure). One process per ledger.
import type { GhlClient } from '../ghl/client.js';
import { GhlBadInputError, GhlHttpError } from '../ghl/errors.js';
import { errorMessage, type Logger } from '../log.js';
import { contactFromRecord, type AutomationEvent, type ContactFacts } from './event.js';
import type { Ledger, LedgerEntry, RunRecord } from './ledger.js';
import { conditionsHold, hasWatchedTag, needsContact, normalTag } from './matching.js';
import type { Rule } from './rules.js';
import { buildTask, hasMarker, markerOf } from './task-input.js';

export interface RunnerDeps {
  ledger: Ledger;
  /** A client for the location, with its managed credential and inside the rate budget. */
  clientFor: (locationId: string) => GhlClient;
  logger?: Logger;
  now?: () => number;
}

export type RunOutcome =
  | { status: 'created'; taskId: string; reason?: string }
  | { status: 'duplicate' | 'skipped'; reason: string }
  | { status: 'failed'; reason: string; error: unknown; /** Worth a redelivery. */ retry: boolean }
  /** The rule does not apply to this event after all; nothing is recorded. */
  | { status: 'no-match'; reason: string };

export interface Runner {
  run(rule: Rule, event: AutomationEvent): Promise<RunOutcome>;
}

/** The ledger key: one task per rule and event, or per rule, contact and tag for contact.tagAdded. */
export function ledgerKey(rule: Rule, event: AutomationEvent, contactId: string): string {
  if (rule.on === 'contact.tagAdded' && rule.when.tagAdded !== undefined) {
    return `${rule.id}/contact/${contactId}/tag/${normalTag(rule.when.tagAdded)}`;
  }
  return `${rule.id}/${event.webhookId}`;
}

export function createRunner(deps: RunnerDeps): Runner {
  const { ledger, clientFor, logger } = deps;
  const now = deps.now ?? Date.now;

  async function run(rule: Rule, event: AutomationEvent): Promise<RunOutcome> {
    const locationId = event.locationId ?? '';
    const record = (status: RunRecord['status'], extra: { taskId?: string; reason?: string } = {}): RunRecord => ({
      ruleId: rule.id,
      webhookId: event.webhookId,
      eventType: event.type,
      locationId,
      ...(event.contactId === undefined ? {} : { contactId: event.contactId }),
      status,
      ...extra,
      at: new Date(now()).toISOString(),
    });

    const contactId = event.contactId;
    if (contactId === undefined) {
      const reason = 'the event names no contact';
      await ledger.write({ run: record('skipped', { reason }) });
      return { status: 'skipped', reason };
    }
    const key = ledgerKey(rule, event, contactId);
    return ledger.exclusive(key, async (): Promise<RunOutcome> => {
      const entry = ledger.get(key);

      if (rule.on === 'contact.tagAdded') {
        const gate = await tagGate(rule, event, entry);
        if (gate !== undefined) {
          if (gate.status === 'duplicate') await ledger.write({ run: record('duplicate', { reason: gate.reason }) });
          return gate;
        }
      } else if (entry?.state === 'done') {
        const reason = 'already done for this event';
        await ledger.write({ run: record('duplicate', { reason, ...(entry.taskId ? { taskId: entry.taskId } : {}) }) });
        return { status: 'duplicate', reason };
      }

      const client = clientFor(locationId);
      if ((entry?.state === 'started' || entry?.state === 'failed') && entry.task !== undefined) {
        return resume(entry, client, record);
      }

      // A fresh attempt: look at the contact if the rule needs more than the payload says.
      let contact: ContactFacts | undefined = event.contact;
      if (needsContact(rule, event)) {
        try {
          contact = contactFromRecord(await client.contacts.get(contactId));
        } catch (error) {
          return failed(error, record, undefined);
        }
      }
      const conditions = conditionsHold(rule, contact);
      if (!conditions.ok) return { status: 'no-match', reason: conditions.reason };

      const marker = markerOf(rule.id, event.webhookId);
      const started: LedgerEntry = {
        key,
        ruleId: rule.id,
        webhookId: event.webhookId,
        eventType: event.type,
        locationId,
        contactId,
        ...(event.at === undefined ? {} : { eventAt: event.at }),
        state: 'started',
        marker,
        task: buildTask(rule, event, contact, marker, now()),
        attempts: 0,
        sticky: rule.on === 'contact.tagAdded',
        updatedAt: now(),
      };
      // Durable before the create is sent: see the top of this file.
      await ledger.write({ entry: started });
      return create(started, client, record);
    });
  }

  /**
   * contact.tagAdded: GHL says which tags a contact has, not which one was just added. The rule
   * fires the first time an event shows the contact with the tag (and then never again for that
   * contact and tag), and is re-armed when a later event shows the contact without it, so a
   * removed and re-added tag fires again. Undefined means "go on as any rule would".
   */
  async function tagGate(
    rule: Rule,
    event: AutomationEvent,
    entry: LedgerEntry | undefined,
  ): Promise<{ status: 'duplicate' | 'no-match'; reason: string } | undefined> {
    const has = hasWatchedTag(rule, event.contact);
    if (has === undefined) return { status: 'no-match', reason: 'the event does not list the contact’s tags' };
    if (!has) {
      // Only a removal GHL dates after the firing event re-arms: an old event delivered late
      // must not. Without GHL timestamps the rule simply fires once per contact and tag.
      if (entry?.state === 'done' && event.at !== undefined && event.at > (entry.eventAt ?? Number.POSITIVE_INFINITY)) {
        const { task: _task, reason: _reason, ...rest } = entry;
        await ledger.write({
          entry: {
            ...rest,
            state: 'rearmed',
            webhookId: event.webhookId,
            eventAt: event.at,
            sticky: false,
            updatedAt: now(),
          },
        });
        logger?.debug('automation: tag removed, rule re-armed', { ruleId: rule.id, contactId: entry.contactId });
      }
      return { status: 'no-match', reason: 'the contact does not have the tag' };
    }
    if (entry?.state === 'done') {
      return entry.webhookId === event.webhookId
        ? { status: 'duplicate', reason: 'already done for this event' }
        : { status: 'no-match', reason: 'already fired for this contact and tag' };
    }
    if (entry?.state === 'rearmed' && !(event.at !== undefined && event.at > (entry.eventAt ?? 0))) {
      return { status: 'no-match', reason: 'the event is older than the tag’s removal' };
    }
    return undefined;
  }

  /** The crash window: the task may or may not exist. Look for the marker before creating. */
  async function resume(entry: LedgerEntry, client: GhlClient, record: Recorder): Promise<RunOutcome> {
    let tasks;
    try {
      tasks = await client.tasks.list(entry.contactId);
    } catch (error) {
      return failed(error, record, entry);
    }
    const found = tasks.find((task) => hasMarker(task.body, entry.marker));
    if (found === undefined) return create(entry, client, record);
    const reason = 'found the task of an interrupted attempt';
    const { task: _task, ...settled } = entry;
    await ledger.write({
      entry: { ...settled, state: 'done', taskId: found.id, reason, updatedAt: now() },
      run: record('created', { taskId: found.id, reason }),
    });
    logger?.info('automation: task found after an interrupted attempt', { ruleId: entry.ruleId, taskId: found.id });
    return { status: 'created', taskId: found.id, reason };
  }

  async function create(entry: LedgerEntry, client: GhlClient, record: Recorder): Promise<RunOutcome> {
    const task = entry.task;
    if (task === undefined) throw new Error(`automation: ledger entry ${entry.key} has no task to create`);
    const attempted = { ...entry, attempts: entry.attempts + 1 };
    let created;
    try {
      created = await client.tasks.create(entry.contactId, task);
    } catch (error) {
      return failed(error, record, attempted);
    }
    // If this write fails the error goes up, the event is redelivered and resume() finds the task.
    // A settled entry keeps no task text: nothing will create it again.
    const { reason: _reason, task: _task, ...rest } = attempted;
    await ledger.write({
      entry: { ...rest, state: 'done', taskId: created.id, updatedAt: now() },
      run: record('created', { taskId: created.id }),
    });
    logger?.info('automation: task created', { ruleId: entry.ruleId, contactId: entry.contactId, taskId: created.id });
    return { status: 'created', taskId: created.id };
  }

  /** Records the failure (and the attempt, when one was under way) and says whether to retry. */
  async function failed(error: unknown, record: Recorder, entry: LedgerEntry | undefined): Promise<RunOutcome> {
    const reason = errorMessage(error);
    const retry = !isPermanent(error);
    const run = record('failed', { reason });
    try {
      await ledger.write({
        ...(entry === undefined ? {} : { entry: { ...entry, state: 'failed' as const, reason, updatedAt: now() } }),
        run,
      });
    } catch (writeError) {
      // The entry stays as it was (`started` at worst), which the next delivery reconciles.
      logger?.error('automation: could not record a failed run', { error: errorMessage(writeError) });
    }
    logger?.warn('automation: run failed', { ruleId: run.ruleId, webhookId: run.webhookId, reason, retry });
    return { status: 'failed', reason, error, retry };
  }

  return { run };
}

type Recorder = (status: RunRecord['status'], extra?: { taskId?: string; reason?: string }) => RunRecord;

/** GHL refused for a reason a redelivery cannot change: the input, a missing record, no access. */
function isPermanent(error: unknown): boolean {
  if (error instanceof GhlBadInputError) return true;
  return error instanceof GhlHttpError && [400, 403, 404, 422].includes(error.status);
}
