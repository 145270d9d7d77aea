import * as z from 'zod/mini';
import type { Entity } from '../shared/entity';
import { ValidationError } from '../shared/errors';
import type { MasterDataRules } from '../shared/master-data-service';
import { applyChanges, partial } from '../shared/partial';
import { entityFields, expectedVersion, money, optionalText, text } from '../shared/schema';

const productFields = {
  code: z
    .string()
    .check(z.trim(), z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9._-]+$/, 'Letters, digits, . _ -')),
  name: text(200),
  description: optionalText(2000),
  /** Service products become agreement lines; spare parts are consumed on work orders. */
  kind: z.enum(['service', 'spare-part']),
  /** Services only: recurring (periodic) or non-recurring (counted). */
  serviceType: z.optional(z.enum(['recurring', 'non-recurring'])),
  unit: optionalText(20),
  price: money,
  active: z.optional(z.boolean()),
};

export const createProductInput = z.strictObject(productFields);
export const updateProductInput = z.strictObject({ ...partial(productFields), version: expectedVersion });
export const productSchema = z.object({ ...entityFields, ...productFields, active: z.boolean() });

export type CreateProductInput = z.infer<typeof createProductInput>;
export type UpdateProductInput = z.infer<typeof updateProductInput>;
export type Product = Entity & Omit<CreateProductInput, 'active'> & { active: boolean };

export const productRules: MasterDataRules<Product, CreateProductInput, UpdateProductInput> = {
  resource: 'Product',
  eventSource: 'fieldservice.catalog',
  permissions: { read: 'product:read', write: 'product:write', delete: 'product:write' },
  create: (input, base) => ({ ...base, ...input, active: input.active ?? true }),
  update: (product, changes) => applyChanges(product, changes),
  check: async (product) => {
    if (product.kind === 'service' && !product.serviceType) {
      throw new ValidationError('A service product is recurring or non-recurring', [
        { field: 'serviceType', message: 'Required when kind is service' },
      ]);
    }
    if (product.kind === 'spare-part' && product.serviceType) {
      throw new ValidationError('A spare part has no service type', [
        { field: 'serviceType', message: 'Only for kind service' },
      ]);
    }
  },
};
