import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SalesOrder } from '../../../domain/agreements/sales-order';
import type { ConsumptionConfirmation } from '../../../domain/consumption/confirmation';
import type { Redemption } from '../../../domain/consumption/coverage';
import { ConsumptionLockedError, RedemptionRefusedError } from '../../../domain/consumption/errors';
import type {
  ConsumptionRepository,
  ConsumptionWrite,
  StoredConfirmation,
} from '../../../domain/consumption/ports';
import type { ServiceProduct } from '../../../domain/consumption/service-product';
import type { SparePartUse } from '../../../domain/consumption/spare-part';
import type { Page, PageRequest } from '../../../domain/shared/entity';
import { ConflictError, VersionConflictError } from '../../../domain/shared/errors';
import type { Clock } from '../../../shared/clock';
import type { TableContext } from '../client';
import { addEffects } from '../effects';
import { keys } from '../keys';
import { toEntity } from '../master-data-store';
import { queryAll, queryPage } from '../query';
import { Transaction } from '../transaction';
import { SalesOrderRepository } from './agreements';
import { recordItem } from './work-orders';

const SERVICE_PRODUCT = 'ServiceProduct';
const SPARE_PART = 'SparePartUse';
const CONFIRMATION = 'ConsumptionConfirmation';
const LOCK = 'ConsumptionLock';

/**
 * Service products, spare-part uses and confirmations. Every write to a work
 * order's consumption checks, in its transaction, that no confirmation holds
 * the work order's lock, so a confirmation prices exactly what it snapshotted.
 */
export class DynamoConsumptionRepository implements ConsumptionRepository {
  private readonly orders: SalesOrderRepository;

  constructor(
    private readonly table: TableContext,
    private readonly clock: Clock,
  ) {
    this.orders = new SalesOrderRepository(table, clock);
  }

  async serviceProducts(tenantId: string, workOrderId: string): Promise<ServiceProduct[]> {
    const items = await queryAll(this.table, keys.serviceProducts(tenantId, workOrderId), {
      consistent: true,
    });
    return items.map((item) => toEntity<ServiceProduct>(item)).sort((a, b) => a.id.localeCompare(b.id));
  }

  async serviceProduct(tenantId: string, workOrderId: string, id: string) {
    const item = await this.getItem(keys.serviceProduct(tenantId, workOrderId, id));
    return item ? toEntity<ServiceProduct>(item) : undefined;
  }

  async addServiceProducts(products: readonly ServiceProduct[], write: ConsumptionWrite): Promise<void> {
    const first = products[0];
    if (!first) return;
    const tx = this.transaction(first, write, { resourceType: SERVICE_PRODUCT, resource: first });
    for (const product of products) {
      tx.put(
        this.productItem(product),
        'attribute_not_exists(pk)',
        () => new ConflictError(`Service product ${product.id} already exists`),
      );
    }
    await tx.commit();
  }

  async updateServiceProduct(previous: ServiceProduct, next: ServiceProduct, write: ConsumptionWrite) {
    const tx = this.transaction(next, write);
    tx.put(
      this.productItem(next),
      'version = :expected',
      () => new VersionConflictError(SERVICE_PRODUCT, previous.id, previous.version),
      { ':expected': previous.version },
    );
    await tx.commit();
  }

  async deleteServiceProduct(product: ServiceProduct, write: ConsumptionWrite) {
    const tx = this.transaction(product, write);
    tx.delete(
      keys.serviceProduct(product.tenantId, product.workOrderId, product.id),
      'version = :expected',
      () => new VersionConflictError(SERVICE_PRODUCT, product.id, product.version),
      { ':expected': product.version },
    );
    await tx.commit();
  }

  async spareParts(tenantId: string, workOrderId: string): Promise<SparePartUse[]> {
    const items = await queryAll(this.table, keys.spareParts(tenantId, workOrderId), { consistent: true });
    return items.map((item) => toEntity<SparePartUse>(item)).sort((a, b) => a.id.localeCompare(b.id));
  }

  async recordSparePart(use: SparePartUse, write: ConsumptionWrite) {
    const tx = this.transaction(use, write, { resourceType: SPARE_PART, resource: use });
    tx.put(
      { ...use, ...keys.sparePart(use.tenantId, use.workOrderId, use.id), entityType: SPARE_PART },
      'attribute_not_exists(pk)',
      () => new ConflictError(`Spare part use ${use.id} already exists`),
    );
    await tx.commit();
  }

  async openConfirmation(tenantId: string, workOrderId: string): Promise<string | undefined> {
    const item = await this.getItem(keys.consumptionLock(tenantId, workOrderId));
    return item ? String(item.confirmationId) : undefined;
  }

  async startConfirmation(
    confirmation: ConsumptionConfirmation,
    basis: {
      products: readonly ServiceProduct[];
      conversions: readonly { use: SparePartUse; product: ServiceProduct }[];
    },
    write: ConsumptionWrite,
  ): Promise<void> {
    const { tenantId, workOrderId } = confirmation;
    const tx = new Transaction(this.table.client, this.table.tableName);
    // The claims first: a repeated request is answered as the first was, not refused for the lock that request took.
    addEffects(tx, tenantId, { claims: write.claims ?? [], events: write.events ?? [] }, this.clock, {
      resourceType: CONFIRMATION,
      resource: confirmation,
    });
    tx.put(
      { ...keys.consumptionLock(tenantId, workOrderId), entityType: LOCK, confirmationId: confirmation.id },
      'attribute_not_exists(pk)',
      () => new ConsumptionLockedError(workOrderId, undefined),
    );
    tx.put(
      this.confirmationItem(confirmation),
      'attribute_not_exists(pk)',
      () => new ConflictError(`Confirmation ${confirmation.id} already exists`),
    );
    // What the confirmation prices is what was read: a change in between refuses the start.
    for (const product of basis.products) {
      tx.check(
        keys.serviceProduct(tenantId, workOrderId, product.id),
        'version = :expected',
        () => new VersionConflictError(SERVICE_PRODUCT, product.id, product.version),
        { ':expected': product.version },
      );
    }
    for (const { use, product } of basis.conversions) {
      tx.put(
        this.productItem(product),
        'attribute_not_exists(pk)',
        () => new ConflictError(`Spare part use ${use.id} became a service product already`),
      );
      tx.patch(
        keys.sparePart(tenantId, workOrderId, use.id),
        { set: { serviceProductId: product.id } },
        {
          expression: 'attribute_exists(pk) AND attribute_not_exists(serviceProductId)',
          onFailed: () => new ConflictError(`Spare part use ${use.id} changed; try again`),
        },
      );
    }
    tx.put(
      recordItem({ tenantId, id: workOrderId }, write.record),
      'attribute_not_exists(pk)',
      () => new ConflictError(`Service record ${write.record.id} already exists`),
    );
    await tx.commit();
  }

  async confirmation(tenantId: string, id: string): Promise<StoredConfirmation | undefined> {
    const item = await this.getItem(keys.confirmation(tenantId, id));
    if (!item) return undefined;
    const taskToken = typeof item.taskToken === 'string' ? item.taskToken : undefined;
    return { ...toEntity<ConsumptionConfirmation>(item), ...(taskToken ? { taskToken } : {}) };
  }

  async confirmationsOf(
    tenantId: string,
    workOrderId: string,
    page: PageRequest,
  ): Promise<Page<ConsumptionConfirmation>> {
    const { items, nextCursor } = await queryPage(
      this.table,
      keys.confirmationsOfWorkOrder(tenantId, workOrderId),
      page,
      { newestFirst: true },
    );
    return {
      items: items.map((item) => toEntity<ConsumptionConfirmation>(item)),
      ...(nextCursor ? { nextCursor } : {}),
    };
  }

  async saveStep(
    previous: ConsumptionConfirmation,
    next: ConsumptionConfirmation,
    write: ConsumptionWrite & { taskToken?: string },
  ): Promise<void> {
    const tx = this.stepTransaction(previous, next, write);
    await tx.commit();
  }

  async redeem(
    previous: ConsumptionConfirmation,
    next: ConsumptionConfirmation,
    redemptions: readonly Redemption[],
    write: ConsumptionWrite,
  ): Promise<void> {
    const tx = this.stepTransaction(previous, next, write);
    for (const redemption of redemptions) {
      const { agreementId, lineId, quantity } = redemption;
      tx.update(
        keys.agreementLine(previous.tenantId, agreementId, lineId),
        'SET remaining = remaining - :quantity ADD redeemed :quantity',
        'remaining >= :quantity',
        () => new RedemptionRefusedError(agreementId, lineId),
        { ':quantity': quantity },
      );
      this.ledgerEntries(tx, previous, redemption, 'redemption');
    }
    await tx.commit();
  }

  async release(
    previous: ConsumptionConfirmation,
    next: ConsumptionConfirmation,
    redemptions: readonly Redemption[],
    write: ConsumptionWrite,
  ): Promise<void> {
    const tx = this.stepTransaction(previous, next, write);
    for (const redemption of redemptions) {
      const { agreementId, lineId, quantity } = redemption;
      tx.update(
        keys.agreementLine(previous.tenantId, agreementId, lineId),
        'SET remaining = remaining + :quantity ADD released :quantity',
        'attribute_exists(pk)',
        () => new ConflictError(`Line ${lineId} of agreement ${agreementId} no longer exists`),
        { ':quantity': quantity },
      );
      this.ledgerEntries(tx, previous, redemption, 'release');
    }
    this.freeLock(tx, previous);
    await tx.commit();
  }

  async confirm(
    previous: ConsumptionConfirmation,
    next: ConsumptionConfirmation,
    order: SalesOrder | undefined,
    write: ConsumptionWrite,
  ): Promise<void> {
    const tx = this.stepTransaction(previous, next, write);
    if (order) this.orders.addCreate(tx, order);
    for (const line of previous.lines) {
      tx.patch(
        keys.serviceProduct(previous.tenantId, previous.workOrderId, line.serviceProductId),
        { set: { confirmedBy: previous.id, updatedAt: next.updatedAt }, add: { version: 1 } },
        {
          expression: 'attribute_exists(pk)',
          onFailed: () => new ConflictError(`Service product ${line.serviceProductId} no longer exists`),
        },
      );
    }
    this.freeLock(tx, previous);
    await tx.commit();
  }

  /** The confirmation's next state (conditional on the version read), its timeline entry and events. */
  private stepTransaction(
    previous: ConsumptionConfirmation,
    next: ConsumptionConfirmation,
    write: ConsumptionWrite & { taskToken?: string },
  ): Transaction {
    const tx = new Transaction(this.table.client, this.table.tableName);
    tx.put(
      { ...this.confirmationItem(next), ...(write.taskToken ? { taskToken: write.taskToken } : {}) },
      'version = :expected',
      () => new VersionConflictError(CONFIRMATION, previous.id, previous.version),
      { ':expected': previous.version },
    );
    tx.put(
      recordItem({ tenantId: previous.tenantId, id: previous.workOrderId }, write.record),
      'attribute_not_exists(pk)',
      () => new ConflictError(`Service record ${write.record.id} already exists`),
    );
    addEffects(tx, previous.tenantId, { claims: write.claims ?? [], events: write.events ?? [] }, this.clock);
    return tx;
  }

  /** One entry per service product of a redemption or release: its key makes each happen once. */
  private ledgerEntries(
    tx: Transaction,
    confirmation: ConsumptionConfirmation,
    redemption: Redemption,
    kind: 'redemption' | 'release',
  ): void {
    for (const entry of redemption.entries) {
      const key = keys.ledgerEntry(confirmation.tenantId, {
        agreementId: redemption.agreementId,
        lineId: redemption.lineId,
        confirmationId: confirmation.id,
        serviceProductId: entry.serviceProductId,
        kind,
      });
      tx.put(
        {
          ...key,
          entityType: 'AgreementLedgerEntry',
          agreementId: redemption.agreementId,
          lineId: redemption.lineId,
          kind,
          quantity: entry.quantity,
          workOrderId: confirmation.workOrderId,
          confirmationId: confirmation.id,
          serviceProductId: entry.serviceProductId,
          at: this.clock.now().toISOString(),
        },
        'attribute_not_exists(pk)',
        () =>
          new ConflictError(
            `The ${kind} of ${entry.serviceProductId} by ${confirmation.id} was made already`,
          ),
      );
    }
  }

  private freeLock(tx: Transaction, confirmation: ConsumptionConfirmation): void {
    tx.delete(
      keys.consumptionLock(confirmation.tenantId, confirmation.workOrderId),
      'confirmationId = :id',
      () => new ConflictError(`Confirmation ${confirmation.id} does not hold the work order's lock`),
      { ':id': confirmation.id },
    );
  }

  /** A write to a work order's consumption: its timeline entry, its claims, and the lock's absence. */
  private transaction(
    of: { tenantId: string; workOrderId: string },
    write: ConsumptionWrite,
    created?: { resourceType: string; resource: unknown },
  ): Transaction {
    const tx = new Transaction(this.table.client, this.table.tableName);
    tx.check(
      keys.consumptionLock(of.tenantId, of.workOrderId),
      'attribute_not_exists(pk)',
      () => new ConsumptionLockedError(of.workOrderId, undefined),
    );
    tx.put(
      recordItem({ tenantId: of.tenantId, id: of.workOrderId }, write.record),
      'attribute_not_exists(pk)',
      () => new ConflictError(`Service record ${write.record.id} already exists`),
    );
    addEffects(
      tx,
      of.tenantId,
      { claims: write.claims ?? [], events: write.events ?? [] },
      this.clock,
      created,
    );
    return tx;
  }

  private productItem(product: ServiceProduct): Record<string, unknown> {
    return {
      ...product,
      ...keys.serviceProduct(product.tenantId, product.workOrderId, product.id),
      entityType: SERVICE_PRODUCT,
    };
  }

  private confirmationItem(confirmation: ConsumptionConfirmation): Record<string, unknown> {
    return {
      ...confirmation,
      ...keys.confirmation(confirmation.tenantId, confirmation.id),
      ...keys.confirmationIndexes(confirmation.tenantId, confirmation),
      entityType: CONFIRMATION,
    };
  }

  private async getItem(key: { pk: string; sk: string }) {
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: key, ConsistentRead: true }),
    );
    return Item;
  }
}
