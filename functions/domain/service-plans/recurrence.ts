/**
 * When a service plan's visits fall: an RFC 5545 rule expanded as local
 * (floating) dates and times in the plan's IANA time zone, each then made a
 * UTC instant with Intl, so a 09:00 visit stays at 09:00 across daylight saving
 * time and nothing depends on the time zone of the process.
 */
import { expandRule, parseRule, RecurrenceError, untilInstant } from './rrule';
import {
  DAY_MS,
  formatLocalDate,
  formatLocalDateTime,
  instantOfWallClock,
  isTimeZone,
  MINUTE_MS,
  parseLocalDate,
  parseLocalDateTime,
} from './zoned-time';

export type { ByDay, Frequency, ParsedRule, RuleUntil, Weekday } from './rrule';
export { formatRule, parseRule, RecurrenceError } from './rrule';
export { isTimeZone, localToInstant, type ZonedInstant } from './zoned-time';

/** A plan's recurrence as stored and as given in the API. */
export interface Recurrence {
  /** The rule, e.g. 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1'. */
  rrule: string;
  /** IANA, e.g. 'Europe/Berlin'. */
  timeZone: string;
  /** The local date-time 'YYYY-MM-DDTHH:mm' the rule starts from (DTSTART, floating in the time zone). */
  start: string;
  /** A local date 'YYYY-MM-DD': no occurrence after this day, besides UNTIL or COUNT of the rule. */
  until?: string;
  /** Local dates 'YYYY-MM-DD' without a visit; an occurrence on one still counts for COUNT, as RFC 5545's EXDATE. */
  exdates?: string[];
}

export interface Occurrence {
  /** The local date 'YYYY-MM-DD': a plan has at most one occurrence a day, so it is the occurrence's key. */
  date: string;
  /** The local date-time 'YYYY-MM-DDTHH:mm' as the rule gives it. */
  local: string;
  /** The UTC instant, e.g. '2027-03-28T01:30:00.000Z'. */
  at: string;
  /** The local time did not exist (clocks went forward): the visit is moved forward by the gap, not dropped. */
  shifted?: true;
}

export const MAX_EXDATES = 366;

function localDayOf(field: string, text: string): number {
  const days = parseLocalDate(text);
  if (days === undefined)
    throw new RecurrenceError(`${field} must be a local date YYYY-MM-DD (got '${text}')`);
  return days;
}

/**
 * Every occurrence in order, lazily (a rule may have no end). `after`, a
 * local date, skips the occurrences on or before it without converting them to
 * instants. Throws a RecurrenceError for a recurrence that is not valid.
 */
export function* occurrences(
  recurrence: Recurrence,
  options: { after?: string } = {},
): Generator<Occurrence> {
  const rule = parseRule(recurrence.rrule);
  const { timeZone } = recurrence;
  if (!isTimeZone(timeZone)) throw new RecurrenceError(`Not an IANA time zone: '${timeZone}'`);
  const start = parseLocalDateTime(recurrence.start);
  if (!start)
    throw new RecurrenceError(`start must be a local date-time YYYY-MM-DDTHH:mm (got '${recurrence.start}')`);
  const lastDay =
    recurrence.until === undefined ? Number.POSITIVE_INFINITY : localDayOf('until', recurrence.until);
  const after = options.after === undefined ? Number.NEGATIVE_INFINITY : localDayOf('after', options.after);
  const excluded = new Set((recurrence.exdates ?? []).map((date) => localDayOf('exdates', date)));
  const lastInstant = untilInstant(rule) ?? Number.POSITIVE_INFINITY;
  for (const slot of expandRule(rule, start)) {
    if (slot.days > lastDay) return;
    // Instants grow with local times (a time in a gap reads as the one after it), so a skipped
    // occurrence past a UTC UNTIL is followed by nothing but more of them.
    if (slot.days <= after || excluded.has(slot.days)) continue;
    const { epochMs, shifted } = instantOfWallClock(slot.days * DAY_MS + slot.minutes * MINUTE_MS, timeZone);
    if (epochMs > lastInstant) return;
    const occurrence: Occurrence = {
      date: formatLocalDate(slot.days),
      local: formatLocalDateTime(slot.days, slot.minutes),
      at: new Date(epochMs).toISOString(),
    };
    if (shifted) occurrence.shifted = true;
    yield occurrence;
  }
}
