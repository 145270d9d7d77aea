import type { OrgChart } from '../../domain/organisation/org-chart';
import { mapConcurrently } from '../../domain/shared/concurrency';
import { ConflictError, VersionConflictError } from '../../domain/shared/errors';
import type { WorkOrderSummary } from '../../domain/work-orders/ports';
import { audienceViews } from '../../domain/work-orders/scene-audience';
import type { SceneFiling } from '../../domain/work-orders/scene-reindexer';
import { type View, viewsOf } from '../../domain/work-orders/scenes';
import type { WorkOrder } from '../../domain/work-orders/work-order';
import type { TableContext } from './client';
import { keys } from './keys';
import { toEntity } from './master-data-store';
import { batchGet, queryPage } from './query';
import { Transaction } from './transaction';

/** A work order's scene entries must fit one transaction with the order, its records and events. */
export const MAX_SCENE_ENTRIES = 85;

const SUMMARY_FIELDS = [
  'id',
  'tenantId',
  'number',
  'title',
  'typeId',
  'priority',
  'status',
  'lifecycle',
  'locked',
  'channel',
  'ownerId',
  'accountId',
  'contactId',
  'deviceId',
  'version',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof WorkOrderSummary)[];

/** The summary fields of a work order, or of a scene entry that carries them. */
export function pickSummary(source: WorkOrder | Record<string, unknown>): WorkOrderSummary {
  const summary: Record<string, unknown> = {};
  for (const field of SUMMARY_FIELDS) {
    const value = (source as Record<string, unknown>)[field];
    if (value !== undefined) summary[field] = value;
  }
  return summary as WorkOrderSummary;
}

/**
 * How a work order is filed by the organisation, kept on its item: the
 * lists (`sceneViews`) and how often it was re-filed (`sceneRevision`), so a
 * change of the order that raced a re-filing is refused rather than leaving
 * entries no one tracks.
 */
export interface Filing {
  audience: string[];
  revision: number;
}

export function filingOf(item: Record<string, unknown>): Filing {
  return {
    audience: Array.isArray(item.sceneViews) ? item.sceneViews.map(String) : [],
    revision: Number(item.sceneRevision ?? 0),
  };
}

export const filingAttributes = (filing: Filing) => ({
  sceneViews: filing.audience,
  sceneRevision: filing.revision,
});

/** The condition that the work order is still filed as it was read. */
export const FILED_AS_READ = '(attribute_not_exists(sceneRevision) OR sceneRevision = :filed)';

export const names = (views: View[]): string[] => [...new Set(views.map(keys.viewName))];

/** The names of the lists the organisation files the work order in, by the chart. */
export const audienceOf = (workOrder: WorkOrder, chart: OrgChart): string[] =>
  names(audienceViews(workOrder, chart));

/** Every list the work order is in: by its own fields, and by the organisation as filed. */
export function entryNames(workOrder: WorkOrder, audience: string[]): string[] {
  const all = [...new Set([...names(viewsOf(workOrder)), ...audience])];
  if (all.length > MAX_SCENE_ENTRIES) {
    throw new ConflictError(
      `Work order ${workOrder.number} would be listed in ${all.length} scene lists, more than ${MAX_SCENE_ENTRIES}: ` +
        'its team, their superiors and the heads of their departments are too many for one change',
    );
  }
  return all;
}

/** A scene entry: the work order's summary, in one list, sorted by created and by updated time. */
export function entryItem(workOrder: WorkOrder, view: string): Record<string, unknown> {
  return {
    ...pickSummary(workOrder),
    ...keys.workOrderView(workOrder.tenantId, workOrder.id, view),
    ...keys.workOrderViewIndexes(workOrder.tenantId, view, workOrder),
    entityType: 'WorkOrderView',
  };
}

/** Walks the scene lists and files work orders again, for the re-filing after an organisation change. */
export class DynamoSceneFiling implements SceneFiling {
  constructor(private readonly table: TableContext) {}

  async filedUnder(tenantId: string, view: View, cursor: string | undefined, limit: number) {
    const { index, pk } = keys.workOrderViewQuery(tenantId, keys.viewName(view), 'created');
    const page = await queryPage(
      this.table,
      { index, pk },
      { limit, ...(cursor ? { cursor } : {}) },
      {
        projection: ['id'],
      },
    );
    return {
      ids: page.items.map((item) => String(item.id)),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  async refile(tenantId: string, ids: string[], chart: OrgChart) {
    const totals = { refiled: 0, written: 0, deleted: 0 };
    const items = await batchGet(
      this.table,
      ids.map((id) => keys.workOrder(tenantId, id)),
    );
    await mapConcurrently(items, 8, async (item) => {
      const result = await this.refileOne(tenantId, item, chart);
      totals.refiled += result.written + result.deleted > 0 ? 1 : 0;
      totals.written += result.written;
      totals.deleted += result.deleted;
    });
    return totals;
  }

  /** Files one work order by the chart; one changed meanwhile is read again, a few times. */
  private async refileOne(
    tenantId: string,
    item: Record<string, unknown>,
    chart: OrgChart,
    attempt = 0,
  ): Promise<{ written: number; deleted: number }> {
    const workOrder = toEntity<WorkOrder>(item);
    const filing = filingOf(item);
    const audience = audienceOf(workOrder, chart);
    const stale = filing.audience.filter((name) => !audience.includes(name));
    const missing = audience.filter((name) => !filing.audience.includes(name));
    if (stale.length === 0 && missing.length === 0) return { written: 0, deleted: 0 };
    entryNames(workOrder, audience);
    const { id } = workOrder;
    const tx = new Transaction(this.table.client, this.table.tableName);
    tx.update(
      keys.workOrder(tenantId, id),
      'SET sceneViews = :audience, sceneRevision = :next',
      `version = :version AND ${FILED_AS_READ}`,
      () => new VersionConflictError('WorkOrder', id, workOrder.version),
      {
        ':audience': audience,
        ':next': filing.revision + 1,
        ':version': workOrder.version,
        ':filed': filing.revision,
      },
    );
    for (const name of stale)
      tx.delete(keys.workOrderView(tenantId, id, name), undefined, () => new Error('unreachable'));
    for (const name of missing) tx.put(entryItem(workOrder, name), undefined, () => new Error('unreachable'));
    try {
      await tx.commit();
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 3) throw error;
      const [again] = await batchGet(this.table, [keys.workOrder(tenantId, id)]);
      return again ? this.refileOne(tenantId, again, chart, attempt + 1) : { written: 0, deleted: 0 };
    }
    return { written: missing.length, deleted: stale.length };
  }
}
