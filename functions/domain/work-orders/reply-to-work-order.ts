import type { Actor } from '../access/actor';
import { authorize } from '../access/permissions';
import { ConflictError } from '../shared/errors';
import type { WriteEffects } from '../shared/ports';
import { assertTransition, type WorkOrder } from './work-order';
import type { WorkOrderContext } from './work-order-context';

/*
 * What a customer's reply does to the work order of its thread, done by the
 * mailbox that received it. The mailbox reaches the work order by the thread
 * (a key it was handed), so its permission is the whole check.
 */

export interface Reply {
  /** What the customer wrote this time (quoted history stripped). */
  text: string;
  /** Kept on the timeline entry: the inbound mail, its sender. */
  data: Record<string, unknown>;
}

/** The reply as a comment on the timeline, with `effects` in the same transaction. */
export async function appendReply(
  ctx: WorkOrderContext,
  actor: Actor,
  workOrder: WorkOrder,
  reply: Reply,
  effects: WriteEffects,
): Promise<void> {
  authorize(actor, 'work-order:comment');
  if (workOrder.lifecycle === 'obsolete')
    throw new ConflictError(`Work order ${workOrder.number} is obsolete`, { reason: 'obsolete' });
  const record = ctx.record(workOrder.id, 'comment', actor, reply);
  await ctx.workOrders.appendRecords(workOrder, [record], effects);
}

/** A closed work order back in progress, with the reply that reopened it. */
export async function reopenWithReply(
  ctx: WorkOrderContext,
  actor: Actor,
  workOrder: WorkOrder,
  reply: Reply,
  effects: WriteEffects,
): Promise<WorkOrder> {
  authorize(actor, 'work-order:reopen');
  assertTransition(workOrder, 'in-progress');
  const next: WorkOrder = {
    ...workOrder,
    status: 'in-progress',
    version: workOrder.version + 1,
    updatedAt: ctx.now(),
  };
  delete next.resolvedAt;
  delete next.closedAt;
  const detail = { from: workOrder.status, to: next.status };
  const records = [
    ctx.record(workOrder.id, 'status-changed', actor, { data: { ...detail, reason: 'reply' } }),
    ctx.record(workOrder.id, 'comment', actor, reply),
  ];
  await ctx.workOrders.update(workOrder, next, records, {
    ...effects,
    events: [ctx.event('WorkOrderStatusChanged', next, actor, detail), ...(effects.events ?? [])],
  });
  return next;
}
