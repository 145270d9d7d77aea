import type { AgreementView } from '../agreements/agreement';
import { CHANGE_HORIZON_COUNT, CHANGE_HORIZON_DAYS, changesBetween, type PlanChanges } from './plan-changes';
import { type PlanOccurrence, seriesOf, take, walkStartFor } from './plan-series';
import type { ServicePlanRepository } from './ports';
import type { ServicePlan } from './service-plan';

const DAY_MS = 24 * 3600 * 1000;

/** The plan's occurrences due from `now` on. */
function* upcoming(plan: ServicePlan, agreement: AgreementView, now: string): Generator<PlanOccurrence> {
  for (const occurrence of seriesOf(plan, agreement, walkStartFor(now)))
    if (occurrence.at >= now) yield occurrence;
}

/** The next `count` occurrences from now, each with its work order or when it would get one. */
export async function forecastOf(
  plans: Pick<ServicePlanRepository, 'generated'>,
  plan: ServicePlan,
  agreement: AgreementView,
  now: string,
  count: number,
) {
  const next = plan.status === 'active' ? take(upcoming(plan, agreement, now), count) : [];
  const first = next[0]?.date;
  const last = next.at(-1)?.date;
  const records = first && last ? await plans.generated(plan.tenantId, plan.id, first, last) : [];
  const byDate = new Map(
    records.filter((record) => !record.withdrawnAt).map((record) => [record.date, record]),
  );
  return {
    planId: plan.id,
    occurrences: next.map((occurrence) => {
      const record = byDate.get(occurrence.date);
      return {
        date: occurrence.date,
        local: occurrence.local,
        at: occurrence.at,
        generateAt: occurrence.generateAt,
        ...(occurrence.shifted ? { shifted: true } : {}),
        state: record
          ? ('generated' as const)
          : occurrence.generateAt <= now
            ? ('due' as const)
            : ('scheduled' as const),
        ...(record ? { workOrderId: record.workOrderId, workOrderNumber: record.workOrderNumber } : {}),
      };
    }),
  };
}

/** What an edit does to the occurrences from now on that have no work order yet, over the coming two years. */
export async function changesOf(
  plans: Pick<ServicePlanRepository, 'generated'>,
  previous: ServicePlan,
  next: ServicePlan,
  agreement: AgreementView,
  now: string,
): Promise<PlanChanges> {
  const horizon = new Date(new Date(now).getTime() + CHANGE_HORIZON_DAYS * DAY_MS).toISOString();
  const within = (occurrence: PlanOccurrence) => occurrence.at <= horizon;
  const before = take(upcoming(previous, agreement, now), CHANGE_HORIZON_COUNT, within);
  const after = take(upcoming(next, agreement, now), CHANGE_HORIZON_COUNT, within);
  const dates = [...before, ...after].map((occurrence) => occurrence.date).sort();
  const first = dates[0];
  const last = dates.at(-1);
  const records = first && last ? await plans.generated(previous.tenantId, previous.id, first, last) : [];
  const generated = new Set(records.filter((record) => !record.withdrawnAt).map((record) => record.date));
  const open = (occurrence: PlanOccurrence) => !generated.has(occurrence.date);
  return changesBetween(before.filter(open), after.filter(open));
}
