import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TableContext } from '../../functions/adapters/dynamodb/client';

/**
 * How many TransactWriteItems calls of `items` puts DynamoDB Local completes
 * per second with `writers` concurrent callers, in this run. DynamoDB Local
 * runs transactions one at a time, so this bounds every path whose changes
 * are transactions, whatever the callers do.
 */
export async function transactionsPerSecond(
  table: TableContext,
  items: number,
  options: { calls?: number; writers?: number } = {},
): Promise<number> {
  const calls = options.calls ?? 300;
  const writers = options.writers ?? 4;
  const run = `${Date.now().toString(36)}-${items}`;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < calls) {
        const call = next++;
        await table.client.send(
          new TransactWriteCommand({
            TransactItems: Array.from({ length: items }, (_, i) => ({
              Put: {
                TableName: table.tableName,
                Item: {
                  pk: `TENANT#bench-ceiling#${run}#${call}`,
                  sk: `ITEM#${i}`,
                  payload: 'x'.repeat(300),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
          }),
        );
      }
    }),
  );
  return calls / ((performance.now() - started) / 1000);
}
