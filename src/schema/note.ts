// Note: Contact.notes / Contact.note and the note writes.
import type { GatewayContext } from '../server/context.js';
import { noteCreateInput, noteUpdateInput, type NoteRecord } from '../ghl/notes.js';
import { readInstant } from '../ghl/dates.js';
import { childKey } from '../loaders/loaders.js';
import { builder } from './builder.js';
import { ContactRef } from './contact.js';
import { ghlCost } from './cost.js';
import { idArg, parseInput } from './errors/input.js';
import { defined, DeletePayloadRef, writeField } from './payloads.js';

export const NoteRef = builder.objectRef<NoteRecord>('Note').implement({
  description: 'A free-text note on a contact.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, description: 'GHL note id.' }),
    contactId: t.exposeString('contactId', { description: 'The contact it belongs to.' }),
    body: t.exposeString('body', { description: 'The text.' }),
    title: t.exposeString('title', { description: 'Optional title.' }),
    userId: t.exposeString('userId', { description: 'Id of the GHL user who wrote it.' }),
    color: t.exposeString('color', { description: 'Display colour, e.g. #FFAA00.' }),
    pinned: t.exposeBoolean('pinned', { description: 'Whether it is pinned.' }),
    dateAdded: t.field({
      type: 'DateTime',
      description: 'When it was written.',
      resolve: (n) => readInstant(n.dateAdded),
    }),
    dateAddedRaw: t.exposeString('dateAdded', {
      description: 'dateAdded exactly as GHL sent it; dateAdded is null when this cannot be read as a time.',
    }),
  }),
});

builder.objectFields(ContactRef, (t) => ({
  notes: t.field({
    extensions: ghlCost({ calls: 1 }),
    type: [NoteRef],
    // Nullable so that one contact's failing call nulls this field alone, not the page.
    nullable: { list: true, items: false },
    description: "The contact's notes, newest first. One GHL call per contact per request.",
    resolve: async (contact, _args, context) => {
      const notes = await context.loaders.notes.load(contact.id);
      return [...notes].sort((a, b) => (readInstant(b.dateAdded) ?? '').localeCompare(readInstant(a.dateAdded) ?? ''));
    },
  }),
  note: t.field({
    extensions: ghlCost({ calls: 1 }),
    type: NoteRef,
    description: 'One note of the contact; null when it has no such note.',
    args: { id: t.arg.id({ required: true, description: 'GHL note id.' }) },
    resolve: (contact, args, context) => context.loaders.note.load(childKey(contact.id, idArg('id', args.id))),
  }),
}));

const NoteInput = builder.inputType('NoteInput', {
  subGraphs: ['write'],
  description: 'Note fields. On create `body` is required; on update omitted fields stay as they are.',
  fields: (t) => ({
    body: t.string({ description: 'The text.' }),
    title: t.string({ description: 'Optional title.' }),
    userId: t.id({ description: 'GHL user id of the author.' }),
    color: t.string({ description: 'Display colour, e.g. #FFAA00.' }),
    pinned: t.boolean({ description: 'Pin it.' }),
  }),
});

const NotePayloadRef = builder.objectRef<{ note: NoteRecord }>('NotePayload').implement({
  subGraphs: ['write'],
  description: 'The note as it is after the write.',
  fields: (t) => ({
    note: t.field({ type: NoteRef, nullable: false, description: 'The changed note.', resolve: (p) => p.note }),
  }),
});

function settle(context: GatewayContext, contactId: string, note: NoteRecord) {
  context.loaders.settleChild('note', contactId, note.id, note);
  return { note };
}

builder.mutationFields((t) => {
  const ids = {
    contactId: t.arg.id({ required: true, description: 'GHL contact id.' }),
    noteId: t.arg.id({ required: true, description: 'GHL note id.' }),
  };
  return {
    createNote: t.field({
      type: NotePayloadRef,
      ...writeField(),
      description: 'Adds a note to a contact.',
      args: { contactId: ids.contactId, input: t.arg({ type: NoteInput, required: true }) },
      resolve: async (_root, args, context) => {
        const contactId = args.contactId;
        const body = parseInput(noteCreateInput, defined({ ...args.input }), 'input');
        return settle(context, contactId, await context.ghl.notes.create(contactId, body));
      },
    }),
    updateNote: t.field({
      type: NotePayloadRef,
      ...writeField(),
      description: 'Changes a note.',
      args: { ...ids, input: t.arg({ type: NoteInput, required: true }) },
      resolve: async (_root, args, context) => {
        const contactId = args.contactId;
        const body = parseInput(noteUpdateInput, defined({ ...args.input }), 'input');
        return settle(context, contactId, await context.ghl.notes.update(contactId, args.noteId, body));
      },
    }),
    deleteNote: t.field({
      type: DeletePayloadRef,
      ...writeField(),
      description: 'Deletes a note.',
      args: ids,
      resolve: async (_root, args, context) => {
        const contactId = args.contactId;
        const noteId = args.noteId;
        const success = await context.ghl.notes.delete(contactId, noteId);
        context.loaders.settleChild('note', contactId, noteId, null);
        return { deletedId: noteId, success };
      },
    }),
  };
});
