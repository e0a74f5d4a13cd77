import { describe, expect, it } from 'vitest';
import { readCalendarDate, readInstant } from '../../src/ghl/dates.js';

describe('GHL date readers', () => {
  it.each([
    ['2021-07-02T05:18:26.704Z', '2021-07-02T05:18:26.704Z'],
    ['2021-07-16 11:00:00', '2021-07-16T11:00:00.000Z'],
    ['2021-07-16T11:00:00', '2021-07-16T11:00:00.000Z'],
    ['2021-07-16T11:00:00+02:00', '2021-07-16T09:00:00.000Z'],
    [1631087949919, '2021-09-08T07:59:09.919Z'],
    ['1631087949919', '2021-09-08T07:59:09.919Z'],
    ['not a date', null],
    ['', null],
    [null, null],
    [{}, null],
  ])('readInstant(%j) is %j', (input, expected) => {
    expect(readInstant(input)).toBe(expected);
  });

  it.each([
    ['1990/09/25', '1990-09-25'],
    ['09/25/1990', '1990-09-25'],
    ['1990-09-25', '1990-09-25'],
    ['09-25-1990', '1990-09-25'],
    ['1990.09.25', '1990-09-25'],
    ['09.25.1990', '1990-09-25'],
    ['1990_09_25', '1990-09-25'],
    ['09_25_1990', '1990-09-25'],
    ['7/4/1976', '1976-07-04'],
    ['1990-09-25T00:00:00.000Z', '1990-09-25'],
    ['02/31/1990', null],
    ['Date format YYYY-MM-DD', null],
  ])('readCalendarDate(%j) is %j', (input, expected) => {
    expect(readCalendarDate(input)).toBe(expected);
  });
});
