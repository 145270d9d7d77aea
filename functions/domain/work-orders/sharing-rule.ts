import * as z from 'zod/mini';
import type { Entity } from '../shared/entity';
import { ValidationError } from '../shared/errors';
import type { MasterDataRules } from '../shared/master-data-service';
import { applyChanges } from '../shared/partial';
import { entityFields, expectedVersion, identifier } from '../shared/schema';

const source = z.strictObject({ kind: z.enum(['user', 'department']), id: identifier });
const target = z.strictObject({ kind: z.enum(['user', 'department', 'group']), id: identifier });
const access = z.enum(['read-only', 'read-write']);

/**
 * A data-sharing rule: the work orders of a person in charge (or of every
 * person in charge whose main department is the source) are shared with a
 * user, a department's members or a group's members.
 */
export const createSharingRuleInput = z.strictObject({ source, target, access });
export const updateSharingRuleInput = z.strictObject({
  access: z.optional(access),
  version: expectedVersion,
});
export const sharingRuleSchema = z.object({ ...entityFields, source, target, access });

export type CreateSharingRuleInput = z.infer<typeof createSharingRuleInput>;
export type UpdateSharingRuleInput = z.infer<typeof updateSharingRuleInput>;
export type SharingRule = Entity & CreateSharingRuleInput;
export type SharingTarget = z.infer<typeof target>;

interface Exists {
  get(tenantId: string, id: string): Promise<unknown>;
}

export const sharingRuleRules = (refs: {
  users: Exists;
  departments: Exists;
  groups: Exists;
}): MasterDataRules<SharingRule, CreateSharingRuleInput, UpdateSharingRuleInput> => ({
  resource: 'SharingRule',
  eventSource: 'fieldservice.work-orders',
  permissions: { read: 'sharing-rule:read', write: 'sharing-rule:write', delete: 'sharing-rule:write' },
  create: (input, base) => ({ ...base, ...input }),
  update: (rule, changes) => applyChanges(rule, changes),
  check: async (rule, previous) => {
    if (previous) return;
    const lookups: Record<string, Exists> = {
      user: refs.users,
      department: refs.departments,
      group: refs.groups,
    };
    for (const [field, ref] of [
      ['source', rule.source],
      ['target', rule.target],
    ] as const) {
      if (!(await lookups[ref.kind]?.get(rule.tenantId, ref.id))) {
        throw new ValidationError(`${field} refers to an unknown ${ref.kind}`, [
          { field: `${field}.id`, message: `No ${ref.kind} ${ref.id}` },
        ]);
      }
    }
  },
  // Every viewer's scenes read the rules from one place, kept in the rule's own transaction.
  effects: async (next, previous) => ({
    sceneAccess: [
      next
        ? {
            kind: 'rule',
            rule: { id: next.id, source: next.source, target: next.target, access: next.access },
          }
        : { kind: 'rule-removed', ruleId: (previous as SharingRule).id },
    ],
  }),
});
