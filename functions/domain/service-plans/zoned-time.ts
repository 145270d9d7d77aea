/**
 * Local (wall-clock) dates and times, and their conversion to UTC instants in
 * an IANA time zone. Calendar arithmetic is done on plain numbers and the zone
 * offsets are read with `Intl.DateTimeFormat`, so nothing depends on the time
 * zone of the process.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
export const MINUTES_PER_DAY = 1440;
/** Years a local date may have: time-zone data before 1900 is local mean time, and RRULE stops at 9999. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 9999;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
export function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The calendar date of a day number (the inverse of `dayNumber`). */
export function civilDate(days: number): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1,
  };
}

export const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The weekday of a day number, 0 for Monday to 6 for Sunday (1970-01-01 was a Thursday). */
export const weekdayOf = (days: number) => (((days + 3) % 7) + 7) % 7;

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** A valid date of the supported years, as a day number, or undefined. */
export function validDay(year: number, month: number, day: number): number | undefined {
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  return dayNumber(year, month, day);
}

/** The day number of a local date 'YYYY-MM-DD', or undefined if it is not one. */
export function parseLocalDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return match ? validDay(Number(match[1]), Number(match[2]), Number(match[3])) : undefined;
}

/** A local date-time 'YYYY-MM-DDTHH:mm' as its day number and minutes after midnight, or undefined. */
export function parseLocalDateTime(text: string): { days: number; minutes: number } | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const days = parseLocalDate(match[1] ?? '');
  const hour = Number(match[2]);
  const minute = Number(match[3]);
  return days === undefined || hour > 23 || minute > 59 ? undefined : { days, minutes: hour * 60 + minute };
}

export function formatLocalDate(days: number): string {
  const { year, month, day } = civilDate(days);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export function formatLocalDateTime(days: number, minutes: number): string {
  return `${formatLocalDate(days)}T${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: making one costs far more than using it. */
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    // Names differ in case only (Intl takes 'europe/berlin'), so the cache is bounded.
    if (formatters.size >= 1000) formatters.clear();
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * True for a time zone of the IANA database that Intl knows ('Europe/Berlin',
 * 'UTC'); offsets such as '+01:00' are refused, they have no daylight saving time.
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return false;
  try {
    formatterOf(name);
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/** The wall-clock time at an instant, in milliseconds as if it were UTC (whole seconds). */
function wallClockAt(epochMs: number, timeZone: string): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let seconds = 0;
  for (const part of formatterOf(timeZone).formatToParts(epochMs)) {
    const value = Number(part.value);
    if (part.type === 'year') year = value;
    else if (part.type === 'month') month = value;
    else if (part.type === 'day') day = value;
    else if (part.type === 'hour') seconds += value * 3600;
    else if (part.type === 'minute') seconds += value * 60;
    else if (part.type === 'second') seconds += value;
  }
  return dayNumber(year, month, day) * DAY_MS + seconds * 1000;
}

/** The UTC offset of the zone at an instant, in milliseconds (local = UTC + offset). */
export function offsetAt(epochMs: number, timeZone: string): number {
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  return wallClockAt(wholeSeconds, timeZone) - wholeSeconds;
}

export interface ZonedInstant {
  /** Milliseconds since 1970-01-01T00:00:00Z. */
  epochMs: number;
  /** The wall-clock time does not exist (a gap when clocks go forward); it was read with the offset before the gap. */
  shifted: boolean;
}

/**
 * The instant of a wall-clock time given in milliseconds as if it were UTC.
 * A time that occurs twice (clocks go back) is the earlier instant; a time in a
 * gap is read with the offset before the gap, which moves it forward by the
 * gap's length: RFC 5545 (3.3.5) and Temporal's `disambiguation: 'compatible'`.
 * The offsets a day before and after bound those in between, as long as a zone
 * does not change its offset twice within two days.
 */
export function instantOfWallClock(wallClockMs: number, timeZone: string): ZonedInstant {
  const before = offsetAt(wallClockMs - DAY_MS, timeZone);
  const after = offsetAt(wallClockMs + DAY_MS, timeZone);
  // The earlier candidate first: the one with the larger offset.
  const offsets = before === after ? [before] : [Math.max(before, after), Math.min(before, after)];
  for (const offset of offsets) {
    const epochMs = wallClockMs - offset;
    if (offsetAt(epochMs, timeZone) === offset) return { epochMs, shifted: false };
  }
  return { epochMs: wallClockMs - before, shifted: true };
}

/** The instant of a local date-time 'YYYY-MM-DDTHH:mm' in a time zone; throws a RangeError for either not valid. */
export function localToInstant(local: string, timeZone: string): ZonedInstant {
  const parsed = parseLocalDateTime(local);
  if (!parsed) throw new RangeError(`Not a local date-time YYYY-MM-DDTHH:mm: ${local}`);
  if (!isTimeZone(timeZone)) throw new RangeError(`Not an IANA time zone: ${timeZone}`);
  return instantOfWallClock(parsed.days * DAY_MS + parsed.minutes * MINUTE_MS, timeZone);
}
