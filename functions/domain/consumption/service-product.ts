import * as z from 'zod/mini';
import type { Product } from '../catalog/product';
import type { Entity } from '../shared/entity';
import { ValidationError } from '../shared/errors';
import type { Money } from '../shared/schema';
import { entityFields, expectedVersion, identifier, money, optionalText } from '../shared/schema';

/** Where a service product of a work order comes from. */
export const SERVICE_PRODUCT_SOURCES = ['agreement', 'manual', 'spare-part', 'service-plan'] as const;
export type ServiceProductSource = (typeof SERVICE_PRODUCT_SOURCES)[number];

/**
 * Most service products a work order holds (spare parts not yet confirmed
 * included), so that a confirmation redeems, and later confirms, all of them
 * in one transaction each.
 */
export const MAX_SERVICE_PRODUCTS = 40;

/** Most units of one product on one work order. */
export const MAX_QUANTITY = 10_000;

/**
 * A service or spare part consumed on a work order. `quantityUsed` is what
 * was done or fitted (and what agreement coverage is redeemed for);
 * `quantityToBill` is what the customer would pay for without coverage (less
 * than used for goodwill, say). Covered units come off the quantity to bill first.
 */
export interface ServiceProduct extends Entity {
  workOrderId: string;
  productId: string;
  /** The product as it was when added, so the work order reads the same after the catalog changes. */
  productCode: string;
  productName: string;
  productKind: Product['kind'];
  serviceType?: Product['serviceType'];
  unitPrice: Money;
  quantityUsed: number;
  quantityToBill: number;
  source: ServiceProductSource;
  /** The agreement line it was created from (source `agreement` or `service-plan`). */
  agreementLine?: { agreementId: string; lineId: string };
  /** The spare-part use it was recorded as (source `spare-part`). */
  sparePartId?: string;
  note?: string;
  /** The confirmation that confirmed it: it is then final. */
  confirmedBy?: string;
}

const quantity = z.int().check(z.gte(1), z.lte(MAX_QUANTITY));
const quantityToBill = z.int().check(z.gte(0), z.lte(MAX_QUANTITY));

export const addServiceProductInput = z.strictObject({
  productId: identifier,
  quantityUsed: z.optional(quantity),
  quantityToBill: z.optional(quantityToBill),
  note: optionalText(1000),
});
export type AddServiceProductInput = z.infer<typeof addServiceProductInput>;

export const updateServiceProductInput = z.strictObject({
  quantityUsed: z.optional(quantity),
  quantityToBill: z.optional(quantityToBill),
  note: z.optional(z.nullable(z.string().check(z.trim(), z.maxLength(1000)))),
  version: expectedVersion,
});
export type UpdateServiceProductInput = z.infer<typeof updateServiceProductInput>;

export const serviceProductSchema = z.object({
  ...entityFields,
  workOrderId: z.string(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  productKind: z.enum(['service', 'spare-part']),
  serviceType: z.optional(z.enum(['recurring', 'non-recurring'])),
  unitPrice: money,
  quantityUsed: z.int(),
  quantityToBill: z.int(),
  source: z.enum(SERVICE_PRODUCT_SOURCES),
  agreementLine: z.optional(z.object({ agreementId: z.string(), lineId: z.string() })),
  sparePartId: z.optional(z.string()),
  note: z.optional(z.string()),
  confirmedBy: z.optional(z.string()),
});

/** The product's catalog fields a service product keeps. */
export function productFields(product: Product) {
  return {
    productId: product.id,
    productCode: product.code,
    productName: product.name,
    productKind: product.kind,
    ...(product.serviceType ? { serviceType: product.serviceType } : {}),
    unitPrice: product.price,
  };
}

/** A product that may be consumed: it exists and is active. */
export function consumable(product: Product | undefined, productId: string, field = 'productId'): Product {
  if (!product?.active)
    throw new ValidationError(`No active product ${productId}`, [
      { field, message: `No active product ${productId}` },
    ]);
  return product;
}

/** The quantity to bill may not exceed the quantity used. */
export function assertQuantities(next: Pick<ServiceProduct, 'quantityUsed' | 'quantityToBill'>): void {
  if (next.quantityToBill > next.quantityUsed)
    throw new ValidationError('More to bill than was used', [
      {
        field: 'quantityToBill',
        message: `At most the quantity used (${next.quantityUsed}), got ${next.quantityToBill}`,
      },
    ]);
}
