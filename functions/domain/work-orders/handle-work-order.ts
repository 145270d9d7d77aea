import { hasRole, type Principal } from '../access/principal';
import { ConflictError, ForbiddenError, NotFoundError, VersionConflictError } from '../shared/errors';
import { changeWorkOrder } from './change-work-order';
import { getWorkOrder } from './find-work-orders';
import {
  assertTransition,
  type BusinessStatus,
  MAX_TEAM_SIZE,
  type TeamAccess,
  type UpdateWorkOrderInput,
  type WorkOrder,
} from './work-order';
import type { WorkOrderContext } from './work-order-context';

const EDITABLE = [
  'title',
  'description',
  'typeId',
  'priority',
  'accountId',
  'contactId',
  'deviceId',
  'address',
] as const;

/** Edits the fields sent; `null` clears one. References are checked as on create. */
export function updateWorkOrder(
  ctx: WorkOrderContext,
  principal: Principal,
  id: string,
  input: UpdateWorkOrderInput,
): Promise<WorkOrder> {
  return changeWorkOrder(ctx, principal, id, input.version, async (workOrder) => {
    const { tenantId } = principal;
    const next: WorkOrder = { ...workOrder };
    const changed: string[] = [];
    for (const field of EDITABLE) {
      const value = input[field];
      if (value === undefined) continue;
      changed.push(field);
      if (value === null) delete next[field];
      else (next as unknown as Record<string, unknown>)[field] = value;
    }
    if (input.accountId !== undefined || input.contactId !== undefined) {
      // The customer is checked as a whole: a new account must still fit the contact kept, and a
      // contact without an account brings its account, as on create.
      const customer = await ctx.customerOf(tenantId, {
        accountId: next.accountId,
        contactId: next.contactId,
      });
      if (customer.accountId && next.accountId !== customer.accountId) {
        next.accountId = customer.accountId;
        if (!changed.includes('accountId')) changed.push('accountId');
      }
    }
    if (input.deviceId)
      await ctx.reference('deviceId', 'device', input.deviceId, ctx.lookups.devices, tenantId);
    if (input.typeId)
      await ctx.reference('typeId', 'work order type', input.typeId, ctx.lookups.types, tenantId);
    return { next, kind: 'edited', data: { fields: changed }, events: ['WorkOrderUpdated'] };
  });
}

/** Moves the business status along the status machine. */
export function changeStatus(
  ctx: WorkOrderContext,
  principal: Principal,
  id: string,
  to: BusinessStatus,
  expectedVersion: number,
  comment?: string,
): Promise<WorkOrder> {
  return changeWorkOrder(ctx, principal, id, expectedVersion, async (workOrder) => {
    assertTransition(workOrder, to);
    const now = ctx.now();
    const next: WorkOrder = { ...workOrder, status: to };
    if (to === 'resolved') next.resolvedAt = now;
    if (to === 'closed') next.closedAt = now;
    if (to === 'in-progress') {
      delete next.resolvedAt;
      delete next.closedAt;
    }
    return {
      next,
      kind: 'status-changed',
      data: { from: workOrder.status, to },
      text: comment,
      events: ['WorkOrderStatusChanged'],
      eventDetail: { from: workOrder.status, to },
    };
  });
}

export function addTeamMember(
  ctx: WorkOrderContext,
  principal: Principal,
  id: string,
  member: { userId: string; access: TeamAccess },
  expectedVersion: number,
): Promise<WorkOrder> {
  return changeWorkOrder(ctx, principal, id, expectedVersion, async (workOrder) => {
    const [joined] = await ctx.teamOf(principal.tenantId, [member]);
    const others = workOrder.team.filter((m) => m.userId !== member.userId);
    if (others.length >= MAX_TEAM_SIZE)
      throw new ConflictError(`A team has at most ${MAX_TEAM_SIZE} members`);
    return {
      next: { ...workOrder, team: [...others, joined as NonNullable<typeof joined>] },
      kind: 'team-changed',
      data: { added: member.userId, access: member.access },
    };
  });
}

export function removeTeamMember(
  ctx: WorkOrderContext,
  principal: Principal,
  id: string,
  userId: string,
  expectedVersion: number,
): Promise<WorkOrder> {
  return changeWorkOrder(ctx, principal, id, expectedVersion, async (workOrder) => {
    if (!workOrder.team.some((m) => m.userId === userId)) throw new NotFoundError('TeamMember', userId);
    return {
      next: { ...workOrder, team: workOrder.team.filter((m) => m.userId !== userId) },
      kind: 'team-changed',
      data: { removed: userId },
    };
  });
}

export function setLocked(
  ctx: WorkOrderContext,
  principal: Principal,
  id: string,
  locked: boolean,
  expectedVersion: number,
): Promise<WorkOrder> {
  if (!hasRole(principal, 'crm-admin', 'service-manager')) {
    throw new ForbiddenError('Locking and unlocking work orders needs the service-manager or crm-admin role');
  }
  return changeWorkOrder(
    ctx,
    principal,
    id,
    expectedVersion,
    async (workOrder) => {
      if (workOrder.locked === locked)
        throw new ConflictError(
          `Work order ${workOrder.number} is already ${locked ? 'locked' : 'unlocked'}`,
        );
      return { next: { ...workOrder, locked }, kind: locked ? 'locked' : 'unlocked' };
    },
    { allowLocked: true },
  );
}

export function voidWorkOrder(
  ctx: WorkOrderContext,
  principal: Principal,
  id: string,
  expectedVersion: number,
  reason?: string,
): Promise<WorkOrder> {
  return changeWorkOrder(ctx, principal, id, expectedVersion, async (workOrder) => ({
    next: { ...workOrder, lifecycle: 'obsolete' },
    kind: 'voided',
    text: reason,
    events: ['WorkOrderUpdated'],
  }));
}

export async function deleteWorkOrder(
  ctx: WorkOrderContext,
  principal: Principal,
  id: string,
  expectedVersion: number,
): Promise<void> {
  if (!hasRole(principal, 'crm-admin'))
    throw new ForbiddenError('Deleting work orders needs the crm-admin role');
  const workOrder = await getWorkOrder(ctx, principal, id);
  if (workOrder.version !== expectedVersion) throw new VersionConflictError('WorkOrder', id, expectedVersion);
  await ctx.workOrders.delete(workOrder, { events: [ctx.event('WorkOrderDeleted', workOrder, principal)] });
}
