import { authorize } from '../access/permissions';
import type { Principal } from '../access/principal';
import { ConflictError, NotFoundError } from '../shared/errors';
import { assertVersion } from '../shared/master-data-service';
import type { Claim } from '../shared/ports';
import { assertCanHandle } from '../work-orders/access';
import type { WorkOrderReader } from '../work-orders/find-work-orders';
import { assertHandleable, type WorkOrder } from '../work-orders/work-order';
import type { ConsumptionContext } from './consumption-context';
import {
  type AddServiceProductInput,
  assertQuantities,
  consumable,
  MAX_SERVICE_PRODUCTS,
  productFields,
  type ServiceProduct,
  type UpdateServiceProductInput,
} from './service-product';
import type { RecordSparePartInput, SparePartUse } from './spare-part';

/**
 * What was consumed on a work order: service products (added by hand, or
 * from the agreement when the work order was created) and the spare parts
 * engineers record. Those who may handle the work order change them; those
 * who may read it see them.
 */
export class WorkOrderConsumption {
  constructor(
    private readonly ctx: ConsumptionContext,
    private readonly reader: WorkOrderReader,
  ) {}

  async serviceProducts(principal: Principal, workOrderId: string): Promise<ServiceProduct[]> {
    const workOrder = await this.reader.get(principal, workOrderId);
    return this.ctx.serviceProducts.serviceProducts(principal.tenantId, workOrder.id);
  }

  async serviceProduct(principal: Principal, workOrderId: string, id: string): Promise<ServiceProduct> {
    const workOrder = await this.reader.get(principal, workOrderId);
    return this.found(
      await this.ctx.serviceProducts.serviceProduct(principal.tenantId, workOrder.id, id),
      id,
    );
  }

  async add(
    principal: Principal,
    workOrderId: string,
    input: AddServiceProductInput,
    claims: readonly Claim[] = [],
  ): Promise<ServiceProduct> {
    const workOrder = await this.handleable(principal, workOrderId, 'service-product:write');
    const [product, existing] = await Promise.all([
      this.ctx.products.get(principal.tenantId, input.productId),
      this.ctx.serviceProducts.serviceProducts(principal.tenantId, workOrder.id),
    ]);
    this.assertRoom(workOrder, existing.length, 1);
    const quantityUsed = input.quantityUsed ?? 1;
    const serviceProduct: ServiceProduct = {
      ...this.base(principal.tenantId),
      workOrderId: workOrder.id,
      ...productFields(consumable(product, input.productId)),
      quantityUsed,
      quantityToBill: input.quantityToBill ?? quantityUsed,
      source: 'manual',
      ...(input.note ? { note: input.note } : {}),
    };
    assertQuantities(serviceProduct);
    await this.ctx.serviceProducts.addServiceProducts([serviceProduct], {
      claims,
      record: this.ctx.record(
        workOrder.id,
        'service-product',
        principal,
        `Added ${quantityUsed} × ${serviceProduct.productName}`,
        { serviceProductId: serviceProduct.id },
      ),
    });
    return serviceProduct;
  }

  async update(
    principal: Principal,
    workOrderId: string,
    id: string,
    input: UpdateServiceProductInput,
  ): Promise<ServiceProduct> {
    const workOrder = await this.handleable(principal, workOrderId, 'service-product:write');
    const previous = this.open(
      await this.ctx.serviceProducts.serviceProduct(principal.tenantId, workOrder.id, id),
      id,
    );
    assertVersion('ServiceProduct', previous, input.version);
    const { note, version: _version, ...quantities } = input;
    const next: ServiceProduct = {
      ...previous,
      ...quantities,
      version: previous.version + 1,
      updatedAt: this.ctx.now(),
    };
    if (note === null) delete next.note;
    else if (note !== undefined) next.note = note;
    assertQuantities(next);
    await this.ctx.serviceProducts.updateServiceProduct(previous, next, {
      record: this.ctx.record(
        workOrder.id,
        'service-product',
        principal,
        `Changed ${next.productName}: ${next.quantityUsed} used, ${next.quantityToBill} to bill`,
        { serviceProductId: id },
      ),
    });
    return next;
  }

  async remove(
    principal: Principal,
    workOrderId: string,
    id: string,
    expectedVersion: number,
  ): Promise<void> {
    const workOrder = await this.handleable(principal, workOrderId, 'service-product:write');
    const product = this.open(
      await this.ctx.serviceProducts.serviceProduct(principal.tenantId, workOrder.id, id),
      id,
    );
    assertVersion('ServiceProduct', product, expectedVersion);
    await this.ctx.serviceProducts.deleteServiceProduct(product, {
      record: this.ctx.record(workOrder.id, 'service-product', principal, `Removed ${product.productName}`, {
        serviceProductId: id,
      }),
    });
  }

  async spareParts(principal: Principal, workOrderId: string): Promise<SparePartUse[]> {
    const workOrder = await this.reader.get(principal, workOrderId);
    return this.ctx.serviceProducts.spareParts(principal.tenantId, workOrder.id);
  }

  /** An engineer records a spare part fitted; it becomes a service product when the consumption is confirmed. */
  async recordSparePart(
    principal: Principal,
    workOrderId: string,
    input: RecordSparePartInput,
    claims: readonly Claim[] = [],
  ): Promise<SparePartUse> {
    const workOrder = await this.handleable(principal, workOrderId, 'spare-part:record');
    const [product, products, parts] = await Promise.all([
      this.ctx.products.get(principal.tenantId, input.productId),
      this.ctx.serviceProducts.serviceProducts(principal.tenantId, workOrder.id),
      this.ctx.serviceProducts.spareParts(principal.tenantId, workOrder.id),
    ]);
    const part = consumable(product, input.productId);
    if (part.kind !== 'spare-part')
      throw new ConflictError(
        `Product ${part.code} is a service, not a spare part: add it as a service product`,
        {
          productKind: part.kind,
        },
      );
    this.assertRoom(workOrder, products.length + parts.filter((p) => !p.serviceProductId).length, 1);
    const use: SparePartUse = {
      id: this.ctx.service.ids.next(),
      tenantId: principal.tenantId,
      workOrderId: workOrder.id,
      productId: part.id,
      productCode: part.code,
      productName: part.name,
      unitPrice: part.price,
      quantity: input.quantity,
      ...(input.note ? { note: input.note } : {}),
      recordedBy: principal.userId,
      recordedAt: this.ctx.now(),
    };
    await this.ctx.serviceProducts.recordSparePart(use, {
      claims,
      record: this.ctx.record(
        workOrder.id,
        'spare-part',
        principal,
        `Fitted ${use.quantity} × ${use.productName}`,
        {
          sparePartId: use.id,
        },
      ),
    });
    return use;
  }

  private async handleable(
    principal: Principal,
    workOrderId: string,
    permission: 'service-product:write' | 'spare-part:record',
  ) {
    authorize(principal, permission);
    const workOrder = await this.reader.get(principal, workOrderId);
    await assertCanHandle(workOrder, this.reader.viewer(principal));
    assertHandleable(workOrder);
    return workOrder;
  }

  private assertRoom(workOrder: WorkOrder, count: number, adding: number): void {
    if (count + adding > MAX_SERVICE_PRODUCTS)
      throw new ConflictError(
        `Work order ${workOrder.number} holds at most ${MAX_SERVICE_PRODUCTS} service products and unconfirmed spare parts`,
        { limit: MAX_SERVICE_PRODUCTS },
      );
  }

  private found(product: ServiceProduct | undefined, id: string): ServiceProduct {
    if (!product) throw new NotFoundError('ServiceProduct', id);
    return product;
  }

  /** A service product that may still change: confirmed ones are final. */
  private open(product: ServiceProduct | undefined, id: string): ServiceProduct {
    const found = this.found(product, id);
    if (found.confirmedBy)
      throw new ConflictError(`Service product ${id} was confirmed by ${found.confirmedBy} and is final`, {
        confirmationId: found.confirmedBy,
      });
    return found;
  }

  private base(tenantId: string) {
    const now = this.ctx.now();
    return { id: this.ctx.service.ids.next(), tenantId, version: 1, createdAt: now, updatedAt: now };
  }
}
