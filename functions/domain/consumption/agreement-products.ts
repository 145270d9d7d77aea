import type { SystemActor } from '../access/actor';
import type { ConsumptionContext } from './consumption-context';
import { MAX_SERVICE_PRODUCTS, productFields, type ServiceProduct } from './service-product';

/** The claim that makes a work order's agreement products be added once, however often its creation is announced. */
export const AGREEMENT_PRODUCTS_SCOPE = 'agreement-products';

/** The service products a new work order gets from the agreement that covers it. */
export class AgreementProducts {
  constructor(private readonly ctx: ConsumptionContext) {}

  /**
   * A new work order for a device or account that an active agreement
   * covers gets the agreement's auto-create lines as service products,
   * quantity 1. Once per work order (a claim), however often its creation is
   * announced; nothing when no agreement covers it on the day it was created.
   */
  async add(
    tenantId: string,
    workOrderId: string,
  ): Promise<{ added: number; agreementId?: string; reason?: string }> {
    const actor: SystemActor = { tenantId, system: 'workflow', id: 'agreement-products' };
    const workOrder = await this.ctx.workOrders.get(tenantId, workOrderId);
    if (!workOrder) return { added: 0, reason: 'no such work order' };
    const matched = await this.ctx.agreementFor(workOrder, workOrder.createdAt.slice(0, 10));
    if (!matched) return { added: 0, reason: 'no agreement covers it' };
    const agreement = await this.ctx.agreements.get(tenantId, matched.id);
    const lines = (agreement?.lines ?? []).filter((line) => line.autoCreate).slice(0, MAX_SERVICE_PRODUCTS);
    if (lines.length === 0) return { added: 0, agreementId: matched.id, reason: 'no auto-create lines' };
    const products = await Promise.all(lines.map((line) => this.ctx.products.get(tenantId, line.productId)));
    const now = this.ctx.now();
    const serviceProducts = lines.flatMap((line, index): ServiceProduct[] => {
      const product = products[index];
      if (!product) return [];
      return [
        {
          id: this.ctx.service.ids.next(),
          tenantId,
          version: 1,
          createdAt: now,
          updatedAt: now,
          workOrderId,
          ...productFields(product),
          quantityUsed: 1,
          quantityToBill: 1,
          source: 'agreement',
          agreementLine: { agreementId: matched.id, lineId: line.id },
        },
      ];
    });
    await this.ctx.serviceProducts.addServiceProducts(serviceProducts, {
      claims: [{ kind: 'once', scope: AGREEMENT_PRODUCTS_SCOPE, key: workOrderId, refersTo: matched.id }],
      record: this.ctx.record(
        workOrderId,
        'service-product',
        actor,
        `Added ${serviceProducts.length} service products of agreement ${matched.name}`,
        { agreementId: matched.id },
      ),
    });
    return { added: serviceProducts.length, agreementId: matched.id };
  }
}
