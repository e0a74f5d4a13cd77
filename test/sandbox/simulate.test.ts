// Simulated edits made in GHL's own UI (POST /__sandbox/simulate, sandbox.simulate()): the data
// changes as the API would change it, and the same webhooks go out; app installs and uninstalls,
// for a location or the whole agency, too.

import { describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { api } from './helpers.js';
import { types, useWebhookBench } from './webhook-receiver.js';

const S = sandboxFixtures.sunrise;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const bench = useWebhookBench();
const control = (method: string, path: string, body?: unknown) => bench.control(method, path, body);
const delivered = () => bench.delivered();

describe("simulated edits in GHL's UI", () => {
  it('POST /__sandbox/simulate updates a contact as the API would and announces it', async () => {
    const before = (await api(bench.sb, 'GET', `/contacts/${S.bareContactId}`)).body.contact;
    const res = await control('POST', '/simulate', {
      action: 'updateContact',
      locationId: S.locationId,
      contactId: S.bareContactId,
      changes: { phone: '+44 20 7946 0991', tags: ['Walk-In'] },
    });
    expect(res.status).toBe(200);
    expect(res.body.contact).toMatchObject({ id: S.bareContactId, phone: '+442079460991', tags: ['walk-in'] });
    expect(res.body.webhooks.map((w: { type: string }) => w.type)).toEqual(['ContactUpdate', 'ContactTagUpdate']);

    const after = (await api(bench.sb, 'GET', `/contacts/${S.bareContactId}`)).body.contact;
    expect(after).toEqual(res.body.contact);
    expect(Date.parse(after.dateUpdated)).toBeGreaterThan(Date.parse(before.dateUpdated));
    const hooks = await delivered();
    expect(hooks.map((h) => h.body)).toEqual(res.body.webhooks);
    expect(hooks[0]?.body).toMatchObject({ type: 'ContactUpdate', id: S.bareContactId, phone: '+442079460991' });
  });

  it('sandbox.simulate(): create a contact, tags, tasks, notes', async () => {
    const created = bench.sb.simulate({
      action: 'createContact',
      locationId: S.locationId,
      contact: { firstName: 'Walk', email: 'walk.in@example.org' },
    });
    const id = created.contact?.id as string;
    expect((await api(bench.sb, 'GET', `/contacts/${id}`)).body.contact).toEqual(created.contact);
    bench.sb.simulate({ action: 'addTags', locationId: S.locationId, contactId: id, tags: ['Hot'] });
    const removed = bench.sb.simulate({ action: 'removeTags', locationId: S.locationId, contactId: id, tags: ['hot'] });
    expect(removed.contact?.tags).toEqual([]);
    const task = bench.sb.simulate({
      action: 'createTask',
      locationId: S.locationId,
      contactId: id,
      task: { title: 'Follow up', dueDate: '2031-01-01T10:00:00Z' },
    });
    const taskId = (task.task as { id: string }).id;
    bench.sb.simulate({ action: 'completeTask', locationId: S.locationId, contactId: id, taskId });
    const note = bench.sb.simulate({
      action: 'createNote',
      locationId: S.locationId,
      contactId: id,
      note: { body: 'Met at the open house' },
    });
    bench.sb.simulate({
      action: 'deleteNote',
      locationId: S.locationId,
      contactId: id,
      noteId: (note.note as { id: string }).id,
    });
    bench.sb.simulate({ action: 'deleteContact', locationId: S.locationId, contactId: id });
    expect((await api(bench.sb, 'GET', `/contacts/${id}`)).status).toBe(404);
    expect(types(await delivered())).toEqual([
      'ContactCreate',
      'ContactTagUpdate',
      'ContactTagUpdate',
      'TaskCreate',
      'TaskComplete',
      'NoteCreate',
      'NoteDelete',
      'ContactDelete',
    ]);
  });

  it('appointments: book, update, cancel, delete; the API sees each change; events nest the record', async () => {
    const listed = async (): Promise<any[]> =>
      (await api(bench.sb, 'GET', `/contacts/${S.bareContactId}/appointments`)).body.events;
    const booked = bench.sb.simulate({
      action: 'bookAppointment',
      locationId: S.locationId,
      contactId: S.bareContactId,
      appointment: {
        title: 'Showing',
        startTime: '2031-03-01T17:00:00.000Z',
        endTime: '2031-03-01T18:00:00.000Z',
        notes: 'Gate code 1234',
      },
    });
    const appointmentId = booked.appointment?.id as string;
    expect(await listed()).toEqual([booked.appointment]);
    const moved = bench.sb.simulate({
      action: 'updateAppointment',
      locationId: S.locationId,
      appointmentId,
      changes: { startTime: '2031-03-02T17:00:00.000Z', endTime: '2031-03-02T18:00:00.000Z' },
    });
    expect(moved.appointment?.startTime).toBe('2031-03-02T17:00:00.000Z');
    bench.sb.simulate({ action: 'cancelAppointment', locationId: S.locationId, appointmentId });
    expect(await listed()).toEqual([
      expect.objectContaining({ id: appointmentId, appointmentStatus: 'cancelled', status: 'cancelled' }),
    ]);
    bench.sb.simulate({ action: 'deleteAppointment', locationId: S.locationId, appointmentId });
    expect(await listed()).toEqual([]);

    const hooks = await delivered();
    expect(types(hooks)).toEqual(['AppointmentCreate', 'AppointmentUpdate', 'AppointmentUpdate', 'AppointmentDelete']);
    expect(hooks[0]?.body).toEqual({
      type: 'AppointmentCreate',
      locationId: S.locationId,
      appointment: {
        id: appointmentId,
        title: 'Showing',
        calendarId: booked.appointment?.calendarId,
        contactId: S.bareContactId,
        appointmentStatus: 'confirmed',
        notes: 'Gate code 1234',
        startTime: '2031-03-01T17:00:00.000Z',
        endTime: '2031-03-01T18:00:00.000Z',
        dateAdded: booked.appointment?.dateAdded,
        dateUpdated: booked.appointment?.dateUpdated,
      },
    });
    expect(booked.appointment?.dateAdded).toMatch(ISO);
    expect(hooks[2]?.body.appointment).toMatchObject({ id: appointmentId, appointmentStatus: 'cancelled' });
    expect(hooks[3]?.body).toMatchObject({ type: 'AppointmentDelete', appointment: { id: appointmentId } });
  });

  it("install and uninstall: a location's, and the agency's (companyId, no locationId)", async () => {
    const location = bench.sb.simulate({ action: 'install', locationId: S.locationId });
    expect(location.location).toEqual({ id: S.locationId, name: 'Sunrise Realty' });
    bench.sb.simulate({ action: 'uninstall', locationId: S.locationId });
    const agency = await control('POST', '/simulate', { action: 'installAgency', companyId: bench.sb.oauth.companyId });
    expect(agency).toMatchObject({
      status: 200,
      body: { company: { id: bench.sb.oauth.companyId, name: 'Sandbox Agency' } },
    });
    bench.sb.simulate({ action: 'uninstallAgency', companyId: bench.sb.oauth.companyId });
    const hooks = (await delivered()).map((h) => h.body);
    expect(hooks).toEqual([
      expect.objectContaining({
        type: 'INSTALL',
        appId: 'sandbox',
        locationId: S.locationId,
        companyId: bench.sb.oauth.companyId,
      }),
      { type: 'UNINSTALL', appId: 'sandbox', locationId: S.locationId },
      { type: 'INSTALL', appId: 'sandbox', companyId: bench.sb.oauth.companyId },
      { type: 'UNINSTALL', appId: 'sandbox', companyId: bench.sb.oauth.companyId },
    ]);
    expect(hooks[2]).toEqual(agency.body.webhooks[0]);
    expect(bench.sb.sentWebhooks().slice(2)).toEqual([
      expect.objectContaining({ type: 'INSTALL', companyId: bench.sb.oauth.companyId }),
      expect.objectContaining({ type: 'UNINSTALL', companyId: bench.sb.oauth.companyId }),
    ]);
    expect(bench.sb.sentWebhooks()[2]).not.toHaveProperty('locationId');
    expect((await control('POST', '/simulate', { action: 'installAgency', companyId: 'nope' })).body.message).toBe(
      'Company not found',
    );
    expect((await control('POST', '/simulate', { action: 'installAgency', locationId: S.locationId })).status).toBe(
      400,
    );
  });

  it('refuses bad actions and unknown records, and changes nothing then', async () => {
    const unknown = await control('POST', '/simulate', { action: 'teleport', locationId: S.locationId });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/updateContact/);
    expect((await control('POST', '/simulate')).status).toBe(400);
    const missing = await control('POST', '/simulate', {
      action: 'addTags',
      locationId: S.locationId,
      contactId: 'nope',
      tags: ['x'],
    });
    expect(missing).toMatchObject({ status: 404, body: { message: 'Contact not found' } });
    // A contact of another location is not found in this one.
    const elsewhere = await control('POST', '/simulate', {
      action: 'addTags',
      locationId: S.locationId,
      contactId: sandboxFixtures.harbor.richContactId,
      tags: ['x'],
    });
    expect(elsewhere.status).toBe(404);
    expect((await control('POST', '/simulate', { action: 'install', locationId: 'nowhere' })).status).toBe(404);
    const invalid = await control('POST', '/simulate', {
      action: 'updateContact',
      locationId: S.locationId,
      contactId: S.richContactId,
      changes: { email: 'not-an-email' },
    });
    expect(invalid.status).toBe(400);
    const badCalendar = await control('POST', '/simulate', {
      action: 'bookAppointment',
      locationId: S.locationId,
      contactId: S.richContactId,
      appointment: { startTime: '2031-01-01T10:00:00Z', calendarId: 'not-a-calendar' },
    });
    expect(badCalendar.status).toBe(422);
    expect(() =>
      bench.sb.simulate({ action: 'cancelAppointment', locationId: S.locationId, appointmentId: 'nope' }),
    ).toThrow('Appointment not found');
    expect(await delivered()).toEqual([]);
  });
});
