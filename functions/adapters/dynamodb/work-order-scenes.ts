import type { Page } from '../../domain/shared/entity';
import type { SceneQuery, WorkOrderScenes, WorkOrderSummary } from '../../domain/work-orders/ports';
import type { TableContext } from './client';
import { keys } from './keys';
import { pickSummary } from './scene-filing';
import { decodeMergeCursor, encodeMergeCursor, type MergeSource, mergePartitions } from './scene-merge';

/** Scene pages: each view one index partition, merged by sort key; a cursor bound to its scene and viewer. */
export class DynamoWorkOrderScenes implements WorkOrderScenes {
  constructor(private readonly table: TableContext) {}

  async scene(
    tenantId: string,
    query: SceneQuery,
  ): Promise<Page<WorkOrderSummary> & { itemsRead: number; rounds: number }> {
    const sources: MergeSource[] = query.views.map((view) => {
      const name = keys.viewName(view);
      const { index, pk } = keys.workOrderViewQuery(tenantId, name, query.sort);
      return {
        name,
        index,
        pk,
        tableKeyOf: (sortValue: string) =>
          keys.workOrderView(tenantId, sortValue.slice(sortValue.lastIndexOf('#') + 1), name),
      };
    });
    const unique = [...new Map(sources.map((s) => [s.name, s])).values()];
    const result = await mergePartitions(this.table, unique, {
      limit: query.limit,
      order: query.order,
      from: decodeMergeCursor(query.cursor, `${tenantId}|${query.binding}|${query.sort}`, unique),
    });
    return {
      items: result.items.map((item) => pickSummary(item)),
      nextCursor: encodeMergeCursor(`${tenantId}|${query.binding}|${query.sort}`, unique, result.next),
      itemsRead: result.itemsRead,
      rounds: result.rounds,
    };
  }
}
