import type { SalesOrder } from '../../../domain/agreements/sales-order';
import type { ConsumptionConfirmation } from '../../../domain/consumption/confirmation';
import type { Redemption } from '../../../domain/consumption/coverage';
import { ConsumptionLockedError, RedemptionRefusedError } from '../../../domain/consumption/errors';
import type {
  ConfirmationRepository,
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
import { getConsistent, queryPage } from '../query';
import { Transaction } from '../transaction';
import { SalesOrderRepository } from './agreements';
import { putRecord, SERVICE_PRODUCT, serviceProductItem } from './consumption-items';

const CONFIRMATION = 'ConsumptionConfirmation';
const LOCK = 'ConsumptionLock';

/**
 * Consumption confirmations, each an item of its own, and the transactions
 * of their steps: the start takes the work order's lock, a redemption and a
 * release move the agreement's line counts with a ledger entry each, the
 * confirmation makes the billing order and frees the lock.
 */
export class DynamoConfirmationRepository implements ConfirmationRepository {
  private readonly orders: SalesOrderRepository;

  constructor(
    private readonly table: TableContext,
    private readonly clock: Clock,
  ) {
    this.orders = new SalesOrderRepository(table, clock);
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
        serviceProductItem(product),
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
    putRecord(tx, tenantId, workOrderId, write.record);
    await tx.commit();
  }

  async confirmation(tenantId: string, id: string): Promise<StoredConfirmation | undefined> {
    const item = await getConsistent(this.table, keys.confirmation(tenantId, id));
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
    for (const redemption of redemptions) this.moveLine(tx, previous, redemption, 'redemption');
    await tx.commit();
  }

  async release(
    previous: ConsumptionConfirmation,
    next: ConsumptionConfirmation,
    redemptions: readonly Redemption[],
    write: ConsumptionWrite,
  ): Promise<void> {
    const tx = this.stepTransaction(previous, next, write);
    for (const redemption of redemptions) this.moveLine(tx, previous, redemption, 'release');
    this.freeLock(tx, previous);
    await tx.commit();
  }

  /**
   * One line's count moved by a redemption (only while it has the units left)
   * or by its release, with a ledger entry per service product.
   */
  private moveLine(
    tx: Transaction,
    confirmation: ConsumptionConfirmation,
    redemption: Redemption,
    kind: 'redemption' | 'release',
  ): void {
    const { agreementId, lineId, quantity } = redemption;
    const key = keys.agreementLine(confirmation.tenantId, agreementId, lineId);
    if (kind === 'redemption')
      tx.update(
        key,
        'SET remaining = remaining - :quantity ADD redeemed :quantity',
        'remaining >= :quantity',
        () => new RedemptionRefusedError(agreementId, lineId),
        { ':quantity': quantity },
      );
    else
      tx.update(
        key,
        'SET remaining = remaining + :quantity ADD released :quantity',
        'attribute_exists(pk)',
        () => new ConflictError(`Line ${lineId} of agreement ${agreementId} no longer exists`),
        { ':quantity': quantity },
      );
    this.ledgerEntries(tx, confirmation, redemption, kind);
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
    putRecord(tx, previous.tenantId, previous.workOrderId, write.record);
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

  private confirmationItem(confirmation: ConsumptionConfirmation): Record<string, unknown> {
    return {
      ...confirmation,
      ...keys.confirmation(confirmation.tenantId, confirmation.id),
      ...keys.confirmationIndexes(confirmation.tenantId, confirmation),
      entityType: CONFIRMATION,
    };
  }
}
