import * as z from 'zod/mini';
import { ROLES } from '../access/principal';
import type { Entity } from '../shared/entity';
import { ConflictError, ValidationError } from '../shared/errors';
import { type MasterDataRules, requireReference } from '../shared/master-data-service';
import { applyChanges, partial } from '../shared/partial';
import { email, entityFields, expectedVersion, identifier, phone, text } from '../shared/schema';
import type { Department } from './department';
import { assertAcyclic } from './hierarchy';
import { userFacts } from './org-chart';
import type { OrgChartListener } from './org-chart-listener';

const userFields = {
  name: text(200),
  email,
  phone: z.optional(phone),
  roles: z.array(z.enum(ROLES)).check(z.minLength(1), z.maxLength(ROLES.length)),
  mainDepartmentId: z.optional(identifier),
  superiorId: z.optional(identifier),
  status: z.optional(z.enum(['active', 'disabled'])),
};

export const createUserInput = z.strictObject({
  ...userFields,
  /** Chosen by the caller when the user already has a login (e.g. its Cognito username); generated otherwise. */
  id: z.optional(identifier),
});
export const updateUserInput = z.strictObject({ ...partial(userFields), version: expectedVersion });
export const userSchema = z.object({
  ...entityFields,
  ...userFields,
  status: z.enum(['active', 'disabled']),
});

export type CreateUserInput = z.infer<typeof createUserInput>;
export type UpdateUserInput = z.infer<typeof updateUserInput>;
export type User = Entity & Omit<CreateUserInput, 'id' | 'status'> & { status: 'active' | 'disabled' };

/**
 * The one rule for putting someone in charge of work (a work order's owner,
 * a type's assignment rule, a reminder's recipient): a disabled user never is.
 */
export function assertCanBeInCharge(user: User, field: string): void {
  if (user.status === 'disabled')
    throw new ValidationError(`User ${user.id} is disabled`, [
      { field, message: `User ${user.id} is disabled` },
    ]);
}

export interface UserLookup {
  get(tenantId: string, id: string): Promise<User | undefined>;
  hasSubordinates(tenantId: string, id: string): Promise<boolean>;
}

export const userRules = (
  users: UserLookup,
  departments: { get(tenantId: string, id: string): Promise<Department | undefined> },
  orgChart: OrgChartListener,
): MasterDataRules<User, CreateUserInput, UpdateUserInput> => ({
  resource: 'User',
  eventSource: 'fieldservice.organisation',
  permissions: { read: 'user:read', write: 'user:write', delete: 'user:write' },
  create: ({ id, ...input }, base) => ({
    ...base,
    ...input,
    id: id ?? base.id,
    status: input.status ?? 'active',
  }),
  update: (user, changes) => applyChanges(user, changes),
  check: async (user, previous) => {
    user.roles = [...new Set(user.roles)];
    if (user.mainDepartmentId !== previous?.mainDepartmentId) {
      await requireReference('mainDepartmentId', 'department', user.mainDepartmentId, (id) =>
        departments.get(user.tenantId, id),
      );
    }
    if (user.superiorId !== previous?.superiorId && user.superiorId) {
      await assertAcyclic({
        selfId: user.id,
        startId: user.superiorId,
        field: 'superiorId',
        noun: 'superior',
        parentOf: async (id) => {
          const superior = await users.get(user.tenantId, id);
          return superior && { parentId: superior.superiorId };
        },
      });
    }
  },
  checkDelete: async (user) => {
    if (await users.hasSubordinates(user.tenantId, user.id)) {
      throw new ConflictError(`User ${user.id} still has subordinates; give them another superior first`);
    }
  },
  effects: async (next, previous) => {
    const facts = userFacts(previous, next);
    const tenantId = (next ?? previous)?.tenantId;
    const chart =
      facts.length > 0 && tenantId ? await orgChart.changed(tenantId, facts, { newcomer: !previous }) : {};
    const department = next && next.mainDepartmentId !== previous?.mainDepartmentId;
    return {
      ...chart,
      ...(next && (department || !previous)
        ? {
            sceneAccess: [
              {
                kind: 'viewer',
                userId: next.id,
                created: !previous,
                ...(next.mainDepartmentId ? { department: next.mainDepartmentId } : {}),
              },
            ],
          }
        : {}),
    };
  },
});
