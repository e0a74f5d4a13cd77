// The first screen a newcomer sees: `contacts(first: 5)` of Sunrise Realty in the default order
// (newest first) lists these five, added after every generated contact. Between them they have
// pending, overdue and completed tasks, notes, and appointments past and upcoming, so the README's
// Dashboard shows every kind of record at once. Hand-written with fixed ids (fixtures.ts names the
// contacts); added to the seed, so no generated record changes.

import { sandboxFixtures } from '../fixtures.js';
import type { ContactRecord, LocationRecord, NoteRecord, TaskRecord } from '../records.js';
import { DAY_MS, iso, isoWithOffset } from './dates.js';
import { appointmentRecord, calendarOf, userOf, type Featured } from './featured.js';

const S = sandboxFixtures.sunrise;
const PHOENIX = -7 * 60;

interface Person {
  id: string;
  firstName: string;
  lastName: string;
  /** Outside the generated numbers (+1<area>55501NN), so no generated phone moves. */
  phone: string;
  source: string;
  tags: string[];
  dateAdded: string;
}

const [jordan, amara, luis, grace, noah] = S.firstPageContactIds;

const PEOPLE: readonly Person[] = [
  {
    id: jordan,
    firstName: 'Jordan',
    lastName: 'Ellis',
    phone: '+14805550201',
    source: 'Zillow',
    tags: ['buyer'],
    dateAdded: '2025-10-24T17:05:00.000Z',
  },
  {
    id: amara,
    firstName: 'Amara',
    lastName: 'Nwosu',
    phone: '+16025550202',
    source: 'referral',
    tags: ['seller', 'listing'],
    dateAdded: '2025-10-23T15:40:00.000Z',
  },
  {
    id: luis,
    firstName: 'Luis',
    lastName: 'Ortega',
    phone: '+16235550203',
    source: 'open house',
    tags: ['buyer', 'first-time'],
    dateAdded: '2025-10-22T19:12:00.000Z',
  },
  {
    id: grace,
    firstName: 'Grace',
    lastName: 'Whitfield',
    phone: '+14805550204',
    source: 'website',
    tags: ['seller'],
    dateAdded: '2025-10-21T16:30:00.000Z',
  },
  {
    id: noah,
    firstName: 'Noah',
    lastName: 'Lindqvist',
    phone: '+15205550205',
    source: 'Facebook',
    tags: ['buyer', 'investor'],
    dateAdded: '2025-10-20T21:48:00.000Z',
  },
];

export function firstPageRecords(locations: LocationRecord[], today: number): Featured {
  const sunrise = locations.find((l) => l.id === S.locationId);
  const rachel = userOf(sunrise, 0);
  const tom = userOf(sunrise, 1);
  const showings = calendarOf(sunrise, 0);
  const consultations = calendarOf(sunrise, 1);
  const at = (days: number, hour: number): number => today + days * DAY_MS + hour * 3_600_000;
  // Whole days away from today, so which tasks are pending or overdue does not depend on the hour.
  const task = (id: string, contactId: string, title: string, days: number, completed: boolean): TaskRecord => ({
    id,
    contactId,
    title,
    dueDate: iso(at(days, 17)),
    completed,
    assignedTo: days % 2 === 0 ? rachel : tom,
  });
  const note = (id: string, contactId: string, body: string, daysAgo: number): NoteRecord => ({
    id,
    contactId,
    body,
    userId: rachel,
    dateAdded: iso(at(-daysAgo, 15)),
  });
  const visit = (id: string, contactId: string, calendarId: string, title: string, status: string, days: number) =>
    appointmentRecord(
      id,
      contactId,
      S.locationId,
      calendarId,
      rachel,
      title,
      status,
      isoWithOffset(at(days, 17), PHOENIX),
      isoWithOffset(at(days, 18), PHOENIX),
      iso(at(Math.min(days, 0) - 3, 12)),
    );

  const contacts = PEOPLE.map((p): ContactRecord => ({
    id: p.id,
    locationId: S.locationId,
    firstName: p.firstName,
    lastName: p.lastName,
    email: `${p.firstName}.${p.lastName}@example.com`.toLowerCase(),
    phone: p.phone,
    type: 'lead',
    source: p.source,
    assignedTo: rachel,
    city: 'Phoenix',
    state: 'AZ',
    country: 'US',
    timezone: 'America/Phoenix',
    dnd: false,
    tags: p.tags,
    customFields: [],
    dateAdded: p.dateAdded,
    dateUpdated: p.dateAdded,
    additionalEmails: [],
    additionalPhones: [],
  }));

  const tasks: TaskRecord[] = [
    task('tFps1ON43xKmTecQoXsf', jordan, 'Call back about the Tempe duplex', 1, false),
    task('tFp2o3gyrDO1xkxwnQrS', jordan, 'Send the buyer agreement', -2, false),
    task('tFp7RPeMOkIUpkDyr7OS', jordan, 'Intro call', -7, true),
    task('tFpJoRu1XXdo0cZuzren', amara, 'Prepare a market analysis for her condo', 4, false),
    task('tFp68K4TunPFz46PDjqi', amara, 'Collect the listing photos', -3, true),
    task('tFppVJIqVLB5LzxoiGFf', luis, 'Follow up after the open house', -1, false),
    task('tFpWd3hjOkYRBMeyyMDH', luis, 'Check on the lender letter', 6, false),
    task('tFpqJ38aRUhR4IWrXPvh', grace, 'Send the welcome packet', -12, true),
    task('tFpsBkDa9U4UqGWlG6g3', grace, 'Renew the listing agreement', -4, false),
    task('tFpOt1OGMmjxWkI9X7H6', grace, 'Price review call', 2, false),
    task('tFpaMuFbh7x41Ztpdp4K', noah, 'Schedule the inspection', 3, false),
    task('tFp8ffUF0eWIXiiQE8Jk', noah, 'Submit the offer', -1, true),
  ];

  const notes: NoteRecord[] = [
    note('nFpqH3MB9n7IWUSmTtzQ', jordan, 'Wants a duplex near ASU; can close in 45 days.', 2),
    note('nFpPxC5HChpoevbLJoLo', amara, 'Moving to Denver in March; flexible on the date.', 5),
    note('nFpaeTOdoe5c3veGprQF', amara, 'HOA documents requested.', 1),
    note('nFpnIiU74KKEpYEZAmgg', luis, 'Pre-qualified for $420k with Valley Sun Mortgage.', 3),
    note('nFpQBwBAD3UdRPPgdzUv', grace, 'Listing expires at the end of the month.', 6),
    note('nFpZ3gpmmICiBlrDp37e', noah, 'Looking at rentals in Mesa; cash buyer.', 4),
  ];

  const appointments = [
    visit('aFpCZ32JgdPI1af7W2pk', jordan, showings, 'Showing: Tempe duplex', 'confirmed', 2),
    visit('aFpAFEn3z5dkyayq7YYD', amara, consultations, 'Listing appointment', 'showed', -5),
    visit('aFpsBS9UYJQTFjmsn9dL', luis, consultations, 'Buyer consultation', 'new', 8),
    visit('aFpVIdVuddLEG62Hkd9G', grace, consultations, 'Price review', 'cancelled', 3),
    visit('aFpf2leMeR3pzh84KpLM', noah, showings, 'Inspection walk-through', 'confirmed', 5),
  ];

  return { contacts, tasks, notes, appointments };
}
