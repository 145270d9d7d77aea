import type { WorkOrder } from '../../domain/work-orders/work-order';
import type { TableContext } from './client';
import { keys } from './keys';
import { toEntity } from './master-data-store';
import { getConsistent } from './query';

/**
 * Work orders read by id, for functions that never write them: none of the
 * repository's write paths (numbers, scene filing, the org chart) come with it.
 */
export class DynamoWorkOrderReads {
  constructor(private readonly table: TableContext) {}

  async get(tenantId: string, id: string): Promise<WorkOrder | undefined> {
    const item = await getConsistent(this.table, keys.workOrder(tenantId, id));
    return item ? toEntity<WorkOrder>(item) : undefined;
  }
}
