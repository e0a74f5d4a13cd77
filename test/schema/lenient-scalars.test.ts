// Date and DateTime fields of GHL records are read by their resolvers, never by the scalar, so
// an unreadable value is null rather than a failed field; each keeps what GHL sent in a …Raw
// companion. The scalars themselves format only values already read, and accept only strict input.
import { getNamedType, isObjectType, type GraphQLScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { gatewaySchemas } from '../../src/schema/index.js';

const schema = gatewaySchemas().write;
/** Dates the gateway makes itself (run times, a sync window's end), never read from GHL. */
const GATEWAY_MADE = new Set([
  'AutomationRun.at',
  'ContactSyncPage.windowEnd',
  'ContactChange.at',
  'TaskChange.at',
  'NoteChange.at',
  'AppointmentChange.at',
  'RecordChange.at',
]);

describe('every GHL date has its raw companion', () => {
  const dates = Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .filter((type) => !type.name.startsWith('__'))
    .flatMap((type) =>
      Object.values(type.getFields())
        .filter((field) => ['Date', 'DateTime'].includes(getNamedType(field.type).name))
        .map((field) => ({ type, field, coordinate: `${type.name}.${field.name}` })),
    )
    .filter(({ coordinate }) => !GATEWAY_MADE.has(coordinate));

  it('covers the records GHL sends', () => {
    expect(dates.map((d) => d.coordinate)).toEqual(
      expect.arrayContaining([
        'Contact.dateOfBirth',
        'Contact.lastActivity',
        'Task.dueDate',
        'Note.dateAdded',
        'Appointment.endTime',
      ]),
    );
  });

  it.each(dates.map((d) => [d.coordinate, d] as const))(
    '%s has a nullable String …Raw beside it',
    (_c, { type, field }) => {
      const raw = type.getFields()[`${field.name}Raw`];
      expect(raw, `${type.name}.${field.name}Raw`).toBeDefined();
      expect(String(raw?.type)).toBe('String');
      expect(String(field.type)).not.toMatch(/!$/);
    },
  );
});

describe('the scalars', () => {
  const dateTime = schema.getType('DateTime') as GraphQLScalarType;
  const date = schema.getType('Date') as GraphQLScalarType;

  it('format values already read', () => {
    expect(dateTime.serialize('2021-07-16T11:00:00.000Z')).toBe('2021-07-16T11:00:00.000Z');
    expect(date.serialize('1990-07-04')).toBe('1990-07-04');
  });

  it('name the bug when a resolver hands them a value it did not read', () => {
    expect(() => dateTime.serialize('N/A')).toThrow(
      /DateTime field resolved to a value it cannot represent.*resolver must read/,
    );
    expect(() => date.serialize('02/31/1990')).toThrow(/Date field resolved to a value it cannot represent/);
  });

  it('accept only strict input', () => {
    expect(dateTime.parseValue('2026-12-01T09:00:00Z')).toBe('2026-12-01T09:00:00.000Z');
    expect(() => dateTime.parseValue('2026-12-01 09:00:00')).toThrow(/with a zone/);
    expect(date.parseValue('1990-07-04')).toBe('1990-07-04');
    expect(() => date.parseValue('07/04/1990')).toThrow(/YYYY-MM-DD/);
    expect(() => date.parseValue('1990-02-31')).toThrow(/valid date/);
  });
});
