import { type Actor, isSystemActor } from '../access/actor';
import { authorize } from '../access/permissions';
import { ConflictError, NotFoundError } from '../shared/errors';
import type { Claim } from '../shared/ports';
import { getWorkOrder } from './find-work-orders';
import type { ServiceRecord } from './service-record';
import type { WorkOrder } from './work-order';
import type { WorkOrderContext } from './work-order-context';

/**
 * A system actor reaches a work order by a key it was handed (the thread a
 * reply belongs to), not by browsing, so it needs no viewer relation: its
 * permission is the whole check.
 */
async function commentable(ctx: WorkOrderContext, actor: Actor, id: string): Promise<WorkOrder> {
  if (!isSystemActor(actor)) return getWorkOrder(ctx, actor, id);
  authorize(actor, 'work-order:comment');
  const workOrder = await ctx.workOrders.get(actor.tenantId, id);
  if (!workOrder) throw new NotFoundError('WorkOrder', id);
  return workOrder;
}

/** A comment on the timeline; `claims` are taken in the same transaction (a reply's Message-ID). */
export async function commentOn(
  ctx: WorkOrderContext,
  actor: Actor,
  id: string,
  text: string,
  claims: readonly Claim[] = [],
): Promise<ServiceRecord> {
  const workOrder = await commentable(ctx, actor, id);
  if (workOrder.lifecycle === 'obsolete')
    throw new ConflictError(`Work order ${workOrder.number} is obsolete`, { reason: 'obsolete' });
  const record = ctx.record(id, 'comment', actor, { text });
  await ctx.workOrders.appendRecords(workOrder, [record], { claims });
  return record;
}
