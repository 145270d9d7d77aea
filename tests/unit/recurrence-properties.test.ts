import * as fc from 'fast-check';
import { RRule } from 'rrule';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Occurrence,
  occurrences,
  type Recurrence,
} from '../../functions/domain/service-plans/recurrence';

const DAY = 86_400_000;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
/** Ten years of starts, from 1980-01-01. */
const FIRST_START = Date.UTC(1980, 0, 1);
const TEN_YEARS = 3652;
/**
 * rrule.js stops at UNTIL only once it yields a date after it, else at the
 * year 9999, so a rare rule takes it long. The calendar repeats every 400
 * years, so it computes 8000 years later, close to its end.
 */
const ORACLE_SHIFT = Date.UTC(9980, 0, 1) - FIRST_START;

const first = (recurrence: Recurrence, count: number, lastDate = '9999-12-31'): Occurrence[] => {
  const taken: Occurrence[] = [];
  for (const occurrence of occurrences(recurrence)) {
    if (occurrence.date > lastDate || taken.length >= count) break;
    taken.push(occurrence);
  }
  return taken;
};
const isoMinute = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const endOfDay = (ms: number) => Math.floor(ms / DAY) * DAY + DAY - 1000;
const compact = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '');

interface GeneratedRule {
  parts: string[];
  /** How the rule ends: COUNT, UNTIL as a date, UNTIL as a local date-time (days after the start), or not. */
  end: { count: number } | { untilDate: number } | { untilLocal: number } | undefined;
}

const option = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const weekdays = (max = 7) => fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: max });
const ordinal = (max: number) => fc.integer({ min: -max, max }).filter((n) => n !== 0);
const nthWeekdays = (max: number) =>
  fc
    .uniqueArray(fc.tuple(ordinal(max), fc.constantFrom(...WEEKDAYS)), {
      minLength: 1,
      maxLength: 3,
      selector: ([n, day]) => `${n}${day}`,
    })
    .map((days) => days.map(([n, day]) => `${n}${day}`));
const months = fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 });
const monthDays = fc.uniqueArray(ordinal(31), { minLength: 1, maxLength: 4 });
const end = fc.oneof(
  fc.constant(undefined),
  fc.record({ count: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ untilDate: fc.integer({ min: 0, max: 2000 }) }),
  fc.record({ untilLocal: fc.integer({ min: 0, max: 2000 }) }),
);
const part = (name: string, value: string | number | readonly (string | number)[] | undefined) =>
  value === undefined ? [] : [`${name}=${Array.isArray(value) ? value.join(',') : value}`];

/**
 * Rules of the supported subset, but none that rrule.js gets wrong: it takes
 * BYDAY=1MO,FR for the days that are both, and its BYSETPOS picks the first
 * day for a negative position beyond the set, so sets are kept large enough.
 */
const ruleArbitrary: fc.Arbitrary<GeneratedRule> = fc.oneof(
  fc
    .record({
      freq: fc.constantFrom('DAILY', 'WEEKLY'),
      interval: fc.integer({ min: 1, max: 10 }),
      byMonth: option(months),
      byMonthDay: option(monthDays),
      byDay: option(weekdays()),
      wkst: option(fc.constantFrom(...WEEKDAYS)),
      byHour: option(fc.integer({ min: 0, max: 23 })),
      byMinute: option(fc.integer({ min: 0, max: 59 })),
      end,
    })
    .map((r) => ({
      parts: [
        ...part('FREQ', r.freq),
        ...part('INTERVAL', r.interval),
        ...part('BYMONTH', r.byMonth),
        ...(r.freq === 'DAILY' ? part('BYMONTHDAY', r.byMonthDay) : []),
        ...part('BYDAY', r.byDay),
        ...part('WKST', r.wkst),
        ...part('BYHOUR', r.byHour),
        ...part('BYMINUTE', r.byMinute),
      ],
      end: r.end,
    })),
  fc
    .record({ freq: fc.constantFrom('MONTHLY', 'YEARLY'), byMonth: option(months) })
    .chain(({ freq, byMonth }) =>
      fc.record({
        head: fc.constant([...part('FREQ', freq), ...part('BYMONTH', byMonth)]),
        interval: fc.integer({ min: 1, max: 4 }),
        byMonthDay: option(monthDays),
        byDay: option(fc.oneof(weekdays(3), nthWeekdays(freq === 'YEARLY' && !byMonth ? 53 : 5))),
        end,
      }),
    )
    .map((r) => ({
      parts: [
        ...r.head,
        ...part('INTERVAL', r.interval),
        ...part('BYMONTHDAY', r.byMonthDay),
        ...part('BYDAY', r.byDay),
      ],
      end: r.end,
    })),
  fc
    .record({
      freq: fc.constantFrom('MONTHLY', 'YEARLY'),
      byMonth: option(months),
      set: fc.oneof(
        weekdays(3).map((days) => ({
          part: part('BYDAY', days),
          perMonth: 4 * days.length,
          perYear: 52 * days.length,
        })),
        fc.uniqueArray(fc.integer({ min: 1, max: 28 }), { minLength: 1, maxLength: 4 }).map((days) => ({
          part: part('BYMONTHDAY', days),
          perMonth: days.length,
          perYear: 12 * days.length,
        })),
      ),
      negative: fc.boolean(),
      positions: fc.uniqueArray(fc.integer({ min: 1, max: 366 }), { minLength: 1, maxLength: 3 }),
      end,
    })
    .map((r) => {
      const smallest =
        r.freq === 'MONTHLY' ? r.set.perMonth : r.byMonth ? r.set.perMonth * r.byMonth.length : r.set.perYear;
      const positions = [
        ...new Set(r.positions.map((p) => (((p - 1) % smallest) + 1) * (r.negative ? -1 : 1))),
      ];
      return {
        parts: [
          ...part('FREQ', r.freq),
          ...part('BYMONTH', r.byMonth),
          ...r.set.part,
          ...part('BYSETPOS', positions),
        ],
        end: r.end,
      };
    }),
);

describe('recurrence properties', () => {
  it('gives the local date-times that rrule.js gives in its floating mode', () => {
    const start = fc.record({
      day: fc.integer({ min: 0, max: TEN_YEARS }),
      minute: fc.integer({ min: 0, max: 1439 }),
    });
    fc.assert(
      fc.property(ruleArbitrary, start, ({ parts, end }, { day, minute }) => {
        const dtstart = FIRST_START + day * DAY + minute * 60_000;
        // rrule.js is slow day by day: a year of daily periods, four of weekly ones, ten of the others.
        const span = { 'FREQ=DAILY': 366, 'FREQ=WEEKLY': 4 * 366 }[parts[0] ?? ''] ?? TEN_YEARS - 1;
        const lastDay = FIRST_START + (day + span) * DAY;
        const ending =
          end === undefined
            ? []
            : 'count' in end
              ? [`COUNT=${end.count}`]
              : 'untilDate' in end
                ? [`UNTIL=${compact(dtstart + end.untilDate * DAY).slice(0, 8)}`]
                : [`UNTIL=${compact(dtstart + end.untilLocal * DAY)}`];
        const rrule = [...parts, ...ending].join(';');
        const options = RRule.parseString(rrule);
        // UNTIL as a date means its whole day; rrule.js reads it as midnight.
        const ruleUntil =
          end && 'untilDate' in end ? endOfDay(dtstart + end.untilDate * DAY) : options.until?.getTime();
        const until = Math.min(ruleUntil ?? Number.POSITIVE_INFINITY, endOfDay(lastDay));
        const oracle = new RRule({
          ...options,
          dtstart: new Date(dtstart + ORACLE_SHIFT),
          until: new Date(until + ORACLE_SHIFT),
        })
          .all((_, index) => index < 50)
          .map((date) => isoMinute(date.getTime() - ORACLE_SHIFT));
        const ours = first(
          { rrule, timeZone: 'UTC', start: isoMinute(dtstart) },
          50,
          isoMinute(lastDay).slice(0, 10),
        );
        expect(ours.map((occurrence) => occurrence.local)).toEqual(oracle);
        expect(ours.map((occurrence) => occurrence.date)).toEqual(oracle.map((local) => local.slice(0, 10)));
      }),
      { seed: 5545, numRuns: 1000 },
    );
  });
});

const ZONES = [
  ...new Set([
    'Europe/Berlin',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Pacific/Chatham',
    'America/Sao_Paulo',
    'Africa/Casablanca',
    'Australia/Sydney',
    'America/St_Johns',
    ...Intl.supportedValuesOf('timeZone').filter((_, index) => index % 13 === 0),
  ]),
].slice(0, 40);

const wallClocks = new Map<string, Intl.DateTimeFormat>();
/** The wall-clock time 'YYYY-MM-DDTHH:mm:ss' at an instant, read apart from the module under test. */
const wallClock = (epochMs: number, timeZone: string) => {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallClocks.set(timeZone, format);
  }
  return format.format(epochMs).replace(' ', 'T');
};
const offset = (epochMs: number, timeZone: string) =>
  Date.parse(`${wallClock(epochMs, timeZone)}Z`) - epochMs;

/** The instants at which a zone changes its offset, to the minute, within a span. */
function transitions(timeZone: string, from: number, to: number): number[] {
  const found: number[] = [];
  for (let day = from; day < to; day += DAY) {
    if (offset(day, timeZone) === offset(day + DAY, timeZone)) continue;
    let [low, high] = [day, day + DAY];
    while (high - low > 60_000) {
      const middle = low + Math.floor((high - low) / 120_000) * 60_000;
      [low, high] = offset(middle, timeZone) === offset(day, timeZone) ? [middle, high] : [low, middle];
    }
    found.push(high);
  }
  return found;
}

/** An occurrence is at its local time; else that time does not exist and it is the time after the gap. */
function expectAtItsLocalTime(occurrence: Occurrence, timeZone: string): void {
  const at = Date.parse(occurrence.at);
  const local = `${occurrence.local}:00`;
  const localAsUtc = Date.parse(`${local}Z`);
  const nearby = [offset(at - DAY, timeZone), offset(at, timeZone), offset(at + DAY, timeZone)];
  const instants = nearby.map((nearOffset) => localAsUtc - nearOffset);
  if (occurrence.shifted) {
    expect(instants.map((instant) => wallClock(instant, timeZone))).not.toContain(local);
    const gap = offset(at, timeZone) - offset(at - DAY, timeZone);
    expect(gap).toBeGreaterThan(0);
    expect(wallClock(at, timeZone)).toBe(new Date(localAsUtc + gap).toISOString().slice(0, 19));
  } else {
    expect(wallClock(at, timeZone)).toBe(local);
    // The first of two: no earlier instant has the same wall-clock time.
    const earlier = instants.filter((instant) => instant < at);
    expect(earlier.map((instant) => wallClock(instant, timeZone))).not.toContain(local);
  }
}

describe('recurrence in many time zones', () => {
  const from = Date.UTC(2024, 0, 1);
  const to = Date.UTC(2034, 0, 1);

  it('takes 40 zones, among them those with odd offsets and southern summers', () => {
    expect(ZONES).toHaveLength(40);
    expect(ZONES).toEqual(
      expect.arrayContaining(['Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham']),
    );
  });

  it('puts every occurrence at its local time, over ten years of random rules', () => {
    const rules = [
      'FREQ=DAILY;INTERVAL=3',
      'FREQ=WEEKLY;BYDAY=SU',
      'FREQ=MONTHLY;BYDAY=-1SU',
      'FREQ=MONTHLY;BYDAY=1SU',
      'FREQ=MONTHLY;BYDAY=2SU',
      'FREQ=YEARLY;BYMONTH=3,4,9,10,11;BYDAY=SA,SU',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...rules),
        fc.integer({ min: 0, max: TEN_YEARS }),
        fc.integer({ min: 0, max: 1439 }),
        (timeZone, rule, day, minute) => {
          const start = isoMinute(from + day * DAY + minute * 60_000);
          for (const occurrence of first({ rrule: `${rule};COUNT=40`, timeZone, start }, 40)) {
            expectAtItsLocalTime(occurrence, timeZone);
          }
        },
      ),
      { seed: 2027, numRuns: 300 },
    );
  });

  it('puts every occurrence at its local time around each change of offset in ten years, every five minutes', () => {
    let shifted = 0;
    for (const timeZone of ZONES) {
      for (const change of transitions(timeZone, from, to)) {
        // From an hour before the wall clock jumps to an hour after where it lands.
        const before = Date.parse(`${wallClock(change - 60_000, timeZone)}Z`) - 3_600_000;
        const after = Date.parse(`${wallClock(change, timeZone)}Z`) + 3_600_000;
        for (let local = before - (before % 300_000); local <= after; local += 300_000) {
          const start = isoMinute(local);
          for (const occurrence of first({ rrule: 'FREQ=DAILY;COUNT=2', timeZone, start }, 2)) {
            expectAtItsLocalTime(occurrence, timeZone);
            if (occurrence.shifted) shifted++;
          }
        }
      }
    }
    expect(shifted).toBeGreaterThan(1000);
  });
});

describe('recurrence and the time zone of the process', () => {
  const original = process.env.TZ;
  afterEach(() => {
    if (original === undefined) Reflect.deleteProperty(process.env, 'TZ');
    else process.env.TZ = original;
  });

  it('gives the same occurrences whatever the process time zone', () => {
    const recurrences: Recurrence[] = [
      { rrule: 'FREQ=MONTHLY;BYDAY=-1SU', timeZone: 'Europe/Berlin', start: '2027-01-01T02:30' },
      {
        rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;WKST=SU',
        timeZone: 'America/New_York',
        start: '2027-03-01T01:30',
      },
      { rrule: 'FREQ=MONTHLY;BYDAY=1SU', timeZone: 'Australia/Lord_Howe', start: '2027-01-03T02:15' },
      { rrule: 'FREQ=YEARLY;BYMONTH=9;BYDAY=-1SU', timeZone: 'Pacific/Chatham', start: '2027-01-01T03:00' },
      { rrule: 'FREQ=DAILY;UNTIL=20270401T000000Z', timeZone: 'Asia/Kathmandu', start: '2027-03-01T23:50' },
      {
        rrule: 'FREQ=MONTHLY;BYMONTHDAY=31',
        timeZone: 'America/Sao_Paulo',
        start: '2018-01-31T00:30',
        exdates: ['2018-03-31'],
        until: '2019-12-31',
      },
    ];
    const offsets: number[] = [];
    const results = ['UTC', 'Pacific/Kiritimati', 'America/St_Johns', 'Asia/Kathmandu', 'Europe/Berlin'].map(
      (tz) => {
        process.env.TZ = tz;
        offsets.push(new Date(Date.UTC(2027, 0, 1)).getTimezoneOffset());
        return recurrences.map((recurrence) => first(recurrence, 30));
      },
    );
    // The process did change its time zone each time.
    expect(offsets).toEqual([0, -840, 210, -345, -60]);
    for (const result of results) expect(result).toEqual(results[0]);
    expect(results[0]?.flat().filter((occurrence) => occurrence.shifted).length).toBeGreaterThan(0);
  });
});
