import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TableContext } from './client';
import { keys } from './keys';

/** Reads the guard items that keep values unique in a tenant; each names its owner. */
export class UniqueValueIndex {
  constructor(private readonly table: TableContext) {}

  async owner(tenantId: string, scope: string, value: string): Promise<string | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.unique(tenantId, scope, value),
        ConsistentRead: true,
      }),
    );
    return Item ? String(Item.ownerId) : undefined;
  }
}
