import type { SystemActor } from '../access/actor';
import { authorize } from '../access/permissions';
import type { WriteEffects } from '../shared/ports';
import type { WorkOrder } from './work-order';
import type { WorkOrderContext } from './work-order-context';

/**
 * A generated work order its plan takes back: only its own plan's, only while
 * nobody has started it (`new`, unlocked), cancelled with the reason on its
 * timeline, with `effects` in the same transaction. Anything else is left as
 * it is (undefined): work that has begun is never taken from anyone; one
 * started since it was read fails the write (VersionConflictError).
 */
export async function withdrawGeneratedWorkOrder(
  ctx: WorkOrderContext,
  actor: SystemActor,
  workOrder: WorkOrder,
  reason: string,
  effects: WriteEffects = {},
): Promise<WorkOrder | undefined> {
  authorize(actor, 'work-order:withdraw');
  if (workOrder.servicePlan?.planId !== actor.id || workOrder.status !== 'new' || workOrder.locked)
    return undefined;
  const next: WorkOrder = {
    ...workOrder,
    status: 'cancelled',
    version: workOrder.version + 1,
    updatedAt: ctx.now(),
  };
  const record = ctx.record(workOrder.id, 'status-changed', actor, {
    text: reason,
    data: { from: workOrder.status, to: 'cancelled' },
  });
  const event = ctx.event('WorkOrderStatusChanged', next, actor, { from: workOrder.status, to: 'cancelled' });
  await ctx.workOrders.update(workOrder, next, [record], {
    ...effects,
    events: [event, ...(effects.events ?? [])],
  });
  return next;
}
