import { authorize } from '../access/permissions';
import type { Principal } from '../access/principal';
import { type Page, type PageRequest, pageRequest } from '../shared/entity';
import { NotFoundError } from '../shared/errors';
import { canRead } from './access';
import type { WorkOrderSummary } from './ports';
import { type Scene, viewsOfScene } from './scenes';
import type { ServiceRecord } from './service-record';
import type { WorkOrder } from './work-order';
import type { WorkOrderContext } from './work-order-context';

export interface SceneRequest {
  scene: Scene;
  sort?: 'created' | 'updated';
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

/** A work order the user may read; any other does not exist for them (404). */
export async function getWorkOrder(
  ctx: WorkOrderContext,
  principal: Principal,
  id: string,
): Promise<WorkOrder> {
  const workOrder = await ctx.workOrders.get(principal.tenantId, id);
  if (!workOrder || !(await canRead(workOrder, ctx.viewer(principal))))
    throw new NotFoundError('WorkOrder', id);
  return workOrder;
}

export async function getWorkOrderByNumber(
  ctx: WorkOrderContext,
  principal: Principal,
  number: string,
): Promise<WorkOrder> {
  const workOrder = await ctx.workOrders.findByNumber(principal.tenantId, number);
  if (!workOrder || !(await canRead(workOrder, ctx.viewer(principal))))
    throw new NotFoundError('WorkOrder', number);
  return workOrder;
}

export async function sceneOf(
  ctx: WorkOrderContext,
  principal: Principal,
  request: SceneRequest,
): Promise<Page<WorkOrderSummary>> {
  const views = await viewsOfScene(request.scene, ctx.viewer(principal));
  if (views.length === 0) return { items: [] };
  const { items, nextCursor } = await ctx.workOrders.scene(principal.tenantId, {
    views,
    sort: request.sort ?? 'created',
    order: request.order ?? 'desc',
    ...pageRequest(request),
  });
  return { items, ...(nextCursor ? { nextCursor } : {}) };
}

/** The last work orders of an account, for its summary; any role that reads customers sees them. */
export async function accountHistory(
  ctx: WorkOrderContext,
  principal: Principal,
  accountId: string,
  limit: number,
): Promise<WorkOrderSummary[]> {
  authorize(principal, 'customer:read');
  const { items } = await ctx.workOrders.scene(principal.tenantId, {
    views: [{ kind: 'account', accountId }],
    sort: 'created',
    order: 'desc',
    limit,
  });
  return items;
}

export async function recordsOf(
  ctx: WorkOrderContext,
  principal: Principal,
  id: string,
  page: Partial<PageRequest>,
): Promise<Page<ServiceRecord>> {
  await getWorkOrder(ctx, principal, id);
  return ctx.workOrders.records(principal.tenantId, id, pageRequest(page));
}
