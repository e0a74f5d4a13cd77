// Hand-written records with fixed ids (see fixtures.ts), present whatever the seed, so tests
// and tutorials can point at "the contact with everything", "the loose one", "the business".

import { sandboxFixtures } from '../fixtures.js';
import type {
  AppointmentRecord,
  ContactRecord,
  DndSetting,
  LocationRecord,
  NoteRecord,
  TaskRecord,
} from '../records.js';
import { DAY_MS, iso, isoWithOffset, zoneless } from './dates.js';

const S = sandboxFixtures.sunrise;
const H = sandboxFixtures.harbor;

const inactive: DndSetting = { status: 'inactive', message: '', code: '' };

export interface Featured {
  contacts: ContactRecord[];
  tasks: TaskRecord[];
  notes: NoteRecord[];
  appointments: AppointmentRecord[];
}

export function userOf(location: LocationRecord | undefined, index: number): string {
  const user = location?.users[index] ?? location?.users[0];
  if (!user) throw new Error('featured records need a location with users');
  return user.id;
}

export function calendarOf(location: LocationRecord | undefined, index: number): string {
  const calendar = location?.calendars[index] ?? location?.calendars[0];
  if (!calendar) throw new Error('featured records need a location with calendars');
  return calendar.id;
}

/** An appointment as the sandbox stores it; `new` is booked, as GHL's status says. */
export const appointmentRecord = (
  id: string,
  contactId: string,
  locationId: string,
  calendarId: string,
  userId: string,
  title: string,
  appointmentStatus: string,
  startTime: string,
  endTime: string,
  dateAdded: string,
): AppointmentRecord => ({
  id,
  calendarId,
  status: appointmentStatus === 'new' ? 'booked' : appointmentStatus,
  appointmentStatus,
  title,
  assignedUserId: userId,
  notes: '',
  startTime,
  endTime,
  address: 'Office',
  locationId,
  contactId,
  groupId: calendarId,
  users: [userId],
  dateAdded,
  dateUpdated: dateAdded,
  assignedResources: [],
});

export function featuredRecords(locations: LocationRecord[], today: number): Featured {
  const sunrise = locations.find((l) => l.id === S.locationId);
  const harbor = locations.find((l) => l.id === H.locationId);
  const rachel = userOf(sunrise, 0);
  const tom = userOf(sunrise, 1);
  const elena = userOf(harbor, 0);
  const phoenix = -7 * 60;

  const contacts: ContactRecord[] = [
    {
      id: S.richContactId,
      locationId: S.locationId,
      firstName: 'Maria',
      lastName: 'Alvarez',
      email: S.richContactEmail,
      phone: '+16025550147',
      companyName: 'Desert Bloom Properties LLC',
      type: 'customer',
      source: 'referral',
      assignedTo: rachel,
      address1: '4821 E Camelback Rd',
      city: 'Phoenix',
      state: 'AZ',
      country: 'US',
      postalCode: '85018',
      website: 'https://desertbloom.example',
      timezone: 'America/Phoenix',
      dnd: false,
      dndSettings: {
        Call: inactive,
        Email: inactive,
        SMS: inactive,
        WhatsApp: inactive,
        GMB: inactive,
        FB: inactive,
        RCS: inactive,
      },
      tags: ['buyer', 'pre-approved', 'investor'],
      customFields: sunrise?.customFields[0] ? [{ id: sunrise.customFields[0].id, value: '$500k-$750k' }] : [],
      dateOfBirth: '1984-09-25T00:00:00.000Z',
      dateAdded: '2023-05-02T16:20:11.000Z',
      dateUpdated: '2025-08-14T09:12:44.310Z',
      lastActivity: '2025-08-14T09:12:44.310Z',
      businessId: S.businessId,
      additionalEmails: ['maria@desertbloom.example'],
      additionalPhones: [],
      followers: [tom],
      attributionSource: {
        url: 'https://sunriserealty.example/listings',
        sessionSource: 'Referral',
        medium: 'form',
        mediumId: 'fRm0pEnHouse2023aBcD',
        referrer: null,
      },
    },
    {
      id: S.bareContactId,
      locationId: S.locationId,
      firstName: 'Derek',
      lastName: 'Osei',
      email: 'derek.osei@example.org',
      phone: '+14805550188',
      type: 'lead',
      source: 'Zillow',
      country: 'US',
      timezone: 'America/Phoenix',
      dnd: false,
      tags: [],
      customFields: [],
      dateAdded: '2024-11-19T21:03:57.420Z',
      dateUpdated: '2024-11-19T21:03:57.420Z',
      additionalEmails: [],
      additionalPhones: [],
    },
    {
      id: S.looseContactId,
      locationId: S.locationId,
      firstName: 'Lenny',
      email: 'lenny.park@example.com',
      phone: '+15205550109',
      companyName: null,
      type: 'lead',
      source: 'open house',
      tags: [],
      customFields: [],
      dateOfBirth: '07/04/1976',
      dateAdded: '2021-07-16T11:39:30.564Z',
      dateUpdated: '2022-02-01T08:00:00.000Z',
      lastActivity: null,
      followers: rachel,
    },
    ...[
      {
        id: S.businessContactIds[1],
        firstName: 'Kevin',
        lastName: 'Tran',
        email: 'kevin@desertbloom.example',
        phone: '+16025550162',
      },
      {
        id: S.businessContactIds[2],
        firstName: 'Sofia',
        lastName: 'Reyes',
        email: 'sofia@desertbloom.example',
        phone: '+16025550163',
      },
      {
        id: S.businessContactIds[3],
        firstName: 'Aaron',
        lastName: 'Blake',
        email: 'aaron@desertbloom.example',
        phone: '+16025550164',
      },
    ].map((c, i): ContactRecord => ({
      ...c,
      locationId: S.locationId,
      companyName: 'Desert Bloom Properties LLC',
      businessId: S.businessId,
      type: 'lead',
      source: 'referral',
      assignedTo: rachel,
      city: 'Phoenix',
      state: 'AZ',
      country: 'US',
      tags: ['investor'],
      customFields: [],
      dateAdded: `2023-05-0${3 + i}T15:00:00.000Z`,
      dateUpdated: `2023-06-0${3 + i}T15:00:00.000Z`,
    })),
    {
      id: H.richContactId,
      locationId: H.locationId,
      firstName: 'Priya',
      lastName: 'Raman',
      email: H.richContactEmail,
      phone: '+12075550131',
      companyName: 'Casco Bay Marine Supply',
      businessId: H.businessId,
      type: 'customer',
      source: 'Google Business Profile',
      assignedTo: elena,
      address1: '12 Commercial St',
      city: 'Portland',
      state: 'ME',
      country: 'US',
      postalCode: '04101',
      timezone: 'America/New_York',
      dnd: false,
      dndSettings: { SMS: { status: 'active', message: 'Opted out by text STOP', code: '' }, Email: inactive },
      tags: ['new patient', 'insurance verified'],
      customFields: harbor?.customFields[0] ? [{ id: harbor.customFields[0].id, value: 'Delta Dental' }] : [],
      dateOfBirth: '1991-02-17',
      dateAdded: '2024-02-20T13:45:00.000Z',
      dateUpdated: '2025-07-01T10:00:00.000Z',
      followers: [],
    },
    ...[
      {
        id: H.businessContactIds[1],
        firstName: 'Owen',
        lastName: 'MacLeod',
        email: 'owen@cascobay.example',
        phone: '+12075550132',
      },
      {
        id: H.businessContactIds[2],
        firstName: 'Hana',
        lastName: 'Sato',
        email: 'hana@cascobay.example',
        phone: '+12075550133',
      },
    ].map((c, i): ContactRecord => ({
      ...c,
      locationId: H.locationId,
      companyName: 'Casco Bay Marine Supply',
      businessId: H.businessId,
      type: 'lead',
      source: 'referral',
      country: 'US',
      tags: ['family plan'],
      customFields: [],
      dateAdded: `2024-02-2${1 + i}T13:45:00.000Z`,
      dateUpdated: `2024-02-2${1 + i}T13:45:00.000Z`,
    })),
  ];

  const at = (days: number, hour: number): number => today + days * DAY_MS + hour * 3_600_000;
  const tasks: TaskRecord[] = [
    {
      id: S.taskIds.pending,
      contactId: S.richContactId,
      title: 'Send comps for Arcadia listings',
      body: 'Three-bed, pool, under $700k.',
      assignedTo: rachel,
      dueDate: iso(at(3, 17)),
      completed: false,
    },
    {
      id: S.taskIds.overdue,
      contactId: S.richContactId,
      title: 'Follow up on pre-approval',
      body: 'Lender: Valley Sun Mortgage.',
      assignedTo: rachel,
      dueDate: iso(at(-5, 16)),
      completed: false,
    },
    {
      id: S.taskIds.completed,
      contactId: S.richContactId,
      title: 'Schedule first showing',
      assignedTo: tom,
      dueDate: iso(at(-10, 18)),
      completed: true,
    },
    {
      id: H.taskIds.pending,
      contactId: H.richContactId,
      title: 'Verify insurance',
      body: 'Delta Dental PPO.',
      assignedTo: elena,
      dueDate: iso(at(2, 14)),
      completed: false,
    },
  ];

  const notes: NoteRecord[] = [
    {
      id: S.noteIds[0],
      contactId: S.richContactId,
      body: 'Met at the Arcadia open house. Wants to close before school starts.',
      userId: rachel,
      dateAdded: '2023-05-02T16:25:00.000Z',
    },
    {
      id: S.noteIds[1],
      contactId: S.richContactId,
      body: 'Pre-approved for $700k.',
      userId: rachel,
      dateAdded: '2025-08-14T09:12:44.310Z',
      title: 'Financing',
      color: '#4CAF50',
      pinned: true,
    },
    {
      id: H.noteIds[0],
      contactId: H.richContactId,
      body: 'Prefers early morning appointments.',
      userId: elena,
      dateAdded: '2024-02-20T13:50:00.000Z',
    },
  ];

  const appointments: AppointmentRecord[] = [
    appointmentRecord(
      S.appointmentIds[0],
      S.richContactId,
      S.locationId,
      calendarOf(sunrise, 0),
      rachel,
      'Showing: 3-bed in Arcadia',
      'showed',
      isoWithOffset(at(-20, 17), phoenix),
      isoWithOffset(at(-20, 18), phoenix),
      iso(at(-25, 12)),
    ),
    appointmentRecord(
      S.appointmentIds[1],
      S.richContactId,
      S.locationId,
      calendarOf(sunrise, 0),
      rachel,
      'Second showing',
      'confirmed',
      isoWithOffset(at(4, 17), phoenix),
      isoWithOffset(at(4, 18), phoenix),
      iso(at(-2, 12)),
    ),
    appointmentRecord(
      S.appointmentIds[2],
      S.richContactId,
      S.locationId,
      calendarOf(sunrise, 1),
      tom,
      'Offer review',
      'cancelled',
      isoWithOffset(at(1, 20), phoenix),
      isoWithOffset(at(1, 21), phoenix),
      iso(at(-3, 12)),
    ),
    // GHL's zone-less format, as in the spec's own example.
    appointmentRecord(
      'aLnny1Kx7Qw3Er5Ty9Ui',
      S.looseContactId,
      S.locationId,
      calendarOf(sunrise, 0),
      rachel,
      'Open house visit',
      'new',
      '2021-07-16 11:00:00',
      '2021-07-16 11:30:00',
      '2021-07-16 11:00:00',
    ),
    appointmentRecord(
      H.appointmentIds[0],
      H.richContactId,
      H.locationId,
      calendarOf(harbor, 0),
      elena,
      'Cleaning & exam',
      'new',
      iso(at(6, 13)),
      iso(at(6, 14)),
      iso(at(-1, 12)),
    ),
    appointmentRecord(
      H.appointmentIds[1],
      H.richContactId,
      H.locationId,
      calendarOf(harbor, 1),
      elena,
      'New patient exam',
      'showed',
      zoneless(at(-30, 14), -5 * 60),
      zoneless(at(-30, 15), -5 * 60),
      iso(at(-40, 12)),
    ),
  ];

  return { contacts, tasks, notes, appointments };
}
