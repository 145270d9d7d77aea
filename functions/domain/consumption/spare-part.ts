import * as z from 'zod/mini';
import { identifier, type Money, money, optionalText } from '../shared/schema';
import { MAX_QUANTITY, type ServiceProduct } from './service-product';

/**
 * A spare part an engineer fitted, as recorded on site. It becomes a service
 * product of the work order (source `spare-part`, same id) when the
 * consumption is confirmed; until then it is a record of what was used.
 */
export interface SparePartUse {
  id: string;
  tenantId: string;
  workOrderId: string;
  productId: string;
  productCode: string;
  productName: string;
  /** As the catalog priced it when it was recorded. */
  unitPrice: Money;
  quantity: number;
  note?: string;
  recordedBy: string;
  recordedAt: string;
  /** Set once it became a service product. */
  serviceProductId?: string;
}

export const recordSparePartInput = z.strictObject({
  productId: identifier,
  quantity: z.int().check(z.gte(1), z.lte(MAX_QUANTITY)),
  note: optionalText(1000),
});
export type RecordSparePartInput = z.infer<typeof recordSparePartInput>;

export const sparePartSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  workOrderId: z.string(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  unitPrice: money,
  quantity: z.int(),
  note: z.optional(z.string()),
  recordedBy: z.string(),
  recordedAt: z.string(),
  serviceProductId: z.optional(z.string()),
});

/** The service product a spare-part use becomes when its consumption is confirmed: the same id, its price. */
export function serviceProductOf(use: SparePartUse, at: string): ServiceProduct {
  return {
    id: use.id,
    tenantId: use.tenantId,
    version: 1,
    createdAt: at,
    updatedAt: at,
    workOrderId: use.workOrderId,
    productId: use.productId,
    productCode: use.productCode,
    productName: use.productName,
    productKind: 'spare-part',
    unitPrice: use.unitPrice,
    quantityUsed: use.quantity,
    quantityToBill: use.quantity,
    source: 'spare-part',
    sparePartId: use.id,
    ...(use.note ? { note: use.note } : {}),
  };
}
