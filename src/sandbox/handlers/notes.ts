// Notes of a contact, newest first. Each write is announced: NoteCreate, NoteUpdate, NoteDelete.

import { parseBody } from '../body-validation.js';
import { httpErrors } from '../http-error.js';
import type { ContactRecord, NoteRecord } from '../records.js';
import { createNoteBody, updateNoteBody } from '../request-bodies.js';
import { param, requireContact } from './context.js';
import type { Handler, HandlerContext } from './context.js';

export function noteView(n: NoteRecord): Record<string, unknown> {
  return {
    id: n.id,
    body: n.body,
    userId: n.userId,
    dateAdded: n.dateAdded,
    contactId: n.contactId,
    title: n.title,
    color: n.color,
    pinned: n.pinned,
  };
}

function requireNote(ctx: HandlerContext): {
  contact: ContactRecord;
  list: NoteRecord[];
  note: NoteRecord;
  index: number;
} {
  const contact = requireContact(ctx);
  const list = ctx.store.notesOf(contact.id);
  const noteId = param(ctx, 'id');
  const index = list.findIndex((n) => n.id === noteId);
  const note = list[index];
  if (!note) throw httpErrors.notFound('Note');
  return { contact, list, note, index };
}

export const listNotes: Handler = (ctx) => {
  const contact = requireContact(ctx);
  const notes = [...ctx.store.notesOf(contact.id)].sort(
    (a, b) => b.dateAdded.localeCompare(a.dateAdded) || a.id.localeCompare(b.id),
  );
  return { status: 200, body: { notes: notes.map(noteView) } };
};

export const getNote: Handler = (ctx) => ({ status: 200, body: { note: noteView(requireNote(ctx).note) } });

export const createNote: Handler = (ctx) => {
  const input = parseBody(createNoteBody, ctx.body);
  const contact = requireContact(ctx);
  const note: NoteRecord = {
    id: ctx.store.newId(),
    contactId: contact.id,
    body: input.body,
    dateAdded: ctx.now.toISOString(),
  };
  if (input.userId !== undefined) note.userId = input.userId;
  if (input.title !== undefined) note.title = input.title;
  if (input.color !== undefined) note.color = input.color;
  if (input.pinned !== undefined) note.pinned = input.pinned;
  ctx.store.notesOf(contact.id).push(note);
  ctx.webhooks.emit({ type: 'NoteCreate', locationId: contact.locationId, note }, ctx.now);
  return { status: 201, body: { note: noteView(note) } };
};

export const updateNote: Handler = (ctx) => {
  const input = parseBody(updateNoteBody, ctx.body);
  const { contact, note } = requireNote(ctx);
  if (input.body !== undefined) note.body = input.body;
  if (input.userId !== undefined) note.userId = input.userId;
  if (input.title !== undefined) note.title = input.title;
  if (input.color !== undefined) note.color = input.color;
  if (input.pinned !== undefined) note.pinned = input.pinned;
  ctx.webhooks.emit({ type: 'NoteUpdate', locationId: contact.locationId, note }, ctx.now);
  return { status: 200, body: { note: noteView(note) } };
};

export const deleteNote: Handler = (ctx) => {
  const { contact, list, note, index } = requireNote(ctx);
  list.splice(index, 1);
  ctx.webhooks.emit({ type: 'NoteDelete', locationId: contact.locationId, note }, ctx.now);
  return { status: 200, body: { succeded: true } };
};
