import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { WorkOrder } from '../../domain/work-orders/work-order';
import type { TableContext } from './client';
import { keys } from './keys';
import { toEntity } from './master-data-store';

/**
 * Work orders read by id, for functions that never write them: none of the
 * repository's write paths (numbers, scene filing, the org chart) come with it.
 */
export class DynamoWorkOrderReads {
  constructor(private readonly table: TableContext) {}

  async get(tenantId: string, id: string): Promise<WorkOrder | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.workOrder(tenantId, id),
        ConsistentRead: true,
      }),
    );
    return Item ? toEntity<WorkOrder>(Item) : undefined;
  }
}
