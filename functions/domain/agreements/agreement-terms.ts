/*
 * What an agreement covers, as code that only reads agreements needs it:
 * apart from the agreement's schemas (and typed by the fields it reads), so it carries none of them.
 */

/** A counted line is one whose redemptions are counted in a ledger. */
export const isCounted = (line: { recordType: string }) => line.recordType !== 'recurring-service';

/** The calendar date of an instant in UTC (the day an agreement covers). */
export const dateOf = (instant: Date) => instant.toISOString().slice(0, 10);

/** Whether the agreement covers work done on that day. */
export const coversDay = <A extends { status: string; startDate: string; endDate: string }>(
  agreement: A,
  day: string,
) => agreement.status === 'active' && agreement.startDate <= day && day <= agreement.endDate;
