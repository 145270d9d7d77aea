import type { SystemActor } from '../access/actor';
import type { TenantSettings } from '../organisation/tenant';
import { ConflictError, TransactionConflictError } from '../shared/errors';
import type { WriteEffects } from '../shared/ports';
import type { WorkOrder } from '../work-orders/work-order';
import type { GeneratedOccurrence } from './occurrence';
import { walkStartFor } from './plan-series';
import { planActor } from './plan-work-order';
import type { ServicePlanRepository } from './ports';
import type { ServicePlan } from './service-plan';

/** What taking back a plan's unstarted work orders needs: its work orders, and the tenant's choice. */
export interface Withdrawals {
  settings(tenantId: string): Promise<TenantSettings['servicePlans']>;
  workOrders: {
    get(tenantId: string, id: string): Promise<WorkOrder | undefined>;
    /** `withdrawGeneratedWorkOrder` over the work-order context: undefined when it was started meanwhile. */
    withdraw(
      actor: SystemActor,
      workOrder: WorkOrder,
      reason: string,
      effects: WriteEffects,
    ): Promise<WorkOrder | undefined>;
  };
}

/**
 * Cancels the work orders of these occurrences that nobody has started, each
 * with its occurrence record marked withdrawn in the same transaction (so the
 * day may be generated again); started ones are left alone. Answers the
 * local dates whose work orders were taken back.
 */
export async function withdrawUnstarted(
  deps: Withdrawals,
  plan: ServicePlan,
  records: readonly GeneratedOccurrence[],
  reason: string,
  now: string,
): Promise<string[]> {
  const withdrawn: string[] = [];
  for (const record of records) {
    if (record.withdrawnAt) continue;
    const workOrder = await deps.workOrders.get(plan.tenantId, record.workOrderId);
    if (!workOrder) continue;
    const withdrawal = {
      tenantId: plan.tenantId,
      planId: plan.id,
      date: record.date,
      workOrderId: record.workOrderId,
      at: now,
      reason,
    };
    try {
      const taken = await deps.workOrders.withdraw(planActor(plan), workOrder, reason, {
        withdrawals: [withdrawal],
      });
      if (taken) withdrawn.push(record.date);
    } catch (error) {
      // Someone started it (or another run took it back) since it was read: it stays as it is.
      if (!(error instanceof ConflictError) || error instanceof TransactionConflictError) throw error;
    }
  }
  return withdrawn;
}

/**
 * When the tenant regenerates unstarted work orders and the plan's revision
 * moved on: the work orders of occurrences still ahead, made from an older
 * revision, that nobody has started are taken back, so the walk makes them
 * anew from the plan as it is (or drops them, if the new series has not).
 * Answers their local dates, earliest first.
 */
export async function withdrawStale(
  deps: Withdrawals,
  plans: Pick<ServicePlanRepository, 'generated'>,
  plan: ServicePlan,
  now: string,
): Promise<string[]> {
  const revision = plan.revision ?? 1;
  if (revision <= 1) return [];
  if (!(await deps.settings(plan.tenantId))?.regenerateUnstarted) return [];
  const records = await plans.generated(plan.tenantId, plan.id, walkStartFor(now), '9999-12-31');
  const stale = records.filter((r) => !r.withdrawnAt && r.at > now && (r.revision ?? 1) < revision);
  if (stale.length === 0) return [];
  return withdrawUnstarted(deps, plan, stale, `Service plan ${plan.name} changed`, now);
}
