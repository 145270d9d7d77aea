import type { Agreement } from '../agreements/agreement';
import { generateAtOf } from './occurrence';
import { type Occurrence, occurrences } from './recurrence';
import type { ServicePlan } from './service-plan';

/** An occurrence of a plan's series, with when its work order is due to be created. */
export interface PlanOccurrence extends Occurrence {
  generateAt: string;
}

/** The last local day a plan's series may reach: its own end, never past the agreement's. */
export function lastDayOf(
  plan: Pick<ServicePlan, 'recurrence'>,
  agreement: Pick<Agreement, 'endDate'>,
): string {
  const { until } = plan.recurrence;
  return until && until < agreement.endDate ? until : agreement.endDate;
}

/**
 * The plan's occurrences in order, from after the local date `after` (all
 * when absent), up to the last day it may reach; those before `seriesFrom`
 * (an edit's moment) are passed over.
 */
export function* seriesOf(
  plan: Pick<ServicePlan, 'recurrence' | 'leadDays' | 'seriesFrom'>,
  agreement: Pick<Agreement, 'endDate'>,
  after?: string,
): Generator<PlanOccurrence> {
  const last = lastDayOf(plan, agreement);
  for (const occurrence of occurrences(plan.recurrence, after ? { after } : {})) {
    if (occurrence.date > last) return;
    if (plan.seriesFrom && occurrence.at < plan.seriesFrom) continue;
    yield { ...occurrence, generateAt: generateAtOf(occurrence, plan.leadDays) };
  }
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Where a walk starts that must reach every occurrence from `instant` on:
 * local dates run up to a day behind (or ahead of) UTC, so it starts from the
 * UTC date two days before, and the walker keeps what lies ahead by its instant.
 */
export const walkStartFor = (instant: string): string =>
  new Date(new Date(instant).getTime() - 2 * DAY_MS).toISOString().slice(0, 10);

/** At most `count` items of a sequence, taken while `keep` holds. */
export function take<T>(items: Iterable<T>, count: number, keep: (item: T) => boolean = () => true): T[] {
  const taken: T[] = [];
  if (count <= 0) return taken;
  for (const item of items) {
    if (!keep(item)) break;
    taken.push(item);
    if (taken.length >= count) break;
  }
  return taken;
}
