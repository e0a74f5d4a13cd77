// Per-request DataLoaders over the GHL client. GHL has no batch read, so a batch becomes one call
// per distinct key, run through the request's fan-out limit (limit.ts); DataLoader's value is the
// dedupe (the same contact asked for twice, by aliases or nesting, costs one call) and the
// priming (a contact a write returned, or a task a list returned, is not fetched again).
//
// The contact loader holds full records only. A list page's contacts are in the list's own,
// thinner shape (search records lack website, timezone, DND settings, …): priming with them would
// make `contact(id)` in the same request answer the thin record, so they never enter it.
import DataLoader from 'dataloader';
import type { AppointmentRecord } from '../ghl/appointments.js';
import type { GhlClient } from '../ghl/client.js';
import type { ContactRecord } from '../ghl/contacts.js';
import { GhlNotFoundError } from '../ghl/errors.js';
import type { NoteRecord } from '../ghl/notes.js';
import type { TaskRecord } from '../ghl/tasks.js';
import { createLimit, type Width } from './limit.js';

export interface Loaders {
  contact: DataLoader<string, ContactRecord | null>;
  tasks: DataLoader<string, TaskRecord[]>;
  notes: DataLoader<string, NoteRecord[]>;
  appointments: DataLoader<string, AppointmentRecord[]>;
  /** Keyed by `${contactId}/${taskId}`. */
  task: DataLoader<string, TaskRecord | null>;
  /** Keyed by `${contactId}/${noteId}`. */
  note: DataLoader<string, NoteRecord | null>;
  /** Makes contacts a write returned available by id without another call; list records are refused. */
  primeContacts(contacts: readonly FullContact[]): void;
  /**
   * After a task or note write: the contact's list of that kind is stale, and the record as GHL
   * returned it (or nothing, after a delete) is what a later read in this request sees.
   */
  settleChild(kind: 'task', contactId: string, id: string, record: TaskRecord | null): void;
  settleChild(kind: 'note', contactId: string, id: string, record: NoteRecord | null): void;
}

/** A contact by id: a record in a list's shape (`listedAs`) is not one, and the type says so. */
export type FullContact = ContactRecord & { readonly listedAs?: never };

export function childKey(contactId: string, childId: string): string {
  return `${contactId}/${childId}`;
}

export function createLoaders(ghl: GhlClient, width: Width): Loaders {
  const limit = createLimit(width);

  /** One upstream call per key, results in key order; a failure belongs to its key alone. */
  function perKey<V>(fetch: (key: string) => Promise<V>) {
    return (keys: readonly string[]) =>
      Promise.all(keys.map((key) => limit(() => fetch(key)).catch((error: unknown) => toError(error))));
  }

  const orNull = <V>(promise: Promise<V>): Promise<V | null> =>
    promise.catch((error: unknown) => {
      if (error instanceof GhlNotFoundError) return null;
      throw error;
    });

  const task = new DataLoader<string, TaskRecord | null>(
    perKey((key) => {
      const [contactId = '', taskId = ''] = splitKey(key);
      return orNull(ghl.tasks.get(contactId, taskId));
    }),
  );
  const note = new DataLoader<string, NoteRecord | null>(
    perKey((key) => {
      const [contactId = '', noteId = ''] = splitKey(key);
      return orNull(ghl.notes.get(contactId, noteId));
    }),
  );
  const contact = new DataLoader<string, ContactRecord | null>(perKey((id) => orNull(ghl.contacts.get(id))));

  const tasks = new DataLoader<string, TaskRecord[]>(
    perKey(async (contactId) => {
      const list = await ghl.tasks.list(contactId);
      for (const t of list) task.prime(childKey(contactId, t.id), t);
      return list;
    }),
  );
  const notes = new DataLoader<string, NoteRecord[]>(
    perKey(async (contactId) => {
      const list = await ghl.notes.list(contactId);
      for (const n of list) note.prime(childKey(contactId, n.id), n);
      return list;
    }),
  );
  const appointments = new DataLoader<string, AppointmentRecord[]>(
    perKey((contactId) => ghl.appointments.listForContact(contactId)),
  );

  return {
    contact,
    tasks,
    notes,
    appointments,
    task,
    note,
    primeContacts(list) {
      for (const c of list) contact.prime(c.id, c);
    },
    settleChild(kind: 'task' | 'note', contactId: string, id: string, record: TaskRecord | NoteRecord | null) {
      if (kind === 'task') settle(tasks, task, contactId, id, record as TaskRecord | null);
      else settle(notes, note, contactId, id, record as NoteRecord | null);
    },
  };
}

function settle<V>(
  list: DataLoader<string, V[]>,
  one: DataLoader<string, V | null>,
  contactId: string,
  id: string,
  record: V | null,
) {
  list.clear(contactId);
  one.clear(childKey(contactId, id));
  if (record !== null) one.prime(childKey(contactId, id), record);
}

function splitKey(key: string): [string | undefined, string | undefined] {
  const at = key.indexOf('/');
  return at < 0 ? [key, undefined] : [key.slice(0, at), key.slice(at + 1)];
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
