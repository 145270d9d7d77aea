import * as z from 'zod/mini';
import type { Entity } from '../shared/entity';
import { ConflictError } from '../shared/errors';
import type { MasterDataRules } from '../shared/master-data-service';
import { applyChanges, partial } from '../shared/partial';
import { entityFields, expectedVersion, identifier, optionalText, text } from '../shared/schema';

const userGroupFields = {
  name: text(200),
  description: optionalText(1000),
};

export const createUserGroupInput = z.strictObject(userGroupFields);
export const updateUserGroupInput = z.strictObject({ ...partial(userGroupFields), version: expectedVersion });
export const userGroupSchema = z.object({ ...entityFields, ...userGroupFields, memberCount: z.int() });

/** Members change through their own route, a bounded number per call so each call is one transaction. */
/** Each member added or removed is two writes (the membership, the member's scene profile) of one transaction. */
export const MAX_MEMBERS_PER_CHANGE = 24;
export const changeMembersInput = z.strictObject({
  add: z.optional(z.array(identifier).check(z.maxLength(MAX_MEMBERS_PER_CHANGE))),
  remove: z.optional(z.array(identifier).check(z.maxLength(MAX_MEMBERS_PER_CHANGE))),
  version: expectedVersion,
});
export const membershipSchema = z.object({ groupId: z.string(), userId: z.string(), addedAt: z.string() });

export type CreateUserGroupInput = z.infer<typeof createUserGroupInput>;
export type UpdateUserGroupInput = z.infer<typeof updateUserGroupInput>;
export type ChangeMembersInput = z.infer<typeof changeMembersInput>;
export type UserGroup = Entity & CreateUserGroupInput & { memberCount: number };
export type Membership = z.infer<typeof membershipSchema>;

export const userGroupRules: MasterDataRules<UserGroup, CreateUserGroupInput, UpdateUserGroupInput> = {
  resource: 'UserGroup',
  eventSource: 'fieldservice.organisation',
  permissions: { read: 'user-group:read', write: 'user-group:write', delete: 'user-group:write' },
  create: (input, base) => ({ ...base, ...input, memberCount: 0 }),
  update: (group, changes) => applyChanges(group, changes),
  checkDelete: async (group) => {
    if (group.memberCount > 0)
      throw new ConflictError(`User group ${group.id} still has ${group.memberCount} members`);
  },
};
