import * as z from 'zod/mini';
import { type AgreementLine, RECORD_TYPES } from '../agreements/agreement';
import type { Entity } from '../shared/entity';
import type { MasterDataRules } from '../shared/master-data-service';
import { applyChanges, partial } from '../shared/partial';
import { entityFields, expectedVersion, identifier, text } from '../shared/schema';

const list = <T extends z.ZodMiniType>(item: T) =>
  z.optional(z.array(item).check(z.minLength(1), z.maxLength(50)));

/** Which agreement lines a rule takes: every condition given must hold; one left out holds for all. */
const conditions = z.strictObject({
  recordTypes: list(z.enum(RECORD_TYPES)),
  productIds: list(identifier),
  autoCreate: z.optional(z.boolean()),
});

const ruleFields = {
  name: text(200),
  enabled: z.optional(z.boolean()),
  /** Rules are tried from the lowest order up (then oldest first); the first that takes a line wins. */
  order: z.optional(z.int().check(z.gte(0), z.lte(10_000))),
  conditions: z.optional(conditions),
};

export const createPlanRuleInput = z.strictObject(ruleFields);
export const updatePlanRuleInput = z.strictObject({ ...partial(ruleFields), version: expectedVersion });
export const planRuleSchema = z.object({
  ...entityFields,
  ...ruleFields,
  enabled: z.boolean(),
  order: z.int(),
});

export type CreatePlanRuleInput = z.infer<typeof createPlanRuleInput>;
export type UpdatePlanRuleInput = z.infer<typeof updatePlanRuleInput>;
export type PlanRule = Entity &
  Omit<CreatePlanRuleInput, 'enabled' | 'order'> & { enabled: boolean; order: number };

const DEFAULT_ORDER = 100;

export const planRuleRules: MasterDataRules<PlanRule, CreatePlanRuleInput, UpdatePlanRuleInput> = {
  resource: 'PlanRule',
  eventSource: 'fieldservice.service-plans',
  permissions: { read: 'plan-rule:read', write: 'plan-rule:write', delete: 'plan-rule:write' },
  create: (input, base) => ({
    ...base,
    ...input,
    enabled: input.enabled ?? true,
    order: input.order ?? DEFAULT_ORDER,
  }),
  update: (rule, changes) => {
    const next = applyChanges(rule, changes);
    return { ...next, enabled: next.enabled ?? true, order: next.order ?? DEFAULT_ORDER };
  },
};

function takes(rule: PlanRule, line: AgreementLine): boolean {
  const c = rule.conditions ?? {};
  if (c.recordTypes && !c.recordTypes.includes(line.recordType)) return false;
  if (c.productIds && !c.productIds.includes(line.productId)) return false;
  if (c.autoCreate !== undefined && c.autoCreate !== line.autoCreate) return false;
  return true;
}

/**
 * The agreement line whose coverage a plan consumes when it names none: the
 * first line (in the agreement's order) taken by the first enabled rule, in
 * rule order; none when no rule takes any line.
 */
export function lineChosenBy(
  rules: readonly PlanRule[],
  lines: readonly AgreementLine[],
): { line: AgreementLine; rule: PlanRule } | undefined {
  const ordered = rules
    .filter((rule) => rule.enabled)
    .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  for (const rule of ordered) {
    const line = lines.find((candidate) => takes(rule, candidate));
    if (line) return { line, rule };
  }
  return undefined;
}
