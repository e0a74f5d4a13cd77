// The seeded data: deterministic, realistic, GHL-shaped (loose where GHL is), and the route
// table's scopes match the spec's `security`.

import { describe, expect, it } from 'vitest';
import { sandboxFixtures } from '../../src/sandbox/fixtures.js';
import { ROUTES, routeKey } from '../../src/sandbox/routes.js';
import { DEFAULT_SEED, generateDataset } from '../../src/sandbox/seed/generate.js';
import { operations, securityScopesFor } from '../support/openapi.js';

const now = new Date();
const data = generateDataset(DEFAULT_SEED, now);
const GHL_ID = /^[A-Za-z0-9]{20}$/;

describe('seed data', () => {
  it('is the same for the same seed, and differs for another', () => {
    expect(generateDataset(DEFAULT_SEED, now)).toEqual(data);
    const other = generateDataset(7, now);
    expect(other.contacts.map((c) => c.id)).not.toEqual(data.contacts.map((c) => c.id));
    // The fixtures are in every seed.
    expect(other.contacts.map((c) => c.id)).toContain(sandboxFixtures.sunrise.richContactId);
  });

  it('has two locations with at least 200 contacts each, GHL-style ids and E.164 phones', () => {
    expect(data.locations.map((l) => l.name)).toEqual(['Sunrise Realty', 'Harbor Dental']);
    for (const location of data.locations) {
      const contacts = data.contacts.filter((c) => c.locationId === location.id);
      expect(contacts.length).toBeGreaterThanOrEqual(200);
      const emails = contacts.map((c) => c.email?.toLowerCase()).filter(Boolean);
      expect(new Set(emails).size).toBe(emails.length);
      const phones = contacts.map((c) => c.phone).filter(Boolean);
      expect(new Set(phones).size).toBe(phones.length);
    }
    for (const c of data.contacts) {
      expect(c.id).toMatch(GHL_ID);
      if (typeof c.phone === 'string') expect(c.phone).toMatch(/^\+1\d{10}$/);
      if (c.businessId) expect(c.businessId).toMatch(/^[0-9a-f]{24}$/);
      for (const f of c.customFields)
        expect(f).toEqual({ id: expect.stringMatching(GHL_ID), value: expect.any(String) });
    }
    for (const r of [...data.tasks, ...data.notes, ...data.appointments]) expect(r.id).toMatch(GHL_ID);
    expect(new Set(data.contacts.map((c) => c.id)).size).toBe(data.contacts.length);
  });

  it('names fixtures that exist with what their comments promise', () => {
    const ids = (v: unknown): string[] =>
      typeof v === 'string'
        ? [v]
        : Array.isArray(v)
          ? v.flatMap(ids)
          : v && typeof v === 'object'
            ? Object.values(v).flatMap(ids)
            : [];
    for (const location of [sandboxFixtures.sunrise, sandboxFixtures.harbor]) {
      for (const id of ids({ ...location, name: undefined, richContactEmail: undefined, businessId: undefined }))
        expect(id).toMatch(GHL_ID);
      expect(location.businessId).toMatch(/^[0-9a-f]{24}$/);
      expect(
        data.contacts
          .filter((c) => c.businessId === location.businessId)
          .map((c) => c.id)
          .sort(),
      ).toEqual([...location.businessContactIds].sort());
    }
    const s = sandboxFixtures.sunrise;
    expect(data.tasks.filter((t) => t.contactId === s.richContactId)).toHaveLength(3);
    expect(data.notes.filter((n) => n.contactId === s.richContactId)).toHaveLength(2);
    expect(data.appointments.filter((a) => a.contactId === s.richContactId)).toHaveLength(3);
    for (const list of [data.tasks, data.notes, data.appointments])
      expect(list.some((r) => r.contactId === s.bareContactId)).toBe(false);
  });

  it("keeps GHL's loose formats", () => {
    const dobs = data.contacts.map((c) => c.dateOfBirth).filter((d): d is string => typeof d === 'string');
    const shapes = new Set(dobs.map((d) => d.replace(/\d/g, '9')));
    expect(shapes.size).toBeGreaterThanOrEqual(6);
    expect(data.appointments.some((a) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(a.startTime))).toBe(true);
    expect(data.appointments.some((a) => /[+-]\d{2}:\d{2}$/.test(a.startTime))).toBe(true);
    expect(data.contacts.some((c) => typeof c.followers === 'string')).toBe(true);
    expect(data.contacts.some((c) => c.companyName === null)).toBe(true);
    expect(data.contacts.some((c) => c.lastName === undefined)).toBe(true);
    expect(data.contacts.some((c) => c.email === undefined)).toBe(true);
  });

  it('has pending, overdue and completed tasks, and appointments in several states', () => {
    const t = Date.now();
    expect(data.tasks.some((x) => !x.completed && Date.parse(x.dueDate) > t)).toBe(true);
    expect(data.tasks.some((x) => !x.completed && Date.parse(x.dueDate) < t)).toBe(true);
    expect(data.tasks.some((x) => x.completed)).toBe(true);
    const statuses = new Set(data.appointments.map((a) => a.status));
    for (const s of ['booked', 'confirmed', 'cancelled', 'showed']) expect(statuses).toContain(s);
  });
});

describe('route table', () => {
  it('covers every operation in contacts.json with the scope its security names', () => {
    const specKeys = operations()
      .map((o) => `${o.method} ${o.path}`)
      .sort();
    expect(ROUTES.map(routeKey).sort()).toEqual(specKeys);
    for (const route of ROUTES) {
      const scopes = securityScopesFor({ method: route.method, path: route.path });
      expect(route.scope === null ? [] : [route.scope], routeKey(route)).toEqual(scopes);
    }
  });
});

describe('the first page', () => {
  it("is Sunrise's five newest contacts, with pending, overdue and completed tasks, notes and appointments", () => {
    const ids: string[] = [...sandboxFixtures.sunrise.firstPageContactIds];
    const sunrise = data.contacts.filter((c) => c.locationId === sandboxFixtures.sunrise.locationId);
    const newest = [...sunrise].sort((a, b) => Date.parse(b.dateAdded) - Date.parse(a.dateAdded)).slice(0, 5);
    expect(newest.map((c) => c.id)).toEqual(ids);
    const t = Date.now();
    const tasks = data.tasks.filter((x) => ids.includes(x.contactId));
    expect(tasks.some((x) => !x.completed && Date.parse(x.dueDate) > t)).toBe(true);
    expect(tasks.some((x) => !x.completed && Date.parse(x.dueDate) < t)).toBe(true);
    expect(tasks.some((x) => x.completed)).toBe(true);
    for (const id of ids) {
      expect(data.tasks.some((x) => x.contactId === id)).toBe(true);
      expect(data.notes.some((x) => x.contactId === id)).toBe(true);
      expect(data.appointments.some((x) => x.contactId === id)).toBe(true);
    }
  });
});
