import type { Principal } from '../access/principal';
import { ConflictError, NotFoundError, VersionConflictError } from '../shared/errors';
import { assertCanHandle, canRead } from './access';
import type { WorkOrderEventType } from './events';
import type { RecordKind } from './service-record';
import { assertHandleable, type WorkOrder } from './work-order';
import type { WorkOrderContext } from './work-order-context';

/** What one handling step decides: the next state, its timeline entry and its events. */
export interface Change {
  next: WorkOrder;
  kind: RecordKind;
  text?: string | undefined;
  data?: Record<string, unknown>;
  events?: WorkOrderEventType[];
  eventDetail?: Record<string, unknown>;
}

/**
 * Read, check who may, check the version, then apply one change with its
 * record and events. Every handling use case goes through here.
 */
export async function changeWorkOrder(
  ctx: WorkOrderContext,
  principal: Principal,
  id: string,
  expectedVersion: number | undefined,
  decide: (workOrder: WorkOrder) => Promise<Change>,
  options: { allowLocked?: boolean } = {},
): Promise<WorkOrder> {
  const viewer = ctx.viewer(principal);
  const workOrder = await ctx.workOrders.get(principal.tenantId, id);
  if (!workOrder || !(await canRead(workOrder, viewer))) throw new NotFoundError('WorkOrder', id);
  await assertCanHandle(workOrder, viewer);
  if (options.allowLocked) {
    if (workOrder.lifecycle === 'obsolete')
      throw new ConflictError(`Work order ${workOrder.number} is obsolete`, { reason: 'obsolete' });
  } else {
    assertHandleable(workOrder);
  }
  if (expectedVersion !== undefined && workOrder.version !== expectedVersion) {
    throw new VersionConflictError('WorkOrder', id, expectedVersion);
  }
  return applyChange(ctx, principal, workOrder, await decide(workOrder));
}

/** Writes the change on top of `workOrder`; the repository refuses it if the stored version moved on. */
export async function applyChange(
  ctx: WorkOrderContext,
  principal: Principal,
  workOrder: WorkOrder,
  change: Change,
): Promise<WorkOrder> {
  const next: WorkOrder = { ...change.next, version: workOrder.version + 1, updatedAt: ctx.now() };
  const record = ctx.record(workOrder.id, change.kind, principal, { text: change.text, data: change.data });
  const events = (change.events ?? []).map((type) => ctx.event(type, next, principal, change.eventDetail));
  await ctx.workOrders.update(workOrder, next, [record], { events });
  return next;
}
