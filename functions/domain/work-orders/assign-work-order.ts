import type { Principal } from '../access/principal';
import type { User } from '../organisation/user';
import { mapConcurrently } from '../shared/concurrency';
import { ConflictError, ForbiddenError, VersionConflictError } from '../shared/errors';
import { assertCanHandle, canRead, type WorkOrderViewer } from './access';
import { applyChange, type Change, changeWorkOrder } from './change-work-order';
import type { WorkOrder } from './work-order';
import type { WorkOrderContext } from './work-order-context';

export const MAX_BATCH_ASSIGN = 100;
const BATCH_CONCURRENCY = 10;

export type BatchOutcome =
  | 'assigned'
  | 'unchanged'
  | 'forbidden'
  | 'not-found'
  | 'locked'
  | 'obsolete'
  | 'conflict';

export interface BatchResult {
  id: string;
  outcome: BatchOutcome;
  number?: string;
}

class AlreadyInChargeError extends ConflictError {
  constructor(ownerId: string, number: string) {
    super(`${ownerId} is already in charge of ${number}`);
  }
}

function assignment(workOrder: WorkOrder, owner: User): Change {
  if (workOrder.ownerId === owner.id) throw new AlreadyInChargeError(owner.id, workOrder.number);
  const next: WorkOrder = { ...workOrder, ownerId: owner.id };
  if (owner.mainDepartmentId) next.ownerDepartmentId = owner.mainDepartmentId;
  else delete next.ownerDepartmentId;
  return {
    next,
    kind: 'assigned',
    data: { from: workOrder.ownerId ?? null, to: owner.id },
    events: ['WorkOrderAssigned'],
    eventDetail: { ...(workOrder.ownerId ? { previousOwnerId: workOrder.ownerId } : {}), ownerId: owner.id },
  };
}

/** Puts an active user in charge. */
export async function assignWorkOrder(
  ctx: WorkOrderContext,
  principal: Principal,
  id: string,
  ownerId: string,
  expectedVersion?: number,
): Promise<WorkOrder> {
  const owner = await ctx.ownerOf(principal.tenantId, ownerId);
  return changeWorkOrder(ctx, principal, id, expectedVersion, async (workOrder) =>
    assignment(workOrder, owner),
  );
}

/** Up to 100 work orders to one person in charge; each is its own transaction and gets its own answer. */
export async function assignBatch(
  ctx: WorkOrderContext,
  principal: Principal,
  ids: string[],
  ownerId: string,
): Promise<BatchResult[]> {
  const owner = await ctx.ownerOf(principal.tenantId, ownerId);
  const viewer = ctx.viewer(principal);
  // A batch checks many work orders: load the viewer's team below once instead of walking up per order.
  await viewer.subordinates();
  const unique = [...new Set(ids)];
  const found = await ctx.workOrders.getMany(principal.tenantId, unique);
  return mapConcurrently(unique, BATCH_CONCURRENCY, (id) =>
    assignOne(ctx, principal, viewer, id, found.get(id), owner),
  );
}

async function assignOne(
  ctx: WorkOrderContext,
  principal: Principal,
  viewer: WorkOrderViewer,
  id: string,
  workOrder: WorkOrder | undefined,
  owner: User,
): Promise<BatchResult> {
  if (!workOrder || !(await canRead(workOrder, viewer))) return { id, outcome: 'not-found' };
  const answer = (outcome: BatchOutcome) => ({ id, outcome, number: workOrder.number });
  if (workOrder.lifecycle === 'obsolete') return answer('obsolete');
  if (workOrder.locked) return answer('locked');
  try {
    await assertCanHandle(workOrder, viewer);
    await applyChange(ctx, principal, workOrder, assignment(workOrder, owner));
    return answer('assigned');
  } catch (error) {
    if (error instanceof ForbiddenError) return answer('forbidden');
    if (error instanceof AlreadyInChargeError) return answer('unchanged');
    if (error instanceof VersionConflictError) return answer('conflict');
    throw error;
  }
}
