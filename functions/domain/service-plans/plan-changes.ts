import type { PlanOccurrence } from './plan-series';

/** How far ahead an edit's difference is shown. */
export const CHANGE_HORIZON_DAYS = 2 * 366;
/** Most occurrences of each series an edit's difference compares. */
export const CHANGE_HORIZON_COUNT = 500;

/** An occurrence as an edit's answer names it. */
export interface OccurrenceSummary {
  date: string;
  local: string;
  at: string;
}

/** What an edit does to the occurrences not generated yet. */
export interface PlanChanges {
  added: OccurrenceSummary[];
  removed: OccurrenceSummary[];
  moved: { from: OccurrenceSummary; to: OccurrenceSummary }[];
}

const summary = ({ date, local, at }: PlanOccurrence): OccurrenceSummary => ({ date, local, at });

/**
 * The difference between two series of not-yet-generated occurrences: those
 * at the same local date and time are unchanged; of the rest, the n-th one
 * that left is paired with the n-th one that came as a move, and whatever is
 * left over was added or removed.
 */
export function changesBetween(
  before: readonly PlanOccurrence[],
  after: readonly PlanOccurrence[],
): PlanChanges {
  const beforeKeys = new Set(before.map((occurrence) => occurrence.local));
  const afterKeys = new Set(after.map((occurrence) => occurrence.local));
  const left = before.filter((occurrence) => !afterKeys.has(occurrence.local));
  const came = after.filter((occurrence) => !beforeKeys.has(occurrence.local));
  const pairs = Math.min(left.length, came.length);
  return {
    moved: left.slice(0, pairs).map((from, index) => ({
      from: summary(from),
      to: summary(came[index] as PlanOccurrence),
    })),
    removed: left.slice(pairs).map(summary),
    added: came.slice(pairs).map(summary),
  };
}
