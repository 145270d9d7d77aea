import type { SystemActor } from '../access/actor';
import type { TenantSettings } from '../organisation/tenant';
import type { WriteEffects } from '../shared/ports';
import type { WorkOrder } from '../work-orders/work-order';
import type { GeneratedOccurrence } from './occurrence';
import { planActor } from './plan-work-order';
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
    const taken = await deps.workOrders.withdraw(planActor(plan), workOrder, reason, {
      withdrawals: [
        {
          tenantId: plan.tenantId,
          planId: plan.id,
          date: record.date,
          workOrderId: record.workOrderId,
          at: now,
          reason,
        },
      ],
    });
    if (taken) withdrawn.push(record.date);
  }
  return withdrawn;
}
