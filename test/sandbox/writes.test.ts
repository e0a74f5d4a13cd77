// Writes persist for the life of the sandbox (and until reset), the way GHL stores them.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { startSandbox } from '../../src/sandbox/server.js';
import type { Sandbox } from '../../src/sandbox/server.js';
import { api, tokensOf } from './helpers.js';

const S = sandboxFixtures.sunrise;
const maria = `/contacts/${S.richContactId}`;
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ rateLimit: 0 });
});
beforeEach(() => {
  sb.reset();
});
afterAll(async () => {
  await sb.close();
});

describe('contacts', () => {
  it('PUT updates, normalises input, bumps dateUpdated, and later reads see it', async () => {
    const before = (await api(sb, 'GET', maria)).body.contact;
    const res = await api(sb, 'PUT', maria, {
      body: {
        firstName: 'María',
        phone: '(928) 555-0148',
        dateOfBirth: '09/26/1984',
        customFields: [{ key: 'contact.move_timeline', field_value: '0-3 months' }],
        dndSettings: { SMS: { status: 'active', message: 'STOP' } },
      },
    });
    expect(res.status).toBe(200);
    const after = (await api(sb, 'GET', maria, { token: tokensOf(sb).readOnly })).body.contact;
    expect(after).toMatchObject({ firstName: 'María', phone: '+19285550148', dateOfBirth: '1984-09-26T00:00:00.000Z' });
    expect(after.dndSettings.SMS).toEqual({ status: 'active', message: 'STOP' });
    expect(after.dndSettings.Email).toEqual(before.dndSettings.Email);
    expect(after.customFields).toHaveLength(before.customFields.length + 1);
    expect(Date.parse(after.dateUpdated)).toBeGreaterThan(Date.parse(before.dateUpdated));
    expect(after.dateAdded).toBe(before.dateAdded);
  });

  it('PUT with tags replaces every tag', async () => {
    const res = await api(sb, 'PUT', maria, { body: { tags: ['Only This'] } });
    expect(res.body.contact.tags).toEqual(['only this']);
    expect((await api(sb, 'GET', maria)).body.contact.tags).toEqual(['only this']);
  });

  it('POST creates a contact that get, list and search then find; duplicates are refused', async () => {
    const total = (await api(sb, 'POST', '/contacts/search', { body: { locationId: S.locationId, pageLimit: 1 } })).body
      .total;
    const created = await api(sb, 'POST', '/contacts/', {
      body: {
        locationId: S.locationId,
        name: 'Nia Okoro',
        email: 'Nia.Okoro@example.com',
        tags: ['Buyer', 'buyer '],
        companyName: 'Okoro & Co',
      },
    });
    expect(created.status).toBe(201);
    const contact = created.body.contact;
    expect(contact).toMatchObject({
      firstName: 'Nia',
      lastName: 'Okoro',
      tags: ['buyer'],
      locationId: S.locationId,
      deleted: false,
    });
    expect(contact.id).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await api(sb, 'GET', `/contacts/${contact.id}`)).body.contact.email).toBe('Nia.Okoro@example.com');
    const search = await api(sb, 'POST', '/contacts/search', { body: { locationId: S.locationId, pageLimit: 1 } });
    expect(search.body.total).toBe(total + 1);
    // Newest first: the new contact leads the list.
    expect(search.body.contacts[0].id).toBe(contact.id);
    const dup = await api(sb, 'POST', '/contacts/', {
      body: { locationId: S.locationId, email: 'nia.okoro@EXAMPLE.com' },
    });
    expect(dup.status).toBe(400);
    expect(dup.body).toMatchObject({
      message: 'This location does not allow duplicated contacts.',
      meta: { contactId: contact.id, matchingField: 'email' },
    });
    const clash = await api(sb, 'PUT', maria, {
      body: { phone: '' + (await api(sb, 'GET', `/contacts/${S.bareContactId}`)).body.contact.phone },
    });
    expect(clash.body).toMatchObject({ statusCode: 400, meta: { contactId: S.bareContactId, matchingField: 'phone' } });
    // Saving a contact's own e-mail again is not a duplicate.
    expect((await api(sb, 'PUT', maria, { body: { email: S.richContactEmail } })).status).toBe(200);
  });

  it('DELETE removes the contact with its tasks and notes', async () => {
    expect((await api(sb, 'DELETE', maria)).body).toEqual({ succeded: true });
    expect((await api(sb, 'GET', maria)).status).toBe(404);
    expect((await api(sb, 'GET', `${maria}/tasks`)).body).toMatchObject({
      statusCode: 404,
      message: 'Contact not found',
    });
    const list = await api(sb, 'GET', `/contacts/?locationId=${S.locationId}&query=alvarez`);
    expect(list.body.contacts).toEqual([]);
  });

  it('new record ids come from the seed: the same script gives the same ids', async () => {
    const other = await startSandbox({ rateLimit: 0 });
    try {
      const body = { locationId: S.locationId, firstName: 'Same' };
      const a = (await api(sb, 'POST', '/contacts/', { body })).body.contact.id;
      const b = (await api(other, 'POST', '/contacts/', { body })).body.contact.id;
      expect(a).toBe(b);
    } finally {
      await other.close();
    }
  });
});

describe('tags', () => {
  it('POST adds (lower-cased, no duplicates), DELETE with a JSON body removes; both answer the whole list', async () => {
    const added = await api(sb, 'POST', `${maria}/tags`, { body: { tags: ['VIP', 'buyer', 'Hot Lead'] } });
    expect(added.status).toBe(201);
    expect(added.body.tags).toEqual(['buyer', 'pre-approved', 'investor', 'vip', 'hot lead']);
    const removed = await api(sb, 'DELETE', `${maria}/tags`, { body: { tags: ['BUYER', 'not-there'] } });
    expect(removed.status).toBe(200);
    expect(removed.body.tags).toEqual(['pre-approved', 'investor', 'vip', 'hot lead']);
    expect((await api(sb, 'GET', maria)).body.contact.tags).toEqual(removed.body.tags);
  });
});

describe('tasks', () => {
  it('create, update, complete and delete persist', async () => {
    const base = `${maria}/tasks`;
    const created = await api(sb, 'POST', base, {
      body: { title: 'Send contract', body: 'Via DocuSign', dueDate: '2031-05-01', completed: false },
    });
    expect(created.status).toBe(201);
    const task = created.body.task;
    expect(task).toMatchObject({
      title: 'Send contract',
      dueDate: '2031-05-01T00:00:00.000Z',
      completed: false,
      contactId: S.richContactId,
    });
    const updated = await api(sb, 'PUT', `${base}/${task.id}`, {
      body: { title: 'Send signed contract', dueDate: '2031-05-02T09:00:00Z' },
    });
    expect(updated.body.task).toMatchObject({ title: 'Send signed contract', dueDate: '2031-05-02T09:00:00.000Z' });
    const done = await api(sb, 'PUT', `${base}/${task.id}/completed`, { body: { completed: true } });
    expect(done.body.task).toMatchObject({ title: 'Send signed contract', completed: true });
    const listed = (await api(sb, 'GET', base)).body.tasks;
    expect(listed.find((t: { id: string }) => t.id === task.id)).toMatchObject({
      completed: true,
      title: 'Send signed contract',
    });
    expect((await api(sb, 'DELETE', `${base}/${task.id}`)).body).toEqual({ succeded: true });
    expect((await api(sb, 'GET', `${base}/${task.id}`)).status).toBe(404);
  });

  it('seeded tasks are pending, overdue and completed relative to today', async () => {
    const tasks = (await api(sb, 'GET', `${maria}/tasks`)).body.tasks as {
      id: string;
      dueDate: string;
      completed: boolean;
    }[];
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const now = Date.now();
    expect(Date.parse(byId.get(S.taskIds.pending)?.dueDate ?? '')).toBeGreaterThan(now);
    expect(byId.get(S.taskIds.overdue)).toMatchObject({ completed: false });
    expect(Date.parse(byId.get(S.taskIds.overdue)?.dueDate ?? '')).toBeLessThan(now);
    expect(byId.get(S.taskIds.completed)?.completed).toBe(true);
  });
});

describe('notes', () => {
  it('create, update and delete persist; the list is newest first', async () => {
    const base = `${maria}/notes`;
    const created = await api(sb, 'POST', base, {
      body: { body: 'Offer accepted!', userId: 'uSer1Aa2Bb3Cc4Dd5Ee6', pinned: true },
    });
    expect(created.status).toBe(201);
    const note = created.body.note;
    expect((await api(sb, 'GET', base)).body.notes[0].id).toBe(note.id);
    await api(sb, 'PUT', `${base}/${note.id}`, { body: { body: 'Offer accepted, closing in May.' } });
    expect((await api(sb, 'GET', `${base}/${note.id}`)).body.note).toMatchObject({
      body: 'Offer accepted, closing in May.',
      pinned: true,
    });
    await api(sb, 'DELETE', `${base}/${note.id}`);
    expect((await api(sb, 'GET', base)).body.notes.map((n: { id: string }) => n.id)).not.toContain(note.id);
  });
});

describe('reset', () => {
  it('puts the data back to the seed and clears stats and faults (also over HTTP)', async () => {
    await api(sb, 'PUT', maria, { body: { tags: [] } });
    sb.setFaults([{ kind: 'error500', route: 'GET /contacts/{contactId}/notes' }]);
    sb.reset();
    expect(sb.stats().total).toBe(0);
    expect((await api(sb, 'GET', maria)).body.contact.tags).toEqual(['buyer', 'pre-approved', 'investor']);
    expect((await api(sb, 'GET', `${maria}/notes`)).status).toBe(200);

    await api(sb, 'DELETE', maria);
    const res = await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect((await api(sb, 'GET', maria)).status).toBe(200);
    expect(sb.stats().total).toBe(1);
  });
});
