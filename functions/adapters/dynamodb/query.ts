import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../domain/shared/entity';
import type { TableContext } from './client';
import { decodeCursor, encodeCursor } from './cursor';
import type { GlobalIndexName } from './table-definition';

/** A key condition from the key builder: a partition and, optionally, a sort-key prefix. */
export interface KeyQuery {
  index?: GlobalIndexName;
  pk: string;
  /** Empty or absent: the whole partition. */
  skPrefix?: string;
  /** Sort keys from the first to the second, inclusive (both under `skPrefix`, which checks cursors). */
  skBetween?: readonly [string, string];
}

/** One page of a Query, with the cursor checked against the same key condition. */
export async function queryPage(
  table: TableContext,
  query: KeyQuery,
  page: PageRequest,
  options: { projection?: string[]; newestFirst?: boolean; consistent?: boolean } = {},
): Promise<Page<Record<string, unknown>>> {
  const pkName = query.index ? `${query.index}pk` : 'pk';
  const skName = query.index ? `${query.index}sk` : 'sk';
  const prefix = query.skPrefix ?? '';
  const names: Record<string, string> = { '#pk': pkName };
  const values: Record<string, unknown> = { ':pk': query.pk };
  let condition = '#pk = :pk';
  if (query.skBetween) {
    condition += ' AND #sk BETWEEN :from AND :to';
    names['#sk'] = skName;
    [values[':from'], values[':to']] = query.skBetween;
  } else if (prefix) {
    condition += ' AND begins_with(#sk, :prefix)';
    names['#sk'] = skName;
    values[':prefix'] = prefix;
  }
  for (const [i, attribute] of (options.projection ?? []).entries()) names[`#p${i}`] = attribute;
  const { Items = [], LastEvaluatedKey } = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: query.index,
      KeyConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ProjectionExpression: options.projection?.map((_, i) => `#p${i}`).join(', '),
      Limit: page.limit,
      ...(options.newestFirst ? { ScanIndexForward: false } : {}),
      // Only the table's own key conditions can be read strongly consistent; an index is always eventual.
      ...(options.consistent && !query.index ? { ConsistentRead: true } : {}),
      ExclusiveStartKey: decodeCursor(page.cursor, { [pkName]: query.pk, [skName]: { prefix } }),
    }),
  );
  return { items: Items, nextCursor: encodeCursor(LastEvaluatedKey) };
}

/** Every item of a bounded Query (e.g. the groups of one user), page by page. */
export async function queryAll(
  table: TableContext,
  query: KeyQuery,
  options: { projection?: string[]; pageSize?: number; consistent?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage(table, query, { limit: options.pageSize ?? 100, cursor }, options);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/**
 * Items by key, strongly consistent, 100 keys a call; keys DynamoDB hands
 * back unprocessed are asked for again after a growing pause. Absent items
 * are simply not in the answer.
 */
export async function batchGet(
  table: TableContext,
  itemKeys: { pk: string; sk: string }[],
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < itemKeys.length; i += 100) {
    let pending: Record<string, unknown>[] = itemKeys.slice(i, i + 100).map((key) => ({ ...key }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const { Responses = {}, UnprocessedKeys = {} } = await table.client.send(
        new BatchGetCommand({
          RequestItems: {
            [table.tableName]: { Keys: pending, ConsistentRead: true },
          },
        }),
      );
      found.push(...(Responses[table.tableName] ?? []));
      pending = UnprocessedKeys[table.tableName]?.Keys ?? [];
    }
  }
  return found;
}

/** One item by its key, read strongly consistent; undefined when there is none. */
export async function getConsistent(
  table: TableContext,
  key: { pk: string; sk: string },
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await table.client.send(
    new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }),
  );
  return Item;
}
