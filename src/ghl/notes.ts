// Notes of a contact.
import { z } from 'zod';
import { childReadTags, writeTags } from './changes.js';
import { read, write } from './call.js';
import type { GhlCore } from './core.js';
import { pathId } from './ids.js';
import { ghlIdInput, shortText } from './input-rules.js';
import { deleteEnvelope, flag, lenientList, recordId, text } from './lenient.js';

export const noteRecord = z.object({
  id: recordId(),
  body: text(),
  userId: text(),
  dateAdded: text(),
  contactId: text(),
  title: text(),
  color: text(),
  pinned: flag(),
});
export type NoteRecord = z.output<typeof noteRecord>;

export const noteEnvelope = z.object({ note: noteRecord });
export const notesEnvelope = z.object({ notes: lenientList(noteRecord) });

const noteBody = shortText(50_000).min(1, { message: 'must not be empty' });

export const noteCreateInput = z.object({
  body: noteBody,
  userId: ghlIdInput.optional(),
  title: shortText(255).optional(),
  color: z
    .string()
    .regex(/^#[0-9A-Fa-f]{6}$/, { message: 'must be a colour like #FFAA00' })
    .optional(),
  pinned: z.boolean().optional(),
});
export type NoteCreateInput = z.input<typeof noteCreateInput>;

export const noteUpdateInput = noteCreateInput.partial();
export type NoteUpdateInput = z.input<typeof noteUpdateInput>;

export class NotesApi {
  constructor(private readonly core: GhlCore) {}

  async list(contactId: string): Promise<NoteRecord[]> {
    const id = pathId('notes.list', 'contactId', contactId);
    const call = read('notes.list', `/contacts/${id}/notes`, childReadTags('note', contactId));
    return (await this.core.run(call, notesEnvelope)).notes;
  }

  async get(contactId: string, noteId: string): Promise<NoteRecord> {
    const id = pathId('notes.get', 'contactId', contactId);
    const nid = pathId('notes.get', 'noteId', noteId);
    const call = read('notes.get', `/contacts/${id}/notes/${nid}`, childReadTags('note', contactId));
    return (await this.core.run(call, noteEnvelope)).note;
  }

  async create(contactId: string, input: NoteCreateInput): Promise<NoteRecord> {
    const id = pathId('notes.create', 'contactId', contactId);
    const body = this.core.input('notes.create', noteCreateInput, input);
    const call = write('notes.create', 'POST', `/contacts/${id}/notes`, writeTags('note', 'created', contactId), body);
    return (await this.core.run(call, noteEnvelope)).note;
  }

  async update(contactId: string, noteId: string, input: NoteUpdateInput): Promise<NoteRecord> {
    const id = pathId('notes.update', 'contactId', contactId);
    const nid = pathId('notes.update', 'noteId', noteId);
    const body = this.core.input('notes.update', noteUpdateInput, input);
    const call = write(
      'notes.update',
      'PUT',
      `/contacts/${id}/notes/${nid}`,
      writeTags('note', 'updated', contactId),
      body,
    );
    return (await this.core.run(call, noteEnvelope)).note;
  }

  async delete(contactId: string, noteId: string): Promise<boolean> {
    const id = pathId('notes.delete', 'contactId', contactId);
    const nid = pathId('notes.delete', 'noteId', noteId);
    const call = write(
      'notes.delete',
      'DELETE',
      `/contacts/${id}/notes/${nid}`,
      writeTags('note', 'deleted', contactId),
    );
    return (await this.core.run(call, deleteEnvelope)).succeded === true;
  }
}
