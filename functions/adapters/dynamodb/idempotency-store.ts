import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyClaim, IdempotencyRecord, IdempotencyStore } from '../../domain/shared/ports';
import { type Clock, systemClock } from '../../shared/clock';
import type { TableContext } from './client';
import { CLAIM_RETENTION_SECONDS } from './effects';
import { keys } from './keys';

export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly table: TableContext,
    private readonly clock: Clock = systemClock,
  ) {}

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

  async reserve(
    tenantId: string,
    claim: IdempotencyClaim,
    resourceType: string,
  ): Promise<IdempotencyRecord | undefined> {
    const now = this.clock.now();
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: {
            ...keys.idempotency(tenantId, claim.userId, claim.key, claim.row),
            entityType: 'IdempotencyRecord',
            fingerprint: claim.fingerprint,
            resourceType,
            createdAt: now.toISOString(),
            expiresAt: Math.floor(now.getTime() / 1000) + CLAIM_RETENTION_SECONDS['idempotency-key'],
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return this.find(tenantId, claim.userId, claim.key, claim.row);
    }
  }
}
