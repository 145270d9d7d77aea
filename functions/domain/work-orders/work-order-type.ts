import * as z from 'zod/mini';
import { assertCanBeInCharge, type User } from '../organisation/user';
import type { Entity } from '../shared/entity';
import { type MasterDataRules, requireReference } from '../shared/master-data-service';
import { applyChanges, partial } from '../shared/partial';
import { entityFields, expectedVersion, identifier, optionalText, text } from '../shared/schema';

const workOrderTypeFields = {
  code: z
    .string()
    .check(z.trim(), z.minLength(1), z.maxLength(40), z.regex(/^[A-Za-z0-9._-]+$/, 'Letters, digits, . _ -')),
  name: text(200),
  description: optionalText(1000),
  /** The assignment rule (the "workflow"): new work orders of this type get this person in charge. */
  defaultOwnerId: z.optional(identifier),
  defaultPriority: z.optional(z.enum(['low', 'normal', 'high', 'urgent'])),
};

export const createWorkOrderTypeInput = z.strictObject(workOrderTypeFields);
export const updateWorkOrderTypeInput = z.strictObject({
  ...partial(workOrderTypeFields),
  version: expectedVersion,
});
export const workOrderTypeSchema = z.object({ ...entityFields, ...workOrderTypeFields });

export type CreateWorkOrderTypeInput = z.infer<typeof createWorkOrderTypeInput>;
export type UpdateWorkOrderTypeInput = z.infer<typeof updateWorkOrderTypeInput>;
export type WorkOrderType = Entity & CreateWorkOrderTypeInput;

export const workOrderTypeRules = (users: {
  get(tenantId: string, id: string): Promise<User | undefined>;
}): MasterDataRules<WorkOrderType, CreateWorkOrderTypeInput, UpdateWorkOrderTypeInput> => ({
  resource: 'WorkOrderType',
  eventSource: 'fieldservice.work-orders',
  permissions: {
    read: 'work-order-type:read',
    write: 'work-order-type:write',
    delete: 'work-order-type:write',
  },
  create: (input, base) => ({ ...base, ...input }),
  update: (type, changes) => applyChanges(type, changes),
  check: async (type, previous) => {
    if (type.defaultOwnerId !== previous?.defaultOwnerId) {
      const owner = await requireReference('defaultOwnerId', 'user', type.defaultOwnerId, (id) =>
        users.get(type.tenantId, id),
      );
      if (owner) assertCanBeInCharge(owner, 'defaultOwnerId');
    }
  },
});
