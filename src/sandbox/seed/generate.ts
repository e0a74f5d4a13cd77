// Builds the whole sandbox dataset from a seed: two locations, a few hundred contacts each,
// with tasks, notes and appointments. Deterministic for a given seed (and start day).

import { sandboxFixtures } from '../fixtures.js';
import { DND_CHANNELS } from '../records.js';
import type {
  AppointmentRecord,
  ContactRecord,
  DndChannel,
  DndSetting,
  LocationRecord,
  NoteRecord,
  SandboxDataset,
  TaskRecord,
} from '../records.js';
import { DAY_MS, dateOfBirthIn, iso, isoWithOffset, startOfUtcDay, zoneless } from './dates.js';
import { featuredRecords, type Featured } from './featured.js';
import { firstPageRecords } from './first-page.js';
import { SeededRandom } from './random.js';
import { FIRST_NAMES, HARBOR_PROFILE, LAST_NAMES, PERSONAL_EMAIL_DOMAINS, SUNRISE_PROFILE } from './vocabulary.js';
import type { LocationProfile } from './vocabulary.js';

export const DEFAULT_SEED = 20_210_728;

interface LocationPlan {
  id: string;
  name: string;
  profile: LocationProfile;
  contactCount: number;
  /** Offset used to write appointment times: Phoenix has no DST, so -07:00 all year. */
  appointmentOffsetMinutes: number | null;
  /** How many contacts share one dateAdded (a CSV import), to exercise cursor tie-breaks. */
  importBatch: { size: number; at: string };
}

const PLANS: readonly LocationPlan[] = [
  {
    id: sandboxFixtures.sunrise.locationId,
    name: sandboxFixtures.sunrise.name,
    profile: SUNRISE_PROFILE,
    contactCount: 236,
    appointmentOffsetMinutes: -7 * 60,
    importBatch: { size: 14, at: '2023-03-15T17:42:10.512Z' },
  },
  {
    id: sandboxFixtures.harbor.locationId,
    name: sandboxFixtures.harbor.name,
    profile: HARBOR_PROFILE,
    contactCount: 214,
    appointmentOffsetMinutes: null,
    importBatch: { size: 9, at: '2024-01-08T14:05:00.000Z' },
  },
];

const CONTACTS_FROM = Date.UTC(2022, 0, 3);
const CONTACTS_TO = Date.UTC(2025, 8, 30);
const UPDATES_UNTIL = Date.UTC(2025, 9, 31);

function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ø/g, 'o')
    .replace(/[^a-z0-9]+/g, '');
}

export function generateDataset(seed: number = DEFAULT_SEED, now: Date = new Date()): SandboxDataset {
  const rng = new SeededRandom(seed);
  const today = startOfUtcDay(now);

  const locations: LocationRecord[] = PLANS.map((plan) => ({
    id: plan.id,
    name: plan.name,
    timezone: plan.profile.timezone,
    users: plan.profile.userNames.map((name) => ({ id: rng.ghlId(), name })),
    customFields: plan.profile.customFields.map((f) => ({ id: rng.ghlId(), key: f.key, name: f.name })),
    calendars: plan.profile.calendars.map((name) => ({ id: rng.ghlId(), name })),
    businesses: plan.profile.companies.slice(0, 5).map((name) => ({ id: rng.objectId(), name })),
  }));
  const privateIntegrationTokens = locations.map((l) => ({ token: `pit-${rng.uuid()}`, locationId: l.id }));

  const dataset: SandboxDataset = {
    locations,
    contacts: [],
    tasks: [],
    notes: [],
    appointments: [],
    privateIntegrationTokens,
  };

  // Hand-written records first, so generated ones never reuse their phones or e-mails.
  const featured = handWritten(locations, today);
  const reserved = new Set(
    featured.contacts.flatMap((c) => [c.phone, c.email]).filter((v): v is string => typeof v === 'string'),
  );
  PLANS.forEach((plan, index) => {
    const location = locations[index];
    if (location) generateLocation(rng, plan, location, today, reserved, dataset);
  });
  dataset.contacts.push(...featured.contacts);
  dataset.tasks.push(...featured.tasks);
  dataset.notes.push(...featured.notes);
  dataset.appointments.push(...featured.appointments);
  return dataset;
}

function handWritten(locations: LocationRecord[], today: number): Featured {
  const parts = [featuredRecords(locations, today), firstPageRecords(locations, today)];
  return {
    contacts: parts.flatMap((p) => p.contacts),
    tasks: parts.flatMap((p) => p.tasks),
    notes: parts.flatMap((p) => p.notes),
    appointments: parts.flatMap((p) => p.appointments),
  };
}

function generateLocation(
  rng: SeededRandom,
  plan: LocationPlan,
  location: LocationRecord,
  today: number,
  reserved: ReadonlySet<string>,
  out: SandboxDataset,
): void {
  const p = plan.profile;
  const phones = rng.sample(
    p.areaCodes
      .flatMap((area) => Array.from({ length: 100 }, (_, n) => `+1${area}55501${String(n).padStart(2, '0')}`))
      .filter((phone) => !reserved.has(phone)),
    plan.contactCount,
  );
  const emails = new Set<string>(reserved);
  const userIds = location.users.map((u) => u.id);

  for (let i = 0; i < plan.contactCount; i++) {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const inBatch = i < plan.importBatch.size;
    const addedMs = inBatch ? Date.parse(plan.importBatch.at) : rng.int(CONTACTS_FROM, CONTACTS_TO);
    const updatedMs = Math.min(UPDATES_UNTIL, addedMs + (rng.chance(0.3) ? 0 : rng.int(60_000, 400 * DAY_MS)));
    const place = rng.pick(p.places);
    const worksAt = rng.chance(0.35) ? rng.pick(p.companies) : undefined;
    const business = worksAt ? location.businesses.find((b) => b.name === worksAt) : undefined;

    const contact: ContactRecord = {
      id: rng.ghlId(),
      locationId: location.id,
      firstName,
      lastName,
      email: undefined,
      phone: phones[i] ?? null,
      companyName: worksAt,
      type: rng.chance(0.7) ? 'lead' : 'customer',
      source: inBatch ? 'CSV Import' : rng.pick(p.sources),
      assignedTo: rng.chance(0.8) ? rng.pick(userIds) : undefined,
      address1: `${rng.int(100, 9899)} ${rng.pick(p.streets)}`,
      city: place.city,
      state: place.state,
      country: 'US',
      postalCode: place.postalCode,
      timezone: p.timezone,
      dnd: false,
      tags: rng.sample(p.tags, rng.int(0, 3)),
      customFields: location.customFields
        .filter(() => rng.chance(0.55))
        .map((def) => {
          const values = p.customFields.find((f) => f.key === def.key)?.values ?? ['yes'];
          return { id: def.id, value: rng.pick(values) };
        }),
      dateAdded: iso(addedMs),
      dateUpdated: iso(updatedMs),
      additionalEmails: [],
      additionalPhones: [],
    };

    // Email: most contacts have one; a few are phone-only leads.
    if (rng.chance(0.95)) {
      const base = `${asciiSlug(firstName)}.${asciiSlug(lastName)}`;
      const domain = worksAt && rng.chance(0.5) ? `${asciiSlug(worksAt)}.example` : rng.pick(PERSONAL_EMAIL_DOMAINS);
      let email = `${base}@${domain}`;
      while (emails.has(email)) email = `${base}${rng.int(2, 99)}@${domain}`;
      emails.add(email);
      contact.email = email;
      if (rng.chance(0.08))
        contact.additionalEmails = [`${asciiSlug(firstName)}${rng.int(10, 99)}@${rng.pick(PERSONAL_EMAIL_DOMAINS)}`];
    }
    if (rng.chance(0.8)) contact.lastActivity = iso(updatedMs);
    if (rng.chance(0.04)) delete contact.phone;
    // Single-name contacts ("Cher") exist: no lastName at all.
    if (rng.chance(0.02)) delete contact.lastName;
    if (worksAt === undefined) delete contact.companyName;
    if (contact.assignedTo === undefined) delete contact.assignedTo;
    if (business) contact.businessId = business.id;
    if (rng.chance(0.7)) {
      contact.dateOfBirth = dateOfBirthIn(
        rng.chance(0.5) ? 0 : rng.int(1, 5),
        rng.int(1948, 2004),
        rng.int(1, 12),
        rng.int(1, 28),
      );
    }
    if (rng.chance(0.2)) contact.website = `https://${asciiSlug(lastName)}${rng.int(1, 99)}.example`;
    if (rng.chance(0.3)) contact.followers = rng.sample(userIds, rng.int(1, 2));
    if (rng.chance(0.6)) contact.dndSettings = dndSettings(rng, contact);
    if (rng.chance(0.5)) {
      const attribution = {
        url: `${p.websiteBase}/${rng.pick(['contact', 'listings', 'book', 'landing/spring'])}`,
        sessionSource: rng.pick(['Direct traffic', 'Paid Social', 'Organic Search', 'Referral']),
        medium: rng.pick(['form', 'survey', 'calendar', 'chat_widget']),
        mediumId: rng.ghlId(),
        utmSource: rng.chance(0.5) ? rng.pick(['facebook', 'google', 'newsletter']) : null,
        utmMedium: rng.chance(0.5) ? rng.pick(['cpc', 'email', 'social']) : null,
        campaign: null,
        referrer: rng.chance(0.5) ? 'https://www.google.com/' : null,
      };
      contact.attributionSource = attribution;
      contact.lastAttributionSource = { ...attribution };
    }
    out.contacts.push(contact);

    generateTasks(rng, plan, contact, userIds, today, out.tasks);
    generateNotes(rng, plan, contact, userIds, addedMs, updatedMs, out.notes);
    generateAppointments(rng, plan, location, contact, today, out.appointments);
  }
}

function dndSettings(rng: SeededRandom, contact: ContactRecord): Partial<Record<DndChannel, DndSetting>> {
  const settings: Partial<Record<DndChannel, DndSetting>> = {};
  const blocked = rng.chance(0.08);
  for (const channel of DND_CHANNELS) {
    if (blocked && (channel === 'SMS' || channel === 'Email' || channel === 'Call')) {
      settings[channel] = { status: 'active', message: 'Updated by contact request', code: '' };
    } else {
      settings[channel] = { status: 'inactive', message: '', code: '' };
    }
  }
  if (blocked) contact.dnd = true;
  return settings;
}

function generateTasks(
  rng: SeededRandom,
  plan: LocationPlan,
  contact: ContactRecord,
  userIds: string[],
  today: number,
  out: TaskRecord[],
): void {
  if (!rng.chance(0.55)) return;
  const count = rng.int(1, 4);
  for (let i = 0; i < count; i++) {
    const due = today + rng.int(-45, 30) * DAY_MS + rng.int(9, 17) * 3_600_000;
    const past = due < today;
    const body = rng.pick(plan.profile.taskBodies);
    const task: TaskRecord = {
      id: rng.ghlId(),
      contactId: contact.id,
      title: rng.pick(plan.profile.taskTitles),
      dueDate: iso(due),
      completed: past ? rng.chance(0.55) : rng.chance(0.1),
      assignedTo: rng.pick(userIds),
    };
    if (body) task.body = body;
    out.push(task);
  }
}

function generateNotes(
  rng: SeededRandom,
  plan: LocationPlan,
  contact: ContactRecord,
  userIds: string[],
  addedMs: number,
  updatedMs: number,
  out: NoteRecord[],
): void {
  if (!rng.chance(0.5)) return;
  const count = rng.int(1, 3);
  for (let i = 0; i < count; i++) {
    const note: NoteRecord = {
      id: rng.ghlId(),
      contactId: contact.id,
      body: rng.pick(plan.profile.noteBodies),
      userId: rng.pick(userIds),
      dateAdded: iso(rng.int(addedMs, Math.max(addedMs, updatedMs))),
    };
    // Newer notes carry title/color/pinned; older ones predate those fields.
    if (rng.chance(0.3)) {
      note.title = rng.pick(plan.profile.noteTitles);
      note.color = rng.pick(['#FFAA00', '#4CAF50', '#2196F3', '#E91E63']);
      note.pinned = rng.chance(0.2);
    }
    out.push(note);
  }
}

function generateAppointments(
  rng: SeededRandom,
  plan: LocationPlan,
  location: LocationRecord,
  contact: ContactRecord,
  today: number,
  out: AppointmentRecord[],
): void {
  if (!rng.chance(0.35)) return;
  const count = rng.int(1, 2);
  for (let i = 0; i < count; i++) {
    const start = today + rng.int(-60, 45) * DAY_MS + rng.int(15, 23) * 3_600_000 + rng.pick([0, 30]) * 60_000;
    const end = start + rng.pick([30, 45, 60]) * 60_000;
    const past = start < today;
    const appointmentStatus = past
      ? rng.pick(['showed', 'showed', 'noshow', 'cancelled'])
      : rng.pick(['new', 'confirmed', 'confirmed', 'cancelled']);
    const calendar = rng.pick(location.calendars);
    const user = rng.pick(location.users);
    const offset = plan.appointmentOffsetMinutes;
    const loose = rng.chance(0.1);
    const format = (ms: number): string =>
      loose ? zoneless(ms, offset ?? -5 * 60) : offset === null ? iso(ms) : isoWithOffset(ms, offset);
    const booked = Math.max(Date.parse(contact.dateAdded), start - rng.int(1, 20) * DAY_MS);
    out.push({
      id: rng.ghlId(),
      calendarId: calendar.id,
      status: appointmentStatus === 'new' ? 'booked' : appointmentStatus,
      appointmentStatus,
      title: rng.pick(plan.profile.appointmentTitles),
      assignedUserId: user.id,
      notes: rng.chance(0.3) ? 'Booked via the online calendar.' : '',
      startTime: format(start),
      endTime: format(end),
      address: contact.address1 ? `${contact.address1}, ${contact.city ?? ''}` : 'Office',
      locationId: location.id,
      contactId: contact.id,
      groupId: calendar.id,
      users: [user.id],
      dateAdded: iso(booked),
      dateUpdated: iso(booked),
      assignedResources: [],
    });
  }
}
