import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyRecord, IdempotencyStore } from '../../domain/shared/ports';
import type { TableContext } from './client';
import { keys } from './keys';

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(private readonly table: TableContext) {}

  async find(
    tenantId: string,
    userId: string,
    key: string,
    row?: number,
  ): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.idempotency(tenantId, userId, key, row),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    return {
      fingerprint: String(Item.fingerprint),
      resourceType: String(Item.resourceType),
      resource: Item.resource,
      createdAt: String(Item.createdAt),
    };
  }
}
