import { QueryCommand } from '@aws-sdk/lib-dynamodb';
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
}

/** One page of a Query, with the cursor checked against the same key condition. */
export async function queryPage(
  table: TableContext,
  query: KeyQuery,
  page: PageRequest,
  options: { projection?: string[]; newestFirst?: boolean } = {},
): Promise<Page<Record<string, unknown>>> {
  const pkName = query.index ? `${query.index}pk` : 'pk';
  const skName = query.index ? `${query.index}sk` : 'sk';
  const prefix = query.skPrefix ?? '';
  const names: Record<string, string> = { '#pk': pkName };
  const values: Record<string, unknown> = { ':pk': query.pk };
  let condition = '#pk = :pk';
  if (prefix) {
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
      ExclusiveStartKey: decodeCursor(page.cursor, { [pkName]: query.pk, [skName]: { prefix } }),
    }),
  );
  return { items: Items, nextCursor: encodeCursor(LastEvaluatedKey) };
}

/** Every item of a bounded Query (e.g. the groups of one user), page by page. */
export async function queryAll(
  table: TableContext,
  query: KeyQuery,
  options: { projection?: string[]; pageSize?: number } = {},
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
