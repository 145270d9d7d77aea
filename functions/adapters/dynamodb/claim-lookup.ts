import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TableContext } from './client';
import { keys } from './keys';

/**
 * What a once-only claim was taken for (the id it refers to, '' for none),
 * or undefined when it was never taken. Strongly consistent: a claim taken
 * a moment ago by a concurrent request is seen.
 */
export async function readClaim(
  table: TableContext,
  tenantId: string,
  scope: string,
  key: string,
): Promise<string | undefined> {
  const { Item } = await table.client.send(
    new GetCommand({
      TableName: table.tableName,
      Key: keys.claim(tenantId, scope, key),
      ConsistentRead: true,
      ProjectionExpression: 'refersTo, pk',
    }),
  );
  return Item ? String(Item.refersTo ?? '') : undefined;
}

/** `readClaim` as a port. */
export class DynamoClaimLookup {
  constructor(private readonly table: TableContext) {}

  claimed(tenantId: string, scope: string, key: string): Promise<string | undefined> {
    return readClaim(this.table, tenantId, scope, key);
  }
}
