import { describe, expect, it } from 'vitest';
import { recurrenceInput } from '../../functions/domain/service-plans/plan-input';
import {
  formatRule,
  type Occurrence,
  occurrences,
  parseRule,
  type Recurrence,
  RecurrenceError,
} from '../../functions/domain/service-plans/recurrence';

const first = (recurrence: Recurrence, count = 50, after?: string): Occurrence[] => {
  const taken: Occurrence[] = [];
  for (const occurrence of occurrences(recurrence, after === undefined ? {} : { after })) {
    taken.push(occurrence);
    if (taken.length >= count) break;
  }
  return taken;
};
const berlin = (rrule: string, start: string, more: Partial<Recurrence> = {}): Recurrence => ({
  rrule,
  timeZone: 'Europe/Berlin',
  start,
  ...more,
});
/** The dates of the first occurrences, separated by spaces. */
const datesOf = (recurrence: Recurrence, count = 50, after?: string) =>
  first(recurrence, count, after)
    .map((occurrence) => occurrence.date)
    .join(' ');
const issuesOf = (input: unknown) => {
  const result = recurrenceInput['~standard'].validate(input);
  if (result instanceof Promise) throw new Error('recurrenceInput is synchronous');
  return (result.issues ?? []).map((issue) => ({
    path: (issue.path ?? []).map((key) => (typeof key === 'object' ? key.key : key)).join('.'),
    message: issue.message,
  }));
};

describe('recurrence rules', () => {
  it('every three months on the 1st, from the first 1st on or after the start', () => {
    expect(first(berlin('FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1', '2027-01-15T08:00'), 4)).toEqual([
      { date: '2027-04-01', local: '2027-04-01T08:00', at: '2027-04-01T06:00:00.000Z' },
      { date: '2027-07-01', local: '2027-07-01T08:00', at: '2027-07-01T06:00:00.000Z' },
      { date: '2027-10-01', local: '2027-10-01T08:00', at: '2027-10-01T06:00:00.000Z' },
      { date: '2028-01-01', local: '2028-01-01T08:00', at: '2028-01-01T07:00:00.000Z' },
    ]);
  });

  it('every second Tuesday of the month', () => {
    expect(datesOf(berlin('FREQ=MONTHLY;BYDAY=2TU', '2027-01-01T10:00'), 4)).toBe(
      '2027-01-12 2027-02-09 2027-03-09 2027-04-13',
    );
  });

  it('the last weekday of the month', () => {
    const rule = 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1';
    expect(datesOf(berlin(rule, '2027-01-01T09:00'), 7)).toBe(
      '2027-01-29 2027-02-26 2027-03-31 2027-04-30 2027-05-31 2027-06-30 2027-07-30',
    );
  });

  it('BYSETPOS from both ends gives each day once and in order', () => {
    const weekdays = 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1,1';
    expect(datesOf(berlin(weekdays, '2027-01-01T09:00'), 4)).toBe(
      '2027-01-01 2027-01-29 2027-02-01 2027-02-26',
    );
    const days = 'FREQ=MONTHLY;BYMONTHDAY=1,15,28;BYSETPOS=1,-3;COUNT=2';
    expect(datesOf(berlin(days, '2027-01-01T09:00'))).toBe('2027-01-01 2027-02-01');
  });

  it('monthly on the 31st skips the months without one, also when the start gives the day', () => {
    const expected =
      '2027-01-31 2027-03-31 2027-05-31 2027-07-31 2027-08-31 2027-10-31 2027-12-31 2028-01-31';
    expect(datesOf(berlin('FREQ=MONTHLY;BYMONTHDAY=31', '2027-01-31T09:00'), 8)).toBe(expected);
    expect(datesOf(berlin('FREQ=MONTHLY', '2027-01-31T09:00'), 8)).toBe(expected);
  });

  it('the last day of the month with a negative BYMONTHDAY', () => {
    expect(datesOf(berlin('FREQ=MONTHLY;BYMONTHDAY=-1', '2028-01-10T09:00'), 3)).toBe(
      '2028-01-31 2028-02-29 2028-03-31',
    );
  });

  it('yearly from a leap day only in leap years', () => {
    expect(datesOf(berlin('FREQ=YEARLY;UNTIL=20351231', '2028-02-29T09:00'))).toBe('2028-02-29 2032-02-29');
  });

  it('every other week on Tuesday and Sunday, as RFC 5545 shows for either week start', () => {
    const rule = 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU';
    expect(datesOf(berlin(`${rule};WKST=MO`, '1997-08-05T09:00'))).toBe(
      '1997-08-05 1997-08-10 1997-08-19 1997-08-24',
    );
    expect(datesOf(berlin(`${rule};WKST=SU`, '1997-08-05T09:00'))).toBe(
      '1997-08-05 1997-08-17 1997-08-19 1997-08-31',
    );
  });

  it('every other week on Monday and Thursday: the week start decides which Monday goes with a Thursday', () => {
    const rule = 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH';
    // 2027-01-07 is a Thursday.
    expect(datesOf(berlin(rule, '2027-01-07T09:00'), 5)).toBe(
      '2027-01-07 2027-01-18 2027-01-21 2027-02-01 2027-02-04',
    );
    expect(datesOf(berlin(`${rule};WKST=TU`, '2027-01-07T09:00'), 5)).toBe(
      '2027-01-07 2027-01-11 2027-01-21 2027-01-25 2027-02-04',
    );
  });

  it('a start the rule does not give is not an occurrence, as in rrule.js', () => {
    // 2027-01-01 is a Friday.
    expect(datesOf(berlin('FREQ=WEEKLY;BYDAY=MO;COUNT=2', '2027-01-01T09:00'))).toBe('2027-01-04 2027-01-11');
  });

  it('weekly BYSETPOS counts the first week from the start day, as rrule.js does', () => {
    // 2027-01-06 is a Wednesday: its week has Wednesday the 6th and Friday the 8th left.
    const rule = 'FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=3;BYSETPOS=';
    expect(datesOf(berlin(`${rule}1`, '2027-01-06T09:00'))).toBe('2027-01-06 2027-01-11 2027-01-18');
    expect(datesOf(berlin(`${rule}3`, '2027-01-06T09:00'))).toBe('2027-01-15 2027-01-22 2027-01-29');
  });

  it('BYDAY is the union of the nth weekdays and the plain weekdays', () => {
    // February 2027: Monday the 1st, Fridays the 5th, 12th, 19th and 26th.
    expect(datesOf(berlin('FREQ=MONTHLY;BYDAY=1MO,FR;BYMONTH=2', '2027-01-01T09:00'), 5)).toBe(
      '2027-02-01 2027-02-05 2027-02-12 2027-02-19 2027-02-26',
    );
  });

  it('yearly ordinals count in the year, or in the month with BYMONTH', () => {
    // 2027 starts on a Friday and ends on a Friday; March 2027 starts on a Monday.
    expect(datesOf(berlin('FREQ=YEARLY;BYDAY=1MO,-1FR;COUNT=2', '2027-01-01T09:00'))).toBe(
      '2027-01-04 2027-12-31',
    );
    expect(datesOf(berlin('FREQ=YEARLY;BYMONTH=3;BYDAY=-1MO;COUNT=1', '2027-01-01T09:00'))).toBe(
      '2027-03-29',
    );
  });

  it('BYHOUR and BYMINUTE set the time of day of every occurrence', () => {
    expect(
      first(berlin('FREQ=DAILY;BYHOUR=7;BYMINUTE=45;COUNT=2', '2027-01-01T09:00')).map((o) => o.local),
    ).toEqual(['2027-01-02T07:45', '2027-01-03T07:45']);
  });

  it('COUNT, and UNTIL as a date (its whole day), a local date-time, or a UTC instant', () => {
    // 2027-05-10 is a Monday; 07:00 in Berlin is 05:00Z in May.
    const weekly = (rule: string) => datesOf(berlin(rule, '2027-05-10T07:00'));
    expect(weekly('FREQ=DAILY;COUNT=3')).toBe('2027-05-10 2027-05-11 2027-05-12');
    expect(weekly('FREQ=WEEKLY;UNTIL=20270524')).toBe('2027-05-10 2027-05-17 2027-05-24');
    expect(weekly('FREQ=WEEKLY;UNTIL=20270524T065959')).toBe('2027-05-10 2027-05-17');
    expect(weekly('FREQ=WEEKLY;UNTIL=20270524T070000')).toBe('2027-05-10 2027-05-17 2027-05-24');
    expect(weekly('FREQ=WEEKLY;UNTIL=20270524T050000Z')).toBe('2027-05-10 2027-05-17 2027-05-24');
    expect(weekly('FREQ=WEEKLY;UNTIL=20270524T045959Z')).toBe('2027-05-10 2027-05-17');
    expect(datesOf(berlin('FREQ=WEEKLY', '2027-05-10T07:00', { until: '2027-05-17' }))).toBe(
      '2027-05-10 2027-05-17',
    );
  });

  it('skips exdates, which still count for COUNT, and skips through `after` alike', () => {
    const recurrence = berlin('FREQ=WEEKLY;COUNT=4', '2027-05-10T07:00', { exdates: ['2027-05-17'] });
    expect(datesOf(recurrence)).toBe('2027-05-10 2027-05-24 2027-05-31');
    expect(datesOf(recurrence, 50, '2027-05-24')).toBe('2027-05-31');
    expect(datesOf(berlin('FREQ=WEEKLY', '2027-05-10T07:00', { exdates: ['2027-05-17'] }), 2)).toBe(
      '2027-05-10 2027-05-24',
    );
  });

  it('ends for a rule that can never occur', () => {
    expect(datesOf(berlin('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', '2027-01-01T09:00'))).toBe('');
    expect(datesOf(berlin('FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31', '2027-01-01T09:00'))).toBe('');
  });
});

describe('recurrence across daylight saving time', () => {
  it('keeps 09:00 in Berlin while the UTC instant moves in March and October', () => {
    const visits = first(berlin('FREQ=MONTHLY', '2027-01-15T09:00'), 11);
    expect(visits.every((visit) => visit.local.endsWith('T09:00'))).toBe(true);
    expect(visits.map((visit) => visit.at)).toEqual([
      '2027-01-15T08:00:00.000Z',
      '2027-02-15T08:00:00.000Z',
      '2027-03-15T08:00:00.000Z',
      '2027-04-15T07:00:00.000Z',
      '2027-05-15T07:00:00.000Z',
      '2027-06-15T07:00:00.000Z',
      '2027-07-15T07:00:00.000Z',
      '2027-08-15T07:00:00.000Z',
      '2027-09-15T07:00:00.000Z',
      '2027-10-15T07:00:00.000Z',
      '2027-11-15T08:00:00.000Z',
    ]);
  });

  it.each([
    [
      'Europe/Berlin',
      '2027-03-27',
      '2027-03-27T01:30:00.000Z',
      '2027-03-28T01:30:00.000Z',
      '2027-03-29T00:30:00.000Z',
    ],
    [
      'America/New_York',
      '2027-03-13',
      '2027-03-13T07:30:00.000Z',
      '2027-03-14T07:30:00.000Z',
      '2027-03-15T06:30:00.000Z',
    ],
  ])(
    'moves 02:30 on the day clocks go forward in %s to 03:30, and keeps it',
    (timeZone, day, ...instants) => {
      const visits = first({ rrule: 'FREQ=DAILY;COUNT=3', timeZone, start: `${day}T02:30` });
      expect(visits.map((visit) => visit.at)).toEqual(instants);
      expect(visits.map((visit) => visit.local.slice(11))).toEqual(['02:30', '02:30', '02:30']);
      expect(visits.map((visit) => visit.shifted)).toEqual([undefined, true, undefined]);
    },
  );

  it('takes the first 01:30 on the day clocks go back in New York (EDT)', () => {
    const visits = first({
      rrule: 'FREQ=DAILY;COUNT=3',
      timeZone: 'America/New_York',
      start: '2027-11-06T01:30',
    });
    expect(visits).toEqual([
      { date: '2027-11-06', local: '2027-11-06T01:30', at: '2027-11-06T05:30:00.000Z' },
      { date: '2027-11-07', local: '2027-11-07T01:30', at: '2027-11-07T05:30:00.000Z' },
      { date: '2027-11-08', local: '2027-11-08T01:30', at: '2027-11-08T06:30:00.000Z' },
    ]);
  });
});

describe('parsing and canonical text', () => {
  it('takes the prefix and any case, and gives canonical text', () => {
    const rule = parseRule('rrule:byday=th,mo;wkst=su;interval=2;freq=weekly');
    expect(rule).toEqual({
      freq: 'WEEKLY',
      interval: 2,
      wkst: 'SU',
      byDay: [{ weekday: 'MO' }, { weekday: 'TH' }],
    });
    expect(formatRule(rule)).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;WKST=SU');
    expect(formatRule(parseRule('FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR,+2TU;BYMONTHDAY=13,1,13'))).toBe(
      'FREQ=MONTHLY;BYMONTHDAY=1,13;BYDAY=2TU,-1FR',
    );
    for (const until of ['20270524', '20270524T065959', '20270524T050000Z']) {
      expect(formatRule(parseRule(`FREQ=DAILY;UNTIL=${until}`))).toBe(`FREQ=DAILY;UNTIL=${until}`);
    }
    expect(parseRule('FREQ=DAILY;UNTIL=20270524T050000Z').until).toEqual({
      kind: 'utc',
      instant: '2027-05-24T05:00:00Z',
    });
  });

  it.each([
    ['FREQ=HOURLY', 'FREQ=HOURLY is not supported: a service plan recurs at most daily'],
    ['FREQ=SECONDLY', 'FREQ=SECONDLY is not supported: a service plan recurs at most daily'],
    ['FREQ=YEARLY;BYWEEKNO=20', 'RRULE part BYWEEKNO is not supported'],
    ['FREQ=YEARLY;BYYEARDAY=100', 'RRULE part BYYEARDAY is not supported'],
    ['FREQ=DAILY;BYSECOND=5', 'RRULE part BYSECOND is not supported'],
    ['FREQ=DAILY;X-NAME=1', 'RRULE part X-NAME is not supported'],
    ['FREQ=DAILY;BYEASTER=0', 'RRULE part BYEASTER is not supported'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'RRULE part FREQ is given twice'],
    ['FREQ=DAILY;COUNT=3;UNTIL=20270101', 'RRULE must not have both COUNT and UNTIL'],
    ['FREQ=DAILY;INTERVAL=0', "INTERVAL must be a whole number from 1 to 999 (got '0')"],
    ['FREQ=DAILY;COUNT=10001', "COUNT must be a whole number from 1 to 10000 (got '10001')"],
    ['FREQ=MONTHLY;BYMONTHDAY=32', "BYMONTHDAY must be a whole number from -31 to 31, not 0 (got '32')"],
    ['FREQ=MONTHLY;BYMONTH=13', "BYMONTH must be a whole number from 1 to 12 (got '13')"],
    ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0', "BYSETPOS must be a whole number from -366 to 366, not 0 (got '0')"],
    ['FREQ=MONTHLY;BYSETPOS=1', 'BYSETPOS needs another BY part such as BYDAY'],
    ['FREQ=WEEKLY;BYDAY=2TU', 'BYDAY ordinals such as 2TU need FREQ=MONTHLY or FREQ=YEARLY'],
    ['FREQ=MONTHLY;BYDAY=6TU', 'BYDAY ordinals within a month must be from -5 to 5'],
    ['FREQ=MONTHLY;BYDAY=XX', "BYDAY must be weekdays MO to SU with optional ordinals (got 'XX')"],
    ['FREQ=WEEKLY;BYMONTHDAY=1', 'BYMONTHDAY cannot be used with FREQ=WEEKLY'],
    [
      'FREQ=DAILY;UNTIL=20270230',
      "UNTIL must be a date YYYYMMDD or a date-time YYYYMMDDTHHMMSS, with Z for UTC (got '20270230')",
    ],
    ['FREQ=DAILY;WKST=XX', 'WKST must be a weekday MO to SU'],
    ['FREQ=DAILY;BYHOUR=8,14', 'a service plan occurs at most once a day: BYHOUR takes a single value'],
    ['FREQ=DAILY;BYMINUTE=0,30', 'a service plan occurs at most once a day: BYMINUTE takes a single value'],
    ['FREQ=DAILY;BYHOUR=24', "BYHOUR must be a whole number from 0 to 23 (got '24')"],
    ['FREQ=FORTNIGHTLY', "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY (got 'FORTNIGHTLY')"],
    ['INTERVAL=2', 'RRULE needs a FREQ part'],
    ['garbage', "RRULE part 'garbage' is malformed: parts are NAME=VALUE separated by ';'"],
    ['FREQ=DAILY;', "RRULE part '' is malformed: parts are NAME=VALUE separated by ';'"],
  ])('refuses %s', (rrule, message) => {
    expect(() => parseRule(rrule)).toThrow(new RecurrenceError(message));
    expect(issuesOf({ rrule, timeZone: 'Europe/Berlin', start: '2027-01-01T09:00' })).toEqual([
      { path: 'rrule', message },
    ]);
  });
});

describe('recurrence input', () => {
  const valid = { rrule: 'FREQ=MONTHLY;BYDAY=2TU', timeZone: 'Europe/Berlin', start: '2027-01-01T10:00' };

  it('takes a complete recurrence', () => {
    expect(issuesOf({ ...valid, until: '2027-12-31', exdates: ['2027-02-09'] })).toEqual([]);
  });

  it.each([
    [{ timeZone: 'Mars/Olympus' }, 'timeZone', 'Must be an IANA time zone such as Europe/Berlin'],
    [{ timeZone: '+01:00' }, 'timeZone', 'Must be an IANA time zone such as Europe/Berlin'],
    [{ start: '2027-01-01' }, 'start', 'Must be a local date-time YYYY-MM-DDTHH:mm (years 1900 to 9999)'],
    [
      { start: '2027-01-01T09:00Z' },
      'start',
      'Must be a local date-time YYYY-MM-DDTHH:mm (years 1900 to 9999)',
    ],
    [
      { start: '2027-02-29T09:00' },
      'start',
      'Must be a local date-time YYYY-MM-DDTHH:mm (years 1900 to 9999)',
    ],
    [
      { start: '2027-01-01T24:00' },
      'start',
      'Must be a local date-time YYYY-MM-DDTHH:mm (years 1900 to 9999)',
    ],
    [{ until: '2027-13-01' }, 'until', 'Must be a local date YYYY-MM-DD (years 1900 to 9999)'],
    [{ until: '2026-12-31' }, 'until', 'Must not be before the day of the start'],
    [
      { exdates: ['2027-02-09', '9.2.2027'] },
      'exdates.1',
      'Must be a local date YYYY-MM-DD (years 1900 to 9999)',
    ],
  ])('refuses %j', (change, path, message) => {
    expect(issuesOf({ ...valid, ...change })).toEqual([{ path, message }]);
  });

  it('refuses more than 366 exdates and unknown fields', () => {
    const exdates = Array.from({ length: 367 }, () => '2027-02-09');
    expect(issuesOf({ ...valid, exdates }).map((issue) => issue.path)).toEqual(['exdates']);
    expect(issuesOf({ ...valid, tzid: 'Europe/Berlin' }).map((issue) => issue.path)).toEqual(['']);
  });

  it('makes occurrences refuse what the schema refuses', () => {
    expect(() => first({ ...valid, timeZone: 'Mars/Olympus' })).toThrow(
      new RecurrenceError("Not an IANA time zone: 'Mars/Olympus'"),
    );
    expect(() => first({ ...valid, start: '2027-01-01' })).toThrow(
      new RecurrenceError("start must be a local date-time YYYY-MM-DDTHH:mm (got '2027-01-01')"),
    );
    expect(() => first(valid, 1, '2027-1-1')).toThrow(
      new RecurrenceError("after must be a local date YYYY-MM-DD (got '2027-1-1')"),
    );
  });
});
