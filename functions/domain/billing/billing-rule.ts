import * as z from 'zod/mini';
import { SERVICE_PRODUCT_SOURCES, type ServiceProductSource } from '../consumption/service-product';
import type { Entity } from '../shared/entity';
import type { MasterDataRules } from '../shared/master-data-service';
import { applyChanges, partial } from '../shared/partial';
import { entityFields, expectedVersion, identifier, text } from '../shared/schema';
import { CHANNELS, PRIORITIES, type WorkOrder } from '../work-orders/work-order';

const list = <T extends z.ZodMiniType>(item: T) =>
  z.optional(z.array(item).check(z.minLength(1), z.maxLength(50)));

/** Conditions on the work order being billed. Every condition given must hold; one left out holds for all. */
const workOrderConditions = z.strictObject({
  typeIds: list(identifier),
  priorities: list(z.enum(PRIORITIES)),
  channels: list(z.enum(CHANNELS)),
  accountIds: list(identifier),
});

/** Conditions on one service product of it. */
const serviceProductConditions = z.strictObject({
  productIds: list(identifier),
  productKinds: list(z.enum(['service', 'spare-part'])),
  serviceTypes: list(z.enum(['recurring', 'non-recurring'])),
  sources: list(z.enum(SERVICE_PRODUCT_SOURCES)),
});

const ruleFields = {
  name: text(200),
  enabled: z.optional(z.boolean()),
  workOrder: z.optional(workOrderConditions),
  serviceProduct: z.optional(serviceProductConditions),
  /** What a matching non-warranty unit is: billed, or given at no charge (goodwill, internal work). */
  billable: z.boolean(),
};

export const createBillingRuleInput = z.strictObject(ruleFields);
export const updateBillingRuleInput = z.strictObject({ ...partial(ruleFields), version: expectedVersion });
export const billingRuleSchema = z.object({ ...entityFields, ...ruleFields, enabled: z.boolean() });

export type CreateBillingRuleInput = z.infer<typeof createBillingRuleInput>;
export type UpdateBillingRuleInput = z.infer<typeof updateBillingRuleInput>;
export type BillingRule = Entity & Omit<CreateBillingRuleInput, 'enabled'> & { enabled: boolean };

export const billingRuleRules: MasterDataRules<BillingRule, CreateBillingRuleInput, UpdateBillingRuleInput> =
  {
    resource: 'BillingRule',
    eventSource: 'fieldservice.billing',
    permissions: { read: 'billing-rule:read', write: 'billing-rule:write', delete: 'billing-rule:write' },
    create: (input, base) => ({ ...base, ...input, enabled: input.enabled ?? true }),
    update: (rule, changes) => {
      const next = applyChanges(rule, changes);
      return { ...next, enabled: next.enabled ?? true };
    },
  };

/** What a billing rule looks at of a service product. */
export interface BilledProduct {
  productId: string;
  productKind: 'service' | 'spare-part';
  serviceType?: 'recurring' | 'non-recurring' | undefined;
  source: ServiceProductSource;
}

function holds<T>(allowed: readonly T[] | undefined, value: T | undefined): boolean {
  return allowed === undefined || (value !== undefined && allowed.includes(value));
}

/** Whether the rule speaks for this service product of this work order. */
export function ruleMatches(
  rule: BillingRule,
  workOrder: Pick<WorkOrder, 'typeId' | 'priority' | 'channel' | 'accountId'>,
  product: BilledProduct,
): boolean {
  if (!rule.enabled) return false;
  const w = rule.workOrder ?? {};
  const p = rule.serviceProduct ?? {};
  return (
    holds(w.typeIds, workOrder.typeId) &&
    holds(w.priorities, workOrder.priority) &&
    holds(w.channels, workOrder.channel) &&
    holds(w.accountIds, workOrder.accountId) &&
    holds(p.productIds, product.productId) &&
    holds(p.productKinds, product.productKind) &&
    holds(p.serviceTypes, product.serviceType) &&
    holds(p.sources, product.source)
  );
}

/**
 * Whether non-warranty units of the product are billed: the first enabled
 * rule, in the order the rules were made, that matches decides; with none,
 * they are. Warranty units are never billed, whatever a rule says.
 */
export function billingDecision(
  rules: readonly BillingRule[],
  workOrder: Pick<WorkOrder, 'typeId' | 'priority' | 'channel' | 'accountId'>,
  product: BilledProduct,
): { billable: boolean; ruleId?: string } {
  const rule = rules.find((r) => ruleMatches(r, workOrder, product));
  return rule ? { billable: rule.billable, ruleId: rule.id } : { billable: true };
}
