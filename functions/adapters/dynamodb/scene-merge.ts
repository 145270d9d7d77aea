import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../shared/errors';
import type { TableContext } from './client';

/** One index partition taking part in a merge. */
export interface MergeSource {
  /** Stable name of the partition within the merge, used in the cursor. */
  name: string;
  index: 'gsi2' | 'gsi3';
  pk: string;
  /** The table key of an item of this source with the given sort value (for ExclusiveStartKey). */
  tableKeyOf(sortValue: string): { pk: string; sk: string };
}

export interface MergeResult {
  items: Record<string, unknown>[];
  /** Per source, the last sort value consumed; `null` when the source is exhausted. */
  nextPositions?: Record<string, string | null>;
  /** Items DynamoDB read for this page, and round trips (rounds of parallel queries). */
  itemsRead: number;
  queries: number;
}

interface SourceState {
  source: MergeSource;
  buffer: Record<string, unknown>[];
  lastKey?: Record<string, unknown>;
  exhausted: boolean;
  /** The last sort value handed out (the cursor position). */
  position?: string;
}

/**
 * A k-way merge of index partitions that share one sort key (`<time>#<id>`),
 * newest or oldest first. A work order found in several partitions has the
 * same sort value in each, so duplicates meet at the head and are emitted once.
 * Each partition is read in small chunks, so a page reads little more than it returns.
 */
export async function mergePartitions(
  table: TableContext,
  sources: MergeSource[],
  options: { limit: number; order: 'asc' | 'desc'; positions?: Record<string, string | null> },
): Promise<MergeResult> {
  const skName = (source: MergeSource) => `${source.index}sk`;
  const states: SourceState[] = sources.map((source) => {
    const position = options.positions?.[source.name];
    return {
      source,
      buffer: [],
      exhausted: position === null,
      position: position || undefined,
      lastKey: position
        ? { [`${source.index}pk`]: source.pk, [skName(source)]: position, ...source.tableKeyOf(position) }
        : undefined,
    };
  });
  let itemsRead = 0;
  let queries = 0;
  const items: Record<string, unknown>[] = [];
  const descending = options.order === 'desc';
  const ahead = (a: string, b: string) => (descending ? a > b : a < b);

  const refill = async (needed: number) => {
    const empty = states.filter((s) => s.buffer.length === 0 && !s.exhausted);
    if (empty.length === 0) return;
    // Share what is still needed among the partitions that must be read; at least one item each.
    const chunk = Math.max(1, Math.ceil(needed / Math.max(1, states.filter((s) => !s.exhausted).length)));
    queries += 1;
    await Promise.all(
      empty.map(async (state) => {
        const {
          Items = [],
          LastEvaluatedKey,
          ScannedCount = 0,
        } = await table.client.send(
          new QueryCommand({
            TableName: table.tableName,
            IndexName: state.source.index,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': `${state.source.index}pk` },
            ExpressionAttributeValues: { ':pk': state.source.pk },
            ScanIndexForward: !descending,
            Limit: chunk,
            ExclusiveStartKey: state.lastKey,
          }),
        );
        itemsRead += ScannedCount;
        state.buffer.push(...Items);
        state.lastKey = LastEvaluatedKey;
        if (!LastEvaluatedKey) state.exhausted = true;
      }),
    );
  };

  while (items.length < options.limit) {
    await refill(options.limit - items.length);
    const heads = states.filter((s) => s.buffer.length > 0);
    if (heads.length === 0) break;
    let best: string | undefined;
    for (const state of heads) {
      const value = String(state.buffer[0]?.[skName(state.source)]);
      if (best === undefined || ahead(value, best)) best = value;
    }
    let emitted = false;
    for (const state of heads) {
      const head = state.buffer[0];
      if (head && String(head[skName(state.source)]) === best) {
        state.buffer.shift();
        state.position = best;
        if (!emitted) items.push(head);
        emitted = true;
      }
    }
  }

  const more = states.some((s) => s.buffer.length > 0 || !s.exhausted);
  return {
    items,
    itemsRead,
    queries,
    nextPositions: more
      ? Object.fromEntries(
          states.map((s) => [
            s.source.name,
            s.buffer.length === 0 && s.exhausted ? null : (s.position ?? ''),
          ]),
        )
      : undefined,
  };
}

/** Scene cursors: the merge positions, base64url-encoded, bound to the sources they were made for. */
export function encodeMergeCursor(positions: Record<string, string | null> | undefined): string | undefined {
  return positions ? Buffer.from(JSON.stringify(positions)).toString('base64url') : undefined;
}

export function decodeMergeCursor(
  cursor: string | undefined,
  sources: MergeSource[],
): Record<string, string | null> | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () =>
    new ValidationError('Invalid cursor', [{ field: 'query.cursor', message: 'Not a cursor of this scene' }]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw invalid();
  const positions = decoded as Record<string, unknown>;
  const names = sources.map((s) => s.name);
  if (Object.keys(positions).length !== names.length || !names.every((n) => n in positions)) throw invalid();
  for (const value of Object.values(positions)) {
    if (value !== null && (typeof value !== 'string' || !/^\d{4}-[^#]+#[A-Za-z0-9_-]+$|^$/.test(value)))
      throw invalid();
  }
  return positions as Record<string, string | null>;
}
