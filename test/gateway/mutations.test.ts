// Writes end to end through the generated, typed graphql-request SDK against a listening server:
// each write changes what the next query returns, and bad input never reaches GHL.
import { ClientError } from 'graphql-request';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGatewayClient, type GatewaySdk } from '../../src/client/create-client.js';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

const { sunrise } = sandboxFixtures;
let stack: Stack;
let writer: GatewaySdk;
let reader: GatewaySdk;

beforeAll(async () => {
  stack = await startStack();
  writer = createGatewayClient({ url: stack.url, token: stack.readWrite });
  reader = createGatewayClient({ url: stack.url, token: stack.readOnly });
});
afterAll(() => stack.close());
beforeEach(() => stack.sandbox.resetStats());

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClientError);
  return (error as ClientError).response.errors ?? [];
}

describe('tasks', () => {
  it('createTask, completeTask, reopenTask, updateTask and deleteTask each change the next read', async () => {
    const contactId = sunrise.bareContactId;
    const created = await writer.CreateTask({
      contactId,
      input: { title: 'Call back about the listing', dueDate: '2031-03-01T15:00:00Z', body: 'Ask about financing' },
    });
    const taskId = created.createTask.task.id;
    expect(created.createTask.task).toMatchObject({
      title: 'Call back about the listing',
      completed: false,
      status: 'PENDING',
    });

    let read = await reader.Contact({ id: contactId });
    expect(read.contact?.tasks?.map((t) => t.id)).toContain(taskId);

    await writer.CompleteTask({ contactId, taskId });
    read = await reader.Contact({ id: contactId, taskStatus: 'COMPLETED' });
    expect(read.contact?.tasks?.find((t) => t.id === taskId)?.status).toBe('COMPLETED');

    const reopened = await writer.ReopenTask({ contactId, taskId });
    expect(reopened.reopenTask.task.completed).toBe(false);

    const updated = await writer.UpdateTask({
      contactId,
      taskId,
      input: { title: 'Call back (moved)', dueDate: '2020-01-01T00:00:00Z' },
    });
    expect(updated.updateTask.task).toMatchObject({ title: 'Call back (moved)', status: 'OVERDUE' });

    const deleted = await writer.DeleteTask({ contactId, taskId });
    expect(deleted.deleteTask).toEqual({ deletedId: taskId, success: true });
    read = await reader.Contact({ id: contactId });
    expect(read.contact?.tasks?.map((t) => t.id)).not.toContain(taskId);
  });

  it.each([
    [{ title: 'x', dueDate: 'tomorrow' }, 'input.dueDate'],
    [{ title: '', dueDate: '2031-01-01T00:00:00Z' }, 'input.title'],
    [{ title: 'x', dueDate: '2031-01-01T00:00:00Z', assignedTo: '../users' }, 'input.assignedTo'],
  ])('bad task input %j is BAD_USER_INPUT naming %s, before any upstream call', async (input, field) => {
    const errors = await rejection(writer.CreateTask({ contactId: sunrise.bareContactId, input }));
    expect(errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(errors[0]?.message).toContain(field);
    expect(stack.sandbox.stats().total).toBe(0);
  });

  it('completing a task of an unknown contact is NOT_FOUND', async () => {
    const errors = await rejection(
      writer.CompleteTask({ contactId: 'NoSuchContact0000000', taskId: 'NoSuchTask0000000000' }),
    );
    expect(errors[0]?.extensions?.['code']).toBe('NOT_FOUND');
  });
});

describe('tags', () => {
  it('addContactTags and removeContactTags return the changed contact', async () => {
    const contactId = sunrise.richContactId;
    const added = await writer.AddContactTags({ contactId, tags: ['vip-2031', 'open-house'] });
    expect(added.addContactTags.contact?.tags).toEqual(expect.arrayContaining(['vip-2031', 'open-house']));
    const removed = await writer.RemoveContactTags({ contactId, tags: ['vip-2031'] });
    expect(removed.removeContactTags.contact?.tags).not.toContain('vip-2031');
    expect(removed.removeContactTags.contact?.tags).toContain('open-house');
  });

  it.each([
    [[], 'tags'],
    [['x'.repeat(65)], 'tags.0'],
    [Array.from({ length: 51 }, (_, i) => `t${i}`), 'tags'],
  ])('bad tags are BAD_USER_INPUT naming %s', async (tags, field) => {
    const errors = await rejection(writer.AddContactTags({ contactId: sunrise.richContactId, tags }));
    expect(errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(stack.sandbox.stats().total).toBe(0);
  });
});

describe('contacts and notes', () => {
  it('createContact, updateContact and deleteContact', async () => {
    const created = await writer.CreateContact({
      input: {
        contact: { firstName: 'Ada', lastName: 'Quinn', email: 'ada.quinn@example.org', phone: '+15555550123' },
        tags: ['gateway-test'],
      },
    });
    const id = created.createContact.contact.id;
    expect(created.createContact.contact).toMatchObject({ name: 'Ada Quinn', tags: ['gateway-test'] });

    const updated = await writer.UpdateContact({ id, input: { city: 'Austin', phone: null } });
    expect(updated.updateContact.contact).toMatchObject({ phone: null, email: 'ada.quinn@example.org' });

    const read = await reader.Contact({ id });
    expect(read.contact).toMatchObject({ city: 'Austin', phone: null });

    await writer.DeleteContact({ id });
    expect((await reader.Contact({ id })).contact).toBeNull();
  });

  it('a bad email is BAD_USER_INPUT naming the field', async () => {
    const errors = await rejection(
      writer.CreateContact({ input: { contact: { firstName: 'A', email: 'not-an-email' } } }),
    );
    expect(errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.contact.email' });
    expect(stack.sandbox.stats().total).toBe(0);
  });

  it('createNote, updateNote and deleteNote', async () => {
    const contactId = sunrise.bareContactId;
    const created = await writer.CreateNote({ contactId, input: { body: 'Prefers email after 5pm' } });
    const noteId = created.createNote.note.id;
    const updated = await writer.UpdateNote({ contactId, noteId, input: { body: 'Prefers email after 6pm' } });
    expect(updated.updateNote.note.body).toBe('Prefers email after 6pm');
    expect((await reader.Contact({ id: contactId })).contact?.notes?.map((n) => n.body)).toContain(
      'Prefers email after 6pm',
    );
    await writer.DeleteNote({ contactId, noteId });
    expect((await reader.Contact({ id: contactId })).contact?.notes?.map((n) => n.id)).not.toContain(noteId);
  });
});
