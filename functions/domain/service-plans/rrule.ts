/**
 * The subset of RFC 5545 recurrence rules a service plan uses: parsing,
 * canonical text, and expansion into local (floating) dates and times.
 */
import {
  civilDate,
  DAY_MS,
  dayNumber,
  daysInMonth,
  MAX_YEAR,
  MINUTES_PER_DAY,
  validDay,
  weekdayOf,
} from './zoned-time';

/** A rule, a time zone or a local date that cannot be used; the message names what is wrong. */
export class RecurrenceError extends Error {
  override name = 'RecurrenceError';
}

export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A BYDAY value: every such weekday, or with an ordinal the nth (from the end if negative) in the month or year. */
export interface ByDay {
  weekday: Weekday;
  ordinal?: number;
}

/** UNTIL as written: a local date (inclusive), a floating local date-time, or a UTC instant. */
export type RuleUntil =
  | { kind: 'date'; date: string }
  | { kind: 'local'; dateTime: string }
  | { kind: 'utc'; instant: string };

export interface ParsedRule {
  freq: Frequency;
  interval: number;
  count?: number;
  until?: RuleUntil;
  byMonth?: number[];
  byMonthDay?: number[];
  byDay?: ByDay[];
  byHour?: number;
  byMinute?: number;
  bySetPos?: number[];
  wkst: Weekday;
}

const FREQUENCIES: readonly string[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
const PART_ORDER = [
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'BYMONTH',
  'BYMONTHDAY',
  'BYDAY',
  'BYHOUR',
  'BYMINUTE',
  'BYSETPOS',
  'WKST',
] as const;
type PartName = (typeof PART_ORDER)[number];
const isPartName = (name: string): name is PartName => (PART_ORDER as readonly string[]).includes(name);
const isWeekday = (text: string): text is Weekday => (WEEKDAYS as readonly string[]).includes(text);

const fail = (message: string): never => {
  throw new RecurrenceError(message);
};

/** A whole number within bounds; `signed` allows '-' and '+' and refuses 0. */
function integer(part: string, text: string, min: number, max: number, signed = false): number {
  const value = Number(text);
  const ok = (signed ? /^[+-]?\d{1,5}$/ : /^\d{1,5}$/).test(text) && value >= min && value <= max;
  if (!ok || (signed && value === 0)) {
    fail(`${part} must be a whole number from ${min} to ${max}${signed ? ', not 0' : ''} (got '${text}')`);
  }
  return value;
}

function numberList(part: string, text: string, min: number, max: number, signed = false): number[] {
  const values = text.split(',').map((item) => integer(part, item, min, max, signed));
  return [...new Set(values)].sort((a, b) => a - b);
}

function single(part: string, text: string, max: number): number {
  if (text.includes(',')) fail(`a service plan occurs at most once a day: ${part} takes a single value`);
  return integer(part, text, 0, max);
}

function parseUntil(text: string): RuleUntil {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(text);
  const [, y = '', mo = '', d = '', h, mi = '', s = '', z] = match ?? [];
  const date = `${y}-${mo}-${d}`;
  if (!match || validDay(Number(y), Number(mo), Number(d)) === undefined) {
    return fail(
      `UNTIL must be a date YYYYMMDD or a date-time YYYYMMDDTHHMMSS, with Z for UTC (got '${text}')`,
    );
  }
  if (h === undefined) return { kind: 'date', date };
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
    fail(`UNTIL has no such time of day (got '${text}')`);
  const dateTime = `${date}T${h}:${mi}:${s}`;
  return z ? { kind: 'utc', instant: `${dateTime}Z` } : { kind: 'local', dateTime };
}

function parseByDay(text: string): ByDay[] {
  const seen = new Map<string, ByDay>();
  for (const item of text.split(',')) {
    const match = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
    const weekday = match?.[2] ?? '';
    if (!match || !isWeekday(weekday))
      return fail(`BYDAY must be weekdays MO to SU with optional ordinals (got '${item}')`);
    const ordinal = match[1] === undefined ? undefined : integer('BYDAY ordinal', match[1], -53, 53, true);
    seen.set(`${ordinal ?? 0}${weekday}`, ordinal === undefined ? { weekday } : { weekday, ordinal });
  }
  return [...seen.values()].sort(
    (a, b) =>
      WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday) || (a.ordinal ?? 0) - (b.ordinal ?? 0),
  );
}

/** Parses a rule, with or without the 'RRULE:' prefix; throws a RecurrenceError naming the offending part. */
export function parseRule(rrule: string): ParsedRule {
  const body = rrule.trim().replace(/^RRULE:/i, '');
  const parts = new Map<PartName, string>();
  for (const part of body.split(';')) {
    const match = /^([A-Za-z][A-Za-z-]*)=(.+)$/.exec(part);
    if (!match) return fail(`RRULE part '${part}' is malformed: parts are NAME=VALUE separated by ';'`);
    const name = (match[1] ?? '').toUpperCase();
    if (!isPartName(name)) return fail(`RRULE part ${name} is not supported`);
    if (parts.has(name)) return fail(`RRULE part ${name} is given twice`);
    parts.set(name, (match[2] ?? '').toUpperCase());
  }
  const freq = parts.get('FREQ');
  if (freq === undefined) return fail('RRULE needs a FREQ part');
  if (['HOURLY', 'MINUTELY', 'SECONDLY'].includes(freq)) {
    return fail(`FREQ=${freq} is not supported: a service plan recurs at most daily`);
  }
  if (!FREQUENCIES.includes(freq))
    return fail(`FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY (got '${freq}')`);
  const rule: ParsedRule = { freq: freq as Frequency, interval: 1, wkst: 'MO' };
  for (const [name, value] of parts) {
    if (name === 'INTERVAL') rule.interval = integer(name, value, 1, 999);
    else if (name === 'COUNT') rule.count = integer(name, value, 1, 10_000);
    else if (name === 'UNTIL') rule.until = parseUntil(value);
    else if (name === 'BYMONTH') rule.byMonth = numberList(name, value, 1, 12);
    else if (name === 'BYMONTHDAY') rule.byMonthDay = numberList(name, value, -31, 31, true);
    else if (name === 'BYDAY') rule.byDay = parseByDay(value);
    else if (name === 'BYHOUR') rule.byHour = single(name, value, 23);
    else if (name === 'BYMINUTE') rule.byMinute = single(name, value, 59);
    else if (name === 'BYSETPOS') rule.bySetPos = numberList(name, value, -366, 366, true);
    else if (name === 'WKST') rule.wkst = isWeekday(value) ? value : fail(`WKST must be a weekday MO to SU`);
  }
  return checkCombination(rule);
}

/** The constraints RFC 5545 puts on parts used together. */
function checkCombination(rule: ParsedRule): ParsedRule {
  if (rule.count !== undefined && rule.until) fail('RRULE must not have both COUNT and UNTIL');
  if (rule.byMonthDay && rule.freq === 'WEEKLY') fail('BYMONTHDAY cannot be used with FREQ=WEEKLY');
  const ordinals = rule.byDay?.filter((day) => day.ordinal !== undefined) ?? [];
  if (ordinals.length > 0 && (rule.freq === 'DAILY' || rule.freq === 'WEEKLY')) {
    fail('BYDAY ordinals such as 2TU need FREQ=MONTHLY or FREQ=YEARLY');
  }
  if ((rule.freq === 'MONTHLY' || rule.byMonth) && ordinals.some((day) => Math.abs(day.ordinal ?? 0) > 5)) {
    fail('BYDAY ordinals within a month must be from -5 to 5');
  }
  const byParts = [rule.byMonth, rule.byMonthDay, rule.byDay, rule.byHour, rule.byMinute];
  if (rule.bySetPos && byParts.every((part) => part === undefined)) {
    fail('BYSETPOS needs another BY part such as BYDAY');
  }
  return rule;
}

const compact = (text: string) => text.replace(/[-:]/g, '');

/** The canonical text of a rule: upper case, parts in a fixed order, defaults left out. */
export function formatRule(rule: ParsedRule): string {
  const until = rule.until;
  const values: Record<PartName, string | undefined> = {
    FREQ: rule.freq,
    INTERVAL: rule.interval === 1 ? undefined : String(rule.interval),
    COUNT: rule.count?.toString(),
    UNTIL:
      until &&
      compact(until.kind === 'date' ? until.date : until.kind === 'local' ? until.dateTime : until.instant),
    BYMONTH: rule.byMonth?.join(','),
    BYMONTHDAY: rule.byMonthDay?.join(','),
    BYDAY: rule.byDay?.map((day) => `${day.ordinal ?? ''}${day.weekday}`).join(','),
    BYHOUR: rule.byHour?.toString(),
    BYMINUTE: rule.byMinute?.toString(),
    BYSETPOS: rule.bySetPos?.join(','),
    WKST: rule.wkst === 'MO' ? undefined : rule.wkst,
  };
  return PART_ORDER.flatMap((name) => (values[name] === undefined ? [] : [`${name}=${values[name]}`])).join(
    ';',
  );
}

/** A local date-time of an occurrence: the day number and the minutes after midnight. */
export interface LocalSlot {
  days: number;
  minutes: number;
}

/**
 * After this many periods in a row without a date, a rule never has one again:
 * the Gregorian calendar repeats every 400 years (146097 days, 20871 weeks, 4800 months).
 */
const CYCLE: Record<Frequency, number> = { DAILY: 146_097, WEEKLY: 20_871, MONTHLY: 4800, YEARLY: 400 };
const LAST_DAY = dayNumber(MAX_YEAR, 12, 31);

/** The days of a period on which the nth weekdays of BYDAY fall: within the month, or the year unless BYMONTH. */
function ordinalDays(rule: ParsedRule, first: number, last: number): Set<number> {
  const hits = new Set<number>();
  const { year } = civilDate(first);
  const ranges: [number, number][] =
    rule.freq === 'YEARLY' && rule.byMonth
      ? rule.byMonth.map((month) => [
          dayNumber(year, month, 1),
          dayNumber(year, month, daysInMonth(year, month)),
        ])
      : [[first, last]];
  for (const [from, to] of ranges) {
    for (const { weekday, ordinal } of rule.byDay ?? []) {
      if (ordinal === undefined) continue;
      const wanted = WEEKDAYS.indexOf(weekday);
      const day =
        ordinal > 0
          ? from + ((wanted - weekdayOf(from) + 7) % 7) + (ordinal - 1) * 7
          : to - ((weekdayOf(to) - wanted + 7) % 7) + (ordinal + 1) * 7;
      if (day >= from && day <= to) hits.add(day);
    }
  }
  return hits;
}

/**
 * Every local date-time of a rule from a start, in order and lazily (a rule
 * may have no end). As in rrule.js and python-dateutil, and unlike RFC 5545,
 * which counts DTSTART as the first instance, the start is an occurrence only
 * if the rule yields it; the first period of FREQ=WEEKLY begins on the start's
 * day, which matters for BYSETPOS. Unlike them, BYDAY=1MO,FR is the union of
 * the first Monday and every Friday, as RFC 5545 reads. Without BYDAY and
 * BYMONTHDAY, the start gives the day (and the month, yearly) or the weekday.
 * A UTC UNTIL is left to the caller, which knows the time zone.
 */
export function* expandRule(rule: ParsedRule, start: LocalSlot): Generator<LocalSlot> {
  const begin = civilDate(start.days);
  const minutes =
    (rule.byHour ?? Math.floor(start.minutes / 60)) * 60 + (rule.byMinute ?? start.minutes % 60);
  let { byMonth, byMonthDay, byDay } = rule;
  if (!byDay && !byMonthDay) {
    if (rule.freq === 'YEARLY') byMonth ??= [begin.month];
    if (rule.freq === 'YEARLY' || rule.freq === 'MONTHLY') byMonthDay = [begin.day];
    if (rule.freq === 'WEEKLY') byDay = [{ weekday: WEEKDAYS[weekdayOf(start.days)] ?? 'MO' }];
  }
  const weekdays = new Set(
    byDay?.filter((d) => d.ordinal === undefined).map((d) => WEEKDAYS.indexOf(d.weekday)),
  );
  const hasOrdinals = byDay?.some((d) => d.ordinal !== undefined) ?? false;
  const until = untilBound(rule.until);
  const startKey = start.days * MINUTES_PER_DAY + start.minutes;
  const weekStart = start.days - ((weekdayOf(start.days) - WEEKDAYS.indexOf(rule.wkst) + 7) % 7);
  let left = rule.count ?? Number.POSITIVE_INFINITY;
  let emptyPeriods = 0;
  for (let period = 0; emptyPeriods <= CYCLE[rule.freq]; period++) {
    const step = period * rule.interval;
    let first: number;
    let last: number;
    if (rule.freq === 'DAILY') {
      first = last = start.days + step;
    } else if (rule.freq === 'WEEKLY') {
      first = period === 0 ? start.days : weekStart + step * 7;
      last = weekStart + step * 7 + 6;
    } else if (rule.freq === 'MONTHLY') {
      const month = begin.month - 1 + step;
      const year = begin.year + Math.floor(month / 12);
      first = dayNumber(year, (month % 12) + 1, 1);
      last = first + daysInMonth(year, (month % 12) + 1) - 1;
    } else {
      first = dayNumber(begin.year + step, 1, 1);
      last = dayNumber(begin.year + step, 12, 31);
    }
    if (first > LAST_DAY || first * MINUTES_PER_DAY > until) return;
    const nth = hasOrdinals ? ordinalDays(rule, first, last) : undefined;
    let dates: number[] = [];
    let { year, month, day } = civilDate(first);
    let length = daysInMonth(year, month);
    for (let date = first; date <= last; date++) {
      const ok =
        (!byMonth || byMonth.includes(month)) &&
        (!byMonthDay || byMonthDay.includes(day) || byMonthDay.includes(day - length - 1)) &&
        (!byDay || weekdays.has(weekdayOf(date)) || nth?.has(date) === true);
      if (ok) dates.push(date);
      if (++day > length) {
        day = 1;
        year += month === 12 ? 1 : 0;
        month = (month % 12) + 1;
        length = daysInMonth(year, month);
      }
    }
    if (rule.bySetPos) dates = selectPositions(dates, rule.bySetPos);
    emptyPeriods = dates.length === 0 ? emptyPeriods + 1 : 0;
    for (const date of dates) {
      const key = date * MINUTES_PER_DAY + minutes;
      if (key < startKey) continue;
      if (key > until || date > LAST_DAY) return;
      yield { days: date, minutes };
      if (--left === 0) return;
    }
  }
}

/** The nth dates of a period's set (from the end if negative), each once and in order. */
function selectPositions(dates: number[], positions: number[]): number[] {
  const picked = new Set<number>();
  for (const position of positions) {
    const date = dates[position > 0 ? position - 1 : dates.length + position];
    if (date !== undefined) picked.add(date);
  }
  return [...picked].sort((a, b) => a - b);
}

/** The last local date-time (in minutes since 1970) a local UNTIL allows; a date allows its whole day. */
function untilBound(until: RuleUntil | undefined): number {
  if (!until || until.kind === 'utc') return Number.POSITIVE_INFINITY;
  const text = until.kind === 'date' ? `${until.date}T23:59` : until.dateTime;
  const [y, mo, d, h, mi] = (text.match(/\d+/g) ?? []).map(Number);
  return dayNumber(y ?? 0, mo ?? 0, d ?? 0) * MINUTES_PER_DAY + (h ?? 0) * 60 + (mi ?? 0);
}

/** The instant of a UTC UNTIL in milliseconds, if the rule has one. */
export function untilInstant(rule: ParsedRule): number | undefined {
  if (rule.until?.kind !== 'utc') return undefined;
  const [y, mo, d, h, mi, s] = (rule.until.instant.match(/\d+/g) ?? []).map(Number);
  return dayNumber(y ?? 0, mo ?? 0, d ?? 0) * DAY_MS + ((h ?? 0) * 3600 + (mi ?? 0) * 60 + (s ?? 0)) * 1000;
}
