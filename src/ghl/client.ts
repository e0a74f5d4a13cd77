// The GHL REST client for one caller: one object per request, holding the caller's token and the
// shared send pipeline (transport, or the upstream budget wrapped around it).
import type { GhlCaller, GhlSend } from './call.js';
import { AppointmentsApi } from './appointments.js';
import { ContactsApi } from './contacts.js';
import { GhlCore } from './core.js';
import { NotesApi } from './notes.js';
import { TagsApi } from './tags.js';
import { TasksApi } from './tasks.js';

export class GhlClient {
  readonly contacts: ContactsApi;
  readonly tasks: TasksApi;
  readonly notes: NotesApi;
  readonly appointments: AppointmentsApi;
  readonly tags: TagsApi;

  constructor(send: GhlSend, caller: GhlCaller, signal?: AbortSignal) {
    const core = new GhlCore(send, caller, signal);
    this.contacts = new ContactsApi(core);
    this.tasks = new TasksApi(core);
    this.notes = new NotesApi(core);
    this.appointments = new AppointmentsApi(core);
    this.tags = new TagsApi(core);
  }
}
