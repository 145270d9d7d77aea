import { BatchWriteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OrgChart } from '../../../domain/organisation/org-chart';
import type { Page, PageRequest } from '../../../domain/shared/entity';
import { ConflictError, VersionConflictError } from '../../../domain/shared/errors';
import type { WriteEffects } from '../../../domain/shared/ports';
import type { WorkOrderRepository } from '../../../domain/work-orders/ports';
import { audienceBasis } from '../../../domain/work-orders/scene-audience';
import type { ServiceRecord } from '../../../domain/work-orders/service-record';
import { formatNumber, type WorkOrder } from '../../../domain/work-orders/work-order';
import type { Clock } from '../../../shared/clock';
import type { TableContext } from '../client';
import { addEffects } from '../effects';
import { keys } from '../keys';
import { toEntity } from '../master-data-store';
import { readOrgChart } from '../org-chart-change';
import { batchGet, queryAll, queryPage } from '../query';
import { markReached } from '../scene-access';
import {
  audienceOf,
  entryItem,
  entryNames,
  FILED_AS_READ,
  type Filing,
  filingAttributes,
  filingOf,
} from '../scene-filing';
import { Transaction } from '../transaction';
import { UniqueValueIndex } from '../unique-values';

/**
 * Work orders: the order item, one scene entry per list it appears in (with a
 * summary, so scene pages need no second read), its service records, and a
 * number guard. Every change rewrites the entries in the same transaction.
 */
export class DynamoWorkOrderRepository implements WorkOrderRepository {
  private readonly uniques: UniqueValueIndex;
  /** How each work order read through this repository was filed, for the change that follows the read. */
  private readonly filings = new WeakMap<WorkOrder, Filing>();

  constructor(
    private readonly table: TableContext,
    private readonly clock: Clock,
    private readonly charts: { chart(tenantId: string): Promise<OrgChart> } = {
      chart: (tenantId) => readOrgChart(table, tenantId),
    },
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
    const filing: Filing = {
      audience: await this.audienceOf(workOrder),
      revision: 0,
    };
    const tx = this.transaction();
    tx.put(
      this.orderItem(workOrder, filing),
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
    this.putEntries(tx, workOrder, filing);
    markReached(tx, workOrder.tenantId, newPeople(undefined, workOrder));
    this.putRecords(tx, workOrder, records);
    addEffects(tx, workOrder.tenantId, effects?.(workOrder), this.clock, {
      resourceType: 'WorkOrder',
      resource: workOrder,
    });
    await tx.commit();
    this.filings.set(workOrder, filing);
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
    return Item ? this.toWorkOrder(Item) : undefined;
  }

  async getMany(tenantId: string, ids: string[]): Promise<Map<string, WorkOrder>> {
    const items = await batchGet(
      this.table,
      ids.map((id) => keys.workOrder(tenantId, id)),
    );
    return new Map(items.map((item) => this.toWorkOrder(item)).map((workOrder) => [workOrder.id, workOrder]));
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
    const filed = await this.filingOfRead(previous);
    // Who is on it and where it is filed by department decide the organisation's lists; the rest is a summary.
    const filing: Filing =
      audienceBasis(previous) === audienceBasis(next)
        ? filed
        : { audience: await this.audienceOf(next), revision: filed.revision };
    const tx = this.transaction();
    tx.put(
      this.orderItem(next, filing),
      `version = :expected AND ${FILED_AS_READ}`,
      () => new VersionConflictError('WorkOrder', previous.id, previous.version),
      { ':expected': previous.version, ':filed': filed.revision },
    );
    const current = new Set(entryNames(next, filing.audience));
    for (const view of entryNames(previous, filed.audience)) {
      if (!current.has(view))
        tx.delete(
          keys.workOrderView(next.tenantId, next.id, view),
          undefined,
          () => new Error('unreachable'),
        );
    }
    this.putEntries(tx, next, filing);
    markReached(tx, next.tenantId, newPeople(previous, next));
    this.putRecords(tx, next, records);
    addEffects(tx, next.tenantId, effects, this.clock);
    await tx.commit();
    this.filings.set(next, filing);
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
    for (const view of entryNames(workOrder, (await this.filingOfRead(workOrder)).audience)) {
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

  private transaction() {
    return new Transaction(this.table.client, this.table.tableName);
  }

  private orderItem(workOrder: WorkOrder, filing: Filing): Record<string, unknown> {
    return {
      ...(workOrder as unknown as Record<string, unknown>),
      ...keys.workOrder(workOrder.tenantId, workOrder.id),
      ...filingAttributes(filing),
      entityType: 'WorkOrder',
    };
  }

  /** The lists the organisation files the work order under; one without people is filed by nobody. */
  private async audienceOf(workOrder: WorkOrder): Promise<string[]> {
    if (workOrder.ownerId === undefined && workOrder.team.length === 0) return [];
    return audienceOf(workOrder, await this.charts.chart(workOrder.tenantId));
  }

  private toWorkOrder(item: Record<string, unknown>): WorkOrder {
    const workOrder = toEntity<WorkOrder>(item);
    this.filings.set(workOrder, filingOf(item));
    return workOrder;
  }

  /** How the work order was filed when it was read; read again if it did not come from this repository. */
  private async filingOfRead(workOrder: WorkOrder): Promise<Filing> {
    const known = this.filings.get(workOrder);
    if (known) return known;
    const [item] = await batchGet(this.table, [keys.workOrder(workOrder.tenantId, workOrder.id)]);
    return item ? filingOf(item) : { audience: [], revision: 0 };
  }

  /** Every item a create writes; bulk loads (the bench's 10,000 work orders) write exactly these. */
  itemsOf(workOrder: WorkOrder, records: ServiceRecord[], chart: OrgChart): Record<string, unknown>[] {
    const filing: Filing = { audience: audienceOf(workOrder, chart), revision: 0 };
    return [
      this.orderItem(workOrder, filing),
      numberGuard(workOrder),
      ...entryNames(workOrder, filing.audience).map((view) => entryItem(workOrder, view)),
      ...records.map((r) => recordItem(workOrder, r)),
    ];
  }

  private putEntries(tx: Transaction, workOrder: WorkOrder, filing: Filing): void {
    for (const view of entryNames(workOrder, filing.audience))
      tx.put(entryItem(workOrder, view), undefined, () => new Error('unreachable'));
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

/** The people a change puts on the work order (in charge or on the team) who were not on it before. */
function newPeople(previous: WorkOrder | undefined, next: WorkOrder): string[] {
  const on = (workOrder: WorkOrder | undefined) =>
    workOrder && workOrder.lifecycle !== 'obsolete'
      ? [workOrder.ownerId, ...workOrder.team.map((m) => m.userId)].filter(
          (p): p is string => p !== undefined,
        )
      : [];
  const before = new Set(on(previous));
  return on(next).filter((person) => !before.has(person));
}

function numberGuard(workOrder: WorkOrder): Record<string, unknown> {
  return {
    ...keys.unique(workOrder.tenantId, 'WO_NUMBER', workOrder.number),
    entityType: 'UniqueValue',
    ownerId: workOrder.id,
  };
}
