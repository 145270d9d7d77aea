import { describe, expect, it } from 'vitest';
import {
  civilDate,
  dayNumber,
  isTimeZone,
  localToInstant,
  offsetAt,
  weekdayOf,
} from '../../functions/domain/service-plans/zoned-time';

const instantOf = (local: string, timeZone: string) => {
  const { epochMs, shifted } = localToInstant(local, timeZone);
  return { at: new Date(epochMs).toISOString(), shifted };
};

describe('calendar arithmetic', () => {
  it('counts days from 1970-01-01 and back, in both directions', () => {
    expect(dayNumber(1970, 1, 1)).toBe(0);
    expect(dayNumber(2000, 3, 1)).toBe(11_017);
    expect(dayNumber(1969, 12, 31)).toBe(-1);
    expect(dayNumber(1900, 1, 1)).toBe(-25_567);
    expect(civilDate(11_016)).toEqual({ year: 2000, month: 2, day: 29 });
    expect(civilDate(-25_567)).toEqual({ year: 1900, month: 1, day: 1 });
    for (let days = -30_000; days < 3_000_000; days += 997) {
      const { year, month, day } = civilDate(days);
      expect(dayNumber(year, month, day)).toBe(days);
    }
  });

  it('knows the weekdays, Monday 0 to Sunday 6', () => {
    expect(weekdayOf(dayNumber(1970, 1, 1))).toBe(3);
    expect(weekdayOf(dayNumber(2027, 1, 1))).toBe(4);
    expect(weekdayOf(dayNumber(1900, 1, 1))).toBe(0);
  });
});

describe('local times to instants', () => {
  it.each([
    ['2027-01-15T09:00', 'Europe/Berlin', '2027-01-15T08:00:00.000Z'],
    ['2027-07-15T09:00', 'Europe/Berlin', '2027-07-15T07:00:00.000Z'],
    ['2027-01-01T09:00', 'Asia/Kolkata', '2027-01-01T03:30:00.000Z'],
    ['2027-01-01T09:00', 'Asia/Kathmandu', '2027-01-01T03:15:00.000Z'],
    ['2027-01-01T00:00', 'Pacific/Kiritimati', '2026-12-31T10:00:00.000Z'],
    ['2027-01-01T00:00', 'UTC', '2027-01-01T00:00:00.000Z'],
    // Clocks go back: the first of the two, with the offset of summer time.
    ['2027-10-31T02:30', 'Europe/Berlin', '2027-10-31T00:30:00.000Z'],
    ['2027-11-07T01:30', 'America/New_York', '2027-11-07T05:30:00.000Z'],
    ['2027-04-04T02:30', 'Australia/Sydney', '2027-04-03T15:30:00.000Z'],
    // Lord Howe Island goes back half an hour, from 02:00 (+11) to 01:30 (+10:30).
    ['2027-04-04T01:45', 'Australia/Lord_Howe', '2027-04-03T14:45:00.000Z'],
  ])('%s in %s is %s', (local, timeZone, at) => {
    expect(instantOf(local, timeZone)).toEqual({ at, shifted: false });
  });

  it.each([
    ['2027-03-28T02:30', 'Europe/Berlin', '2027-03-28T01:30:00.000Z'],
    ['2027-03-14T02:30', 'America/New_York', '2027-03-14T07:30:00.000Z'],
    ['2027-10-03T02:30', 'Australia/Sydney', '2027-10-02T16:30:00.000Z'],
    // Half an hour forward at 02:00 (+10:30), so 02:15 is 02:45 (+11).
    ['2027-10-03T02:15', 'Australia/Lord_Howe', '2027-10-02T15:45:00.000Z'],
    // Brazil's summer time began at midnight.
    ['2018-11-04T00:30', 'America/Sao_Paulo', '2018-11-04T03:30:00.000Z'],
    // Samoa skipped 30 December 2011 when it went from -10 to +14.
    ['2011-12-30T09:00', 'Pacific/Apia', '2011-12-30T19:00:00.000Z'],
  ])('%s in %s does not exist: read with the offset before the gap, %s', (local, timeZone, at) => {
    expect(instantOf(local, timeZone)).toEqual({ at, shifted: true });
  });

  it('reads offsets of 45 minutes and of half an hour of summer time', () => {
    expect(offsetAt(Date.UTC(2027, 0, 1), 'Asia/Kathmandu')).toBe((5 * 60 + 45) * 60_000);
    expect(offsetAt(Date.UTC(2027, 0, 1), 'Australia/Lord_Howe')).toBe(11 * 3_600_000);
    expect(offsetAt(Date.UTC(2027, 6, 1), 'Australia/Lord_Howe')).toBe(10.5 * 3_600_000);
    expect(offsetAt(Date.UTC(2027, 0, 1), 'Pacific/Chatham')).toBe((13 * 60 + 45) * 60_000);
  });

  it('refuses what is not a local date-time or a time zone', () => {
    expect(() => localToInstant('2027-01-01', 'UTC')).toThrow(RangeError);
    expect(() => localToInstant('2027-01-01T09:00', 'Nowhere/Special')).toThrow(RangeError);
  });
});

describe('time zone names', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Etc/GMT+5'])(
    'takes %s',
    (name) => {
      expect(isTimeZone(name)).toBe(true);
    },
  );

  it.each(['Mars/Olympus', '', '+01:00', 'Europe/Berlin ', 'CEST', `Europe/${'x'.repeat(80)}`])(
    'refuses %j',
    (name) => {
      expect(isTimeZone(name)).toBe(false);
    },
  );
});
