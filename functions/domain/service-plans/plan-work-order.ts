import type { IdGenerator } from '../../shared/clock';
import type { SystemActor } from '../access/actor';
import type { AgreementView } from '../agreements/agreement';
import type { Product } from '../catalog/product';
import { productFields, type ServiceProduct } from '../consumption/service-product';
import { ConflictError } from '../shared/errors';
import type { Companion, WriteEffects } from '../shared/ports';
import type { CreateOptions } from '../work-orders/create-work-order';
import type { CreateWorkOrderInput, WorkOrder } from '../work-orders/work-order';
import { occurrenceGenerated } from './events';
import type { GeneratedOccurrence } from './occurrence';
import type { PlanOccurrence } from './plan-series';
import { type ServicePlan, templateProductsOf } from './service-plan';

/** The system actor a plan creates its work orders as: `service-plan:<plan id>`. */
export const planActor = (plan: Pick<ServicePlan, 'tenantId' | 'id'>): SystemActor => ({
  tenantId: plan.tenantId,
  system: 'service-plan',
  id: plan.id,
});

/** What each occurrence's work order is, by the plan's template. */
export function workOrderInputOf(
  plan: ServicePlan,
  occurrence: Pick<PlanOccurrence, 'date'>,
): CreateWorkOrderInput {
  const { template } = plan;
  return {
    title: `${template.title ?? plan.name} (${occurrence.date})`,
    ...(template.description ? { description: template.description } : {}),
    ...(template.typeId ? { typeId: template.typeId } : {}),
    ...(template.priority ? { priority: template.priority } : {}),
    accountId: plan.target.accountId,
    ...(plan.target.deviceId ? { deviceId: plan.target.deviceId } : {}),
    ...(template.ownerId ? { ownerId: template.ownerId } : {}),
    ...(template.team ? { team: template.team } : {}),
    channel: 'plan',
  };
}

/** The template's service products as lines of the agreement, each with its catalog product. */
export interface PlannedProduct {
  lineId: string;
  quantity: number;
  product: Product;
}

/**
 * Everything one occurrence's work order is created with, in its one
 * transaction: the occurrence's record (its claim), its service products, the
 * event, and a check that the plan is still the version it was generated from.
 */
export function occurrenceWrite(
  plan: ServicePlan,
  occurrence: PlanOccurrence,
  products: readonly PlannedProduct[],
  context: { ids: IdGenerator; now: string },
): CreateOptions {
  return {
    origin: { planId: plan.id, occurrence: occurrence.date },
    servicePlan: { planId: plan.id, occurrence: occurrence.date, dueAt: occurrence.at },
    also: (workOrder: WorkOrder): WriteEffects => {
      const record: GeneratedOccurrence = {
        tenantId: plan.tenantId,
        planId: plan.id,
        date: occurrence.date,
        local: occurrence.local,
        at: occurrence.at,
        workOrderId: workOrder.id,
        workOrderNumber: workOrder.number,
        planVersion: plan.version,
        revision: plan.revision ?? 1,
        generatedAt: context.now,
      };
      const serviceProducts: Companion[] = products.map(({ lineId, quantity, product }) => ({
        aggregate: 'work-order-service-product',
        entity: {
          id: context.ids.next(),
          tenantId: plan.tenantId,
          version: 1,
          createdAt: context.now,
          updatedAt: context.now,
          workOrderId: workOrder.id,
          ...productFields(product),
          quantityUsed: quantity,
          quantityToBill: quantity,
          source: 'service-plan',
          agreementLine: { agreementId: plan.agreementId, lineId },
        } satisfies ServiceProduct,
      }));
      return {
        companions: [{ aggregate: 'service-plan-occurrence', entity: record }, ...serviceProducts],
        events: [
          occurrenceGenerated(record, {
            id: context.ids.next(),
            occurredAt: context.now,
            actorId: `service-plan:${plan.id}`,
          }),
        ],
        unchanged: [
          { aggregate: 'service-plan', tenantId: plan.tenantId, id: plan.id, version: plan.version },
        ],
      };
    },
  };
}

/** The template's products, read from the catalog once per run; a line or product gone is named. */
export async function plannedProducts(
  plan: ServicePlan,
  agreement: AgreementView,
  products: (id: string) => Promise<Product | undefined>,
): Promise<PlannedProduct[]> {
  const planned: PlannedProduct[] = [];
  for (const { lineId, quantity } of templateProductsOf(plan)) {
    const line = agreement.lines.find((candidate) => candidate.id === lineId);
    if (!line) throw new PlanTemplateError(`Line ${lineId} of agreement ${agreement.id} is gone`);
    const product = await products(line.productId);
    if (!product) throw new PlanTemplateError(`Product ${line.productId} of line ${lineId} is gone`);
    planned.push({ lineId, quantity, product });
  }
  return planned;
}

/** The plan's template cannot be made into a work order as it stands (a product or line gone). */
export class PlanTemplateError extends ConflictError {}
