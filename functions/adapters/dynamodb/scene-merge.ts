import { createHash } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../domain/shared/errors';
import type { TableContext } from './client';

/** One index partition taking part in a merge. */
export interface MergeSource {
  /** Stable name of the partition within the merge. */
  name: string;
  index: 'gsi2' | 'gsi3';
  pk: string;
  /** The table key of an item of this source with the given sort value (for ExclusiveStartKey). */
  tableKeyOf(sortValue: string): { pk: string; sk: string };
}

/**
 * Where a merge stopped. Sort values (`<time>#<id>`) are unique per work order and the same in every
 * partition, so one value — the last handed out — says where every partition resumes; the exhausted
 * partitions are listed so they are not read again.
 */
export interface MergePosition {
  after: string;
  exhausted: string[];
}

export interface MergeResult {
  items: Record<string, unknown>[];
  next?: MergePosition;
  /** Items DynamoDB read for this page, and rounds of parallel Queries. */
  itemsRead: number;
  rounds: number;
}

interface SourceState {
  source: MergeSource;
  buffer: Record<string, unknown>[];
  lastKey?: Record<string, unknown>;
  exhausted: boolean;
}

/**
 * A k-way merge of index partitions that share one sort key, newest or
 * oldest first. A work order found in several partitions has the same sort
 * value in each, so duplicates meet at the head and are emitted once. Each
 * partition is read in small chunks, so a page reads little more than it returns.
 */
export async function mergePartitions(
  table: TableContext,
  sources: MergeSource[],
  options: { limit: number; order: 'asc' | 'desc'; from?: MergePosition },
): Promise<MergeResult> {
  const skName = (source: MergeSource) => `${source.index}sk`;
  const from = options.from;
  const states: SourceState[] = sources.map((source) => ({
    source,
    buffer: [],
    exhausted: from?.exhausted.includes(source.name) ?? false,
    lastKey: from
      ? { [`${source.index}pk`]: source.pk, [skName(source)]: from.after, ...source.tableKeyOf(from.after) }
      : undefined,
  }));
  let itemsRead = 0;
  let rounds = 0;
  let last = from?.after;
  const items: Record<string, unknown>[] = [];
  const descending = options.order === 'desc';
  const ahead = (a: string, b: string) => (descending ? a > b : a < b);

  const refill = async (needed: number) => {
    const empty = states.filter((s) => s.buffer.length === 0 && !s.exhausted);
    if (empty.length === 0) return;
    // Share what is still needed among the partitions that may still hold items; at least one each.
    const chunk = Math.max(1, Math.ceil(needed / Math.max(1, states.filter((s) => !s.exhausted).length)));
    rounds += 1;
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
        if (!emitted) items.push(head);
        emitted = true;
      }
    }
    last = best;
  }

  const more = states.some((s) => s.buffer.length > 0 || !s.exhausted);
  return {
    items,
    itemsRead,
    rounds,
    next:
      more && last !== undefined
        ? {
            after: last,
            exhausted: states.filter((s) => s.exhausted && s.buffer.length === 0).map((s) => s.source.name),
          }
        : undefined,
  };
}

/** A short fingerprint, so a cursor only works where it came from. */
function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 12);
}

/** The merged partitions: which ones a cursor's exhausted list counts. */
const planOf = (sources: MergeSource[]) => fingerprint(sources.map((s) => `${s.index}:${s.pk}`).join('|'));

/**
 * A cursor names the list it is bound to (tenant, scene, viewer, sort) and
 * the position every partition resumes from. The partitions it found
 * exhausted count only for the same partitions: a scene read live in the
 * middle of its pages (while a re-filing holds it) resumes from the position.
 */
export function encodeMergeCursor(
  binding: string,
  sources: MergeSource[],
  next: MergePosition | undefined,
): string | undefined {
  if (!next) return undefined;
  const exhausted = next.exhausted.map((name) => sources.findIndex((s) => s.name === name));
  return Buffer.from(
    JSON.stringify({ a: next.after, x: exhausted, f: fingerprint(binding), p: planOf(sources) }),
  ).toString('base64url');
}

export function decodeMergeCursor(
  cursor: string | undefined,
  binding: string,
  sources: MergeSource[],
): MergePosition | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () =>
    new ValidationError('Invalid cursor', [{ field: 'cursor', message: 'Not a cursor of this scene' }]);
  let decoded: { a?: unknown; x?: unknown; f?: unknown; p?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const { a, x, f, p } = decoded ?? {};
  if (f !== fingerprint(binding)) throw invalid();
  if (typeof a !== 'string' || !/^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[A-Za-z0-9_-]+$/.test(a)) throw invalid();
  if (!Array.isArray(x) || x.some((i) => !Number.isInteger(i) || i < 0)) throw invalid();
  if (p !== planOf(sources)) return { after: a, exhausted: [] };
  if (x.some((i: number) => i >= sources.length)) throw invalid();
  return { after: a, exhausted: x.map((i: number) => (sources[i] as MergeSource).name) };
}
