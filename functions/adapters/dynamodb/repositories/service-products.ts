import { ConsumptionLockedError } from '../../../domain/consumption/errors';
import type { ConsumptionWrite, ServiceProductRepository } from '../../../domain/consumption/ports';
import type { ServiceProduct } from '../../../domain/consumption/service-product';
import type { SparePartUse } from '../../../domain/consumption/spare-part';
import { ConflictError, VersionConflictError } from '../../../domain/shared/errors';
import type { Clock } from '../../../shared/clock';
import type { TableContext } from '../client';
import { addEffects } from '../effects';
import { keys } from '../keys';
import { toEntity } from '../master-data-store';
import { getConsistent, queryAll } from '../query';
import { Transaction } from '../transaction';
import { putRecord, SERVICE_PRODUCT, serviceProductItem } from './consumption-items';

const SPARE_PART = 'SparePartUse';

/**
 * A work order's service products and spare-part uses, in its item
 * collection. Every write checks, in its transaction, that no confirmation
 * holds the work order's lock, so a confirmation prices exactly what it snapshotted.
 */
export class DynamoServiceProductRepository implements ServiceProductRepository {
  constructor(
    private readonly table: TableContext,
    private readonly clock: Clock,
  ) {}

  async serviceProducts(tenantId: string, workOrderId: string): Promise<ServiceProduct[]> {
    const items = await queryAll(this.table, keys.serviceProducts(tenantId, workOrderId), {
      consistent: true,
    });
    return items.map((item) => toEntity<ServiceProduct>(item)).sort((a, b) => a.id.localeCompare(b.id));
  }

  async serviceProduct(tenantId: string, workOrderId: string, id: string) {
    const item = await getConsistent(this.table, keys.serviceProduct(tenantId, workOrderId, id));
    return item ? toEntity<ServiceProduct>(item) : undefined;
  }

  async addServiceProducts(products: readonly ServiceProduct[], write: ConsumptionWrite): Promise<void> {
    const first = products[0];
    if (!first) return;
    const tx = this.transaction(first, write, { resourceType: SERVICE_PRODUCT, resource: first });
    for (const product of products) {
      tx.put(
        serviceProductItem(product),
        'attribute_not_exists(pk)',
        () => new ConflictError(`Service product ${product.id} already exists`),
      );
    }
    await tx.commit();
  }

  async updateServiceProduct(previous: ServiceProduct, next: ServiceProduct, write: ConsumptionWrite) {
    const tx = this.transaction(next, write);
    tx.put(
      serviceProductItem(next),
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
    const item = await getConsistent(this.table, keys.consumptionLock(tenantId, workOrderId));
    return item ? String(item.confirmationId) : undefined;
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
    putRecord(tx, of.tenantId, of.workOrderId, write.record);
    addEffects(
      tx,
      of.tenantId,
      { claims: write.claims ?? [], events: write.events ?? [] },
      this.clock,
      created,
    );
    return tx;
  }
}
