// The sandbox's in-memory database. Writes persist for the life of the process (or until
// reset). Ids for new records come from a seeded generator, so a scripted session produces
// the same ids every run.

import type {
  AppointmentRecord,
  ContactRecord,
  LocationRecord,
  NoteRecord,
  SandboxDataset,
  TaskRecord,
} from './records.js';
import { SeededRandom } from './seed/random.js';

export class SandboxStore {
  readonly locations: readonly LocationRecord[];
  private readonly contacts = new Map<string, ContactRecord>();
  private readonly tasks = new Map<string, TaskRecord[]>();
  private readonly notes = new Map<string, NoteRecord[]>();
  private readonly appointments = new Map<string, AppointmentRecord[]>();
  private readonly ids: SeededRandom;

  constructor(dataset: SandboxDataset, seed: number) {
    this.locations = dataset.locations;
    // A stream distinct from the one that generated the data.
    this.ids = new SeededRandom(seed ^ 0x5a5a5a5a);
    for (const c of dataset.contacts) this.contacts.set(c.id, c);
    for (const t of dataset.tasks) this.listFor(this.tasks, t.contactId).push(t);
    for (const n of dataset.notes) this.listFor(this.notes, n.contactId).push(n);
    for (const a of dataset.appointments) this.listFor(this.appointments, a.contactId).push(a);
  }

  private listFor<T>(map: Map<string, T[]>, contactId: string): T[] {
    let list = map.get(contactId);
    if (!list) {
      list = [];
      map.set(contactId, list);
    }
    return list;
  }

  newId(): string {
    let id = this.ids.ghlId();
    while (this.contacts.has(id)) id = this.ids.ghlId();
    return id;
  }

  location(id: string): LocationRecord | undefined {
    return this.locations.find((l) => l.id === id);
  }

  contact(id: string): ContactRecord | undefined {
    return this.contacts.get(id);
  }

  contactsIn(locationId: string): ContactRecord[] {
    return [...this.contacts.values()].filter((c) => c.locationId === locationId);
  }

  insertContact(contact: ContactRecord): void {
    this.contacts.set(contact.id, contact);
  }

  /** GHL deletes a contact's tasks and notes with it; appointments stay on the calendar. */
  deleteContact(id: string): void {
    this.contacts.delete(id);
    this.tasks.delete(id);
    this.notes.delete(id);
  }

  tasksOf(contactId: string): TaskRecord[] {
    return this.listFor(this.tasks, contactId);
  }

  notesOf(contactId: string): NoteRecord[] {
    return this.listFor(this.notes, contactId);
  }

  appointmentsOf(contactId: string): AppointmentRecord[] {
    return this.appointments.get(contactId) ?? [];
  }

  appointment(id: string): AppointmentRecord | undefined {
    for (const list of this.appointments.values()) {
      const found = list.find((a) => a.id === id);
      if (found) return found;
    }
    return undefined;
  }

  insertAppointment(appointment: AppointmentRecord): void {
    this.listFor(this.appointments, appointment.contactId).push(appointment);
  }

  deleteAppointment(appointment: AppointmentRecord): void {
    const list = this.appointments.get(appointment.contactId);
    const index = list?.indexOf(appointment) ?? -1;
    if (list && index >= 0) list.splice(index, 1);
  }
}
