import * as z from 'zod/mini';
import { paymentSettingsSchema } from '../billing/payment-payload';
import type { Entity } from '../shared/entity';
import { entityFields, expectedVersion, identifier, text } from '../shared/schema';

/**
 * Which agreement applies when several cover the same device or account on
 * a day: the one that ends first (its coverage is used before it lapses), or
 * the newest. `ends-first` when not set.
 */
export const AGREEMENT_MATCHING = ['ends-first', 'newest-first'] as const;
export type AgreementMatching = (typeof AGREEMENT_MATCHING)[number];

export const tenantSettingsSchema = z.strictObject({
  /** How staff find customers while creating a work order: prefix search, or only the full value. */
  customerLookup: z.enum(['fuzzy', 'exact']),
  /** Whether a department head also sees the work of sub-departments ("superior visible data scope"). */
  superiorVisibleDataScope: z.enum(['own-department', 'with-sub-departments']),
  /** Which agreement covers a work order when several do (device agreements always before account ones). */
  agreementMatching: z.optional(z.enum(AGREEMENT_MATCHING)),
  /** How billing orders are paid: the payment QR carries a link of this template, or an EPC credit transfer. */
  payment: z.optional(paymentSettingsSchema),
  /** What becomes of work orders a plan generated that nobody has started yet. */
  servicePlans: z.optional(
    z.strictObject({
      /** When the plan's recurrence, template or line changes: cancel them and generate them again (default no). */
      regenerateUnstarted: z.optional(z.boolean()),
      /** When the agreement expires or is terminated: keep them (default) or cancel them. */
      unstartedOnAgreementEnd: z.optional(z.enum(['keep', 'cancel'])),
    }),
  ),
});
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

export const tenantId = z
  .string()
  .check(
    z.minLength(2),
    z.maxLength(40),
    z.regex(/^[a-z0-9][a-z0-9-]*$/, 'Lower-case letters, digits and -'),
  );

export const createTenantInput = z.strictObject({
  id: tenantId,
  name: text(200),
  settings: z.optional(z.partial(tenantSettingsSchema)),
  admin: z.strictObject({ id: z.optional(identifier), name: text(200), email: z.string().check(z.email()) }),
});
export const updateTenantInput = z.strictObject({
  name: z.optional(text(200)),
  settings: z.optional(z.partial(tenantSettingsSchema)),
  version: expectedVersion,
});
export const tenantSchema = z.object({ ...entityFields, name: z.string(), settings: tenantSettingsSchema });

export type CreateTenantInput = z.infer<typeof createTenantInput>;
export type UpdateTenantInput = z.infer<typeof updateTenantInput>;
export type Tenant = Entity & { name: string; settings: TenantSettings };
