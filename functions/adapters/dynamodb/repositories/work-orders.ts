import { BatchGetCommand, BatchWriteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../../domain/shared/entity';
import { ConflictError, VersionConflictError } from '../../../domain/shared/errors';
import type { WriteEffects } from '../../../domain/shared/ports';
import type { SceneQuery, WorkOrderRepository, WorkOrderSummary } from '../../../domain/work-orders/ports';
import { viewsOf } from '../../../domain/work-orders/scenes';
import type { ServiceRecord } from '../../../domain/work-orders/service-record';
import { formatNumber, type WorkOrder } from '../../../domain/work-orders/work-order';
import type { Clock } from '../../../shared/clock';
import type { TableContext } from '../client';
import { addEffects } from '../effects';
import { keys } from '../keys';
import { toEntity } from '../master-data-store';
import { queryAll, queryPage } from '../query';
import { decodeMergeCursor, encodeMergeCursor, type MergeSource, mergePartitions } from '../scene-merge';
import { Transaction } from '../transaction';
import { UniqueValueIndex } from '../unique-values';

const SUMMARY_FIELDS = [
  'id',
  'tenantId',
  'number',
  'title',
  'typeId',
  'priority',
  'status',
  'lifecycle',
  'locked',
  'channel',
  'ownerId',
  'accountId',
  'contactId',
  'deviceId',
  'version',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof WorkOrderSummary)[];

/**
 * Work orders: the order item, one scene entry per list it appears in (with a
 * summary, so scene pages need no second read), its service records, and a
 * number guard. Every change rewrites the entries in the same transaction.
 */
export class DynamoWorkOrderRepository implements WorkOrderRepository {
  private readonly uniques: UniqueValueIndex;

  constructor(
    private readonly table: TableContext,
    private readonly clock: Clock,
  ) {
    this.uniques = new UniqueValueIndex(table);
  }

  async create(
    draft: Omit<WorkOrder, 'number'>,
    records: ServiceRecord[],
    effects?: (workOrder: WorkOrder) => WriteEffects,
  ): Promise<WorkOrder> {
    const year = new Date(draft.createdAt).getUTCFullYear();
    // An atomic increment never contends, however many creates run at once. The number guard below
    // makes each number unique; a number is lost only if the create fails after taking it.
    const { Attributes } = await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.workOrderNumberCounter(draft.tenantId, year),
        UpdateExpression: 'ADD #value :one',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const workOrder: WorkOrder = {
      ...draft,
      number: formatNumber(year, Number(Attributes?.value)),
    } as WorkOrder;
    const tx = this.transaction();
    tx.put(
      this.orderItem(workOrder),
      'attribute_not_exists(pk)',
      () => new ConflictError(`Work order ${workOrder.id} already exists`),
    );
    tx.put(
      {
        ...keys.unique(workOrder.tenantId, 'WO_NUMBER', workOrder.number),
        entityType: 'UniqueValue',
        ownerId: workOrder.id,
      },
      'attribute_not_exists(pk)',
      () => new ConflictError(`Work-order number ${workOrder.number} is already taken`),
    );
    this.putViews(tx, workOrder);
    this.putRecords(tx, workOrder, records);
    addEffects(tx, workOrder.tenantId, effects?.(workOrder), this.clock, {
      resourceType: 'WorkOrder',
      resource: workOrder,
    });
    await tx.commit();
    return workOrder;
  }

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

  async getMany(tenantId: string, ids: string[]): Promise<Map<string, WorkOrder>> {
    const found = new Map<string, WorkOrder>();
    // BatchGetItem takes 100 keys a call and may hand some back unprocessed: ask again for those.
    for (let i = 0; i < ids.length; i += 100) {
      let keysLeft: Record<string, unknown>[] = ids
        .slice(i, i + 100)
        .map((id) => ({ ...keys.workOrder(tenantId, id) }));
      for (let attempt = 0; keysLeft.length > 0; attempt++) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        const { Responses = {}, UnprocessedKeys = {} } = await this.table.client.send(
          new BatchGetCommand({
            RequestItems: { [this.table.tableName]: { Keys: keysLeft, ConsistentRead: true } },
          }),
        );
        for (const item of Responses[this.table.tableName] ?? []) {
          const workOrder = toEntity<WorkOrder>(item);
          found.set(workOrder.id, workOrder);
        }
        keysLeft = UnprocessedKeys[this.table.tableName]?.Keys ?? [];
      }
    }
    return found;
  }

  async findByNumber(tenantId: string, number: string): Promise<WorkOrder | undefined> {
    const id = await this.uniques.owner(tenantId, 'WO_NUMBER', number);
    return id ? this.get(tenantId, id) : undefined;
  }

  async update(
    previous: WorkOrder,
    next: WorkOrder,
    records: ServiceRecord[],
    effects?: WriteEffects,
  ): Promise<void> {
    const tx = this.transaction();
    tx.put(
      this.orderItem(next),
      'version = :expected',
      () => new VersionConflictError('WorkOrder', previous.id, previous.version),
      {
        ':expected': previous.version,
      },
    );
    const current = new Set(viewsOf(next).map(keys.viewName));
    for (const view of viewsOf(previous).map(keys.viewName)) {
      if (!current.has(view))
        tx.delete(
          keys.workOrderView(next.tenantId, next.id, view),
          undefined,
          () => new Error('unreachable'),
        );
    }
    this.putViews(tx, next);
    this.putRecords(tx, next, records);
    addEffects(tx, next.tenantId, effects, this.clock);
    await tx.commit();
  }

  async appendRecords(workOrder: WorkOrder, records: ServiceRecord[], effects?: WriteEffects): Promise<void> {
    const tx = this.transaction();
    requireLiveWorkOrder(tx, workOrder);
    this.putRecords(tx, workOrder, records);
    addEffects(tx, workOrder.tenantId, effects, this.clock);
    await tx.commit();
  }

  async delete(workOrder: WorkOrder, effects?: WriteEffects): Promise<void> {
    const tx = this.transaction();
    tx.delete(
      keys.workOrder(workOrder.tenantId, workOrder.id),
      'version = :expected',
      () => new VersionConflictError('WorkOrder', workOrder.id, workOrder.version),
      {
        ':expected': workOrder.version,
      },
    );
    tx.delete(
      keys.unique(workOrder.tenantId, 'WO_NUMBER', workOrder.number),
      undefined,
      () => new Error('unreachable'),
    );
    for (const view of viewsOf(workOrder).map(keys.viewName)) {
      tx.delete(
        keys.workOrderView(workOrder.tenantId, workOrder.id, view),
        undefined,
        () => new Error('unreachable'),
      );
    }
    addEffects(tx, workOrder.tenantId, effects, this.clock);
    await tx.commit();
    // The timeline has no bound, so it goes after the order, in batches; a retry finishes the job.
    const leftovers = await queryAll(this.table, keys.workOrderItems(workOrder.tenantId, workOrder.id), {
      projection: ['pk', 'sk'],
    });
    for (let i = 0; i < leftovers.length; i += 25) {
      await this.table.client.send(
        new BatchWriteCommand({
          RequestItems: {
            [this.table.tableName]: leftovers
              .slice(i, i + 25)
              .map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
          },
        }),
      );
    }
  }

  async records(tenantId: string, workOrderId: string, page: PageRequest): Promise<Page<ServiceRecord>> {
    const { items, nextCursor } = await queryPage(
      this.table,
      keys.workOrderRecords(tenantId, workOrderId),
      page,
    );
    return { items: items.map((item) => toEntity<ServiceRecord>(item)), nextCursor };
  }

  async scene(
    tenantId: string,
    query: SceneQuery,
  ): Promise<Page<WorkOrderSummary> & { itemsRead: number; rounds: number }> {
    const sources: MergeSource[] = query.views.map((view) => {
      const name = keys.viewName(view);
      const { index, pk } = keys.workOrderViewQuery(tenantId, name, query.sort);
      return {
        name,
        index,
        pk,
        tableKeyOf: (sortValue: string) =>
          keys.workOrderView(tenantId, sortValue.slice(sortValue.lastIndexOf('#') + 1), name),
      };
    });
    const unique = [...new Map(sources.map((s) => [s.name, s])).values()];
    const result = await mergePartitions(this.table, unique, {
      limit: query.limit,
      order: query.order,
      from: decodeMergeCursor(query.cursor, unique),
    });
    return {
      items: result.items.map((item) => pickSummary(item)),
      nextCursor: encodeMergeCursor(unique, result.next),
      itemsRead: result.itemsRead,
      rounds: result.rounds,
    };
  }

  private transaction() {
    return new Transaction(this.table.client, this.table.tableName);
  }

  private orderItem(workOrder: WorkOrder): Record<string, unknown> {
    return {
      ...(workOrder as unknown as Record<string, unknown>),
      ...keys.workOrder(workOrder.tenantId, workOrder.id),
      entityType: 'WorkOrder',
    };
  }

  /** Every item a create writes; bulk loads (the bench's 10,000 work orders) write exactly these. */
  itemsOf(workOrder: WorkOrder, records: ServiceRecord[]): Record<string, unknown>[] {
    return [
      this.orderItem(workOrder),
      numberGuard(workOrder),
      ...viewItems(workOrder),
      ...records.map((r) => recordItem(workOrder, r)),
    ];
  }

  private putViews(tx: Transaction, workOrder: WorkOrder): void {
    for (const item of viewItems(workOrder)) tx.put(item, undefined, () => new Error('unreachable'));
  }

  private putRecords(tx: Transaction, workOrder: WorkOrder, records: ServiceRecord[]): void {
    for (const record of records) {
      tx.put(
        recordItem(workOrder, record),
        'attribute_not_exists(pk)',
        () => new ConflictError(`Service record ${record.id} already exists`),
      );
    }
  }
}

function viewItems(workOrder: WorkOrder): Record<string, unknown>[] {
  const summary = pickSummary(workOrder);
  return viewsOf(workOrder)
    .map(keys.viewName)
    .map((view) => ({
      ...summary,
      ...keys.workOrderView(workOrder.tenantId, workOrder.id, view),
      ...keys.workOrderViewIndexes(workOrder.tenantId, view, workOrder),
      entityType: 'WorkOrderView',
    }));
}

/** A timeline entry as stored, for every writer of the timeline. */
export function recordItem(
  workOrder: Pick<WorkOrder, 'tenantId' | 'id'>,
  record: ServiceRecord,
): Record<string, unknown> {
  return {
    ...record,
    ...keys.workOrderRecord(workOrder.tenantId, workOrder.id, record.at, record.id),
    entityType: 'ServiceRecord',
  };
}

/**
 * Writes that add to a work order (records, reminders) without changing it
 * need it to still exist and not be voided, at commit time.
 */
export function requireLiveWorkOrder(tx: Transaction, workOrder: WorkOrder): void {
  tx.check(
    keys.workOrder(workOrder.tenantId, workOrder.id),
    'attribute_exists(pk) AND #lifecycle <> :obsolete',
    () => new ConflictError(`Work order ${workOrder.number} was deleted or voided meanwhile`),
    { ':obsolete': 'obsolete' },
    { '#lifecycle': 'lifecycle' },
  );
}

function numberGuard(workOrder: WorkOrder): Record<string, unknown> {
  return {
    ...keys.unique(workOrder.tenantId, 'WO_NUMBER', workOrder.number),
    entityType: 'UniqueValue',
    ownerId: workOrder.id,
  };
}

/** The summary fields of a work order, or of a scene entry that carries them. */
function pickSummary(source: WorkOrder | Record<string, unknown>): WorkOrderSummary {
  const summary: Record<string, unknown> = {};
  for (const field of SUMMARY_FIELDS) {
    const value = (source as Record<string, unknown>)[field];
    if (value !== undefined) summary[field] = value;
  }
  return summary as WorkOrderSummary;
}
