import { authorize } from '../access/permissions';
import type { Principal } from '../access/principal';
import { MAX_PAGE_SIZE, type Page, type PageRequest, pageRequest } from '../shared/entity';
import { NotFoundError } from '../shared/errors';
import { canRead, type WorkOrderViewer } from './access';
import type { WorkOrderScenes, WorkOrderSummary } from './ports';
import { FILED_SCENES, filedViewsOfScene, liveViewsOfScene, type Scene } from './scenes';
import type { ServiceRecord } from './service-record';
import { type OrganisationDirectory, viewerFor } from './viewer';
import type { WorkOrder } from './work-order';
import type { WorkOrderContext } from './work-order-context';

/**
 * Reading one work order as a person may, and who they are to it: all that
 * printing, forwarding and reminders need of the work orders.
 */
export interface WorkOrderReader {
  get(principal: Principal, id: string): Promise<WorkOrder>;
  viewer(principal: Principal): WorkOrderViewer;
}

export const workOrderReader = (ctx: WorkOrderContext): WorkOrderReader =>
  workOrderReaderOver(ctx.workOrders, ctx.directory);

/**
 * The same reading from a store that only reads, for functions that read
 * work orders beside their own data and never write them (service products,
 * confirmations): they carry none of the work orders' write paths.
 */
export function workOrderReaderOver(
  workOrders: { get(tenantId: string, id: string): Promise<WorkOrder | undefined> },
  directory: OrganisationDirectory,
): WorkOrderReader {
  const viewer = (principal: Principal) => viewerFor(principal, directory);
  return {
    viewer,
    get: async (principal, id) => {
      const workOrder = await workOrders.get(principal.tenantId, id);
      if (!workOrder || !(await canRead(workOrder, viewer(principal))))
        throw new NotFoundError('WorkOrder', id);
      return workOrder;
    },
  };
}

export interface SceneRequest {
  scene: Scene;
  sort?: 'created' | 'updated';
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

/** The work order if the user may read it; any other does not exist for them (404 naming what was asked). */
async function readable(
  ctx: WorkOrderContext,
  principal: Principal,
  workOrder: WorkOrder | undefined,
  asked: string,
): Promise<WorkOrder> {
  if (!workOrder || !(await canRead(workOrder, ctx.viewer(principal))))
    throw new NotFoundError('WorkOrder', asked);
  return workOrder;
}

export async function getWorkOrder(
  ctx: WorkOrderContext,
  principal: Principal,
  id: string,
): Promise<WorkOrder> {
  return readable(ctx, principal, await ctx.workOrders.get(principal.tenantId, id), id);
}

export async function getWorkOrderByNumber(
  ctx: WorkOrderContext,
  principal: Principal,
  number: string,
): Promise<WorkOrder> {
  return readable(ctx, principal, await ctx.workOrders.findByNumber(principal.tenantId, number), number);
}

export async function sceneOf(
  ctx: WorkOrderContext,
  scenes: WorkOrderScenes,
  principal: Principal,
  request: SceneRequest,
): Promise<Page<WorkOrderSummary>> {
  const viewer = ctx.viewer(principal);
  // A hierarchy scene is one filed list, unless a re-filing after an organisation change holds it.
  const filed = FILED_SCENES.has(request.scene) && !viewer.isAdmin && !(await viewer.filedScenesHeld());
  const views = filed
    ? await filedViewsOfScene(request.scene, viewer)
    : await liveViewsOfScene(request.scene, viewer);
  if (views.length === 0) return { items: [] };
  const { items, nextCursor } = await scenes.scene(principal.tenantId, {
    views,
    binding: `scene:${request.scene}:${principal.userId}`,
    sort: request.sort ?? 'created',
    order: request.order ?? 'desc',
    ...pageRequest(request),
  });
  return { items, ...(nextCursor ? { nextCursor } : {}) };
}

/** How many pages of an account's work orders its summary reads at most to find those the viewer may read. */
const ACCOUNT_HISTORY_PAGES = 3;

/**
 * The account's latest work orders that this person may read, for its
 * summary (any role that reads customers sees the summary, not every order).
 * Reads a bounded number of pages, so a long list of hidden orders cannot
 * make the summary slow; it then shows fewer.
 */
export async function accountHistory(
  ctx: WorkOrderContext,
  scenes: WorkOrderScenes,
  principal: Principal,
  accountId: string,
  limit: number,
): Promise<WorkOrderSummary[]> {
  authorize(principal, 'customer:read');
  const viewer = ctx.viewer(principal);
  const readable: WorkOrderSummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < ACCOUNT_HISTORY_PAGES && readable.length < limit; page++) {
    const { items, nextCursor } = await scenes.scene(principal.tenantId, {
      views: [{ kind: 'account', accountId }],
      binding: `account:${accountId}`,
      sort: 'created',
      order: 'desc',
      limit: MAX_PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    const full = await ctx.workOrders.getMany(
      principal.tenantId,
      items.map((item) => item.id),
    );
    for (const item of items) {
      const workOrder = full.get(item.id);
      if (readable.length < limit && workOrder && (await canRead(workOrder, viewer))) readable.push(item);
    }
    cursor = nextCursor;
    if (!cursor) break;
  }
  return readable;
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
