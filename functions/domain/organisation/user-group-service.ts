import { authorize } from '../access/permissions';
import type { Principal } from '../access/principal';
import { type Page, type PageRequest, pageRequest } from '../shared/entity';
import { ValidationError } from '../shared/errors';
import { assertVersion, MasterDataService } from '../shared/master-data-service';
import type { Repository, WriteEffects } from '../shared/ports';
import type { User } from './user';
import type {
  ChangeMembersInput,
  CreateUserGroupInput,
  Membership,
  UpdateUserGroupInput,
  UserGroup,
} from './user-group';

export interface UserGroupRepository extends Repository<UserGroup> {
  members(tenantId: string, groupId: string, page: PageRequest): Promise<Page<Membership>>;
  /** Which of these users are members now. */
  membersAmong(tenantId: string, groupId: string, userIds: string[]): Promise<Set<string>>;
  changeMembers(
    previous: UserGroup,
    next: UserGroup,
    add: Membership[],
    remove: string[],
    effects?: WriteEffects,
  ): Promise<void>;
}

/** User groups: the master-data operations plus adding and removing members. */
export class UserGroupService extends MasterDataService<
  UserGroup,
  CreateUserGroupInput,
  UpdateUserGroupInput
> {
  constructor(
    private readonly groups: UserGroupRepository,
    private readonly users: { get(tenantId: string, id: string): Promise<User | undefined> },
    rules: ConstructorParameters<
      typeof MasterDataService<UserGroup, CreateUserGroupInput, UpdateUserGroupInput>
    >[1],
    context: ConstructorParameters<typeof MasterDataService>[2],
  ) {
    super(groups, rules, context);
  }

  async members(
    principal: Principal,
    groupId: string,
    page: Partial<PageRequest>,
  ): Promise<Page<Membership>> {
    authorize(principal, 'user-group:read');
    await this.load(principal, groupId);
    return this.groups.members(principal.tenantId, groupId, pageRequest(page));
  }

  async changeMembers(principal: Principal, groupId: string, input: ChangeMembersInput): Promise<UserGroup> {
    authorize(principal, 'user-group:write');
    const add = [...new Set(input.add ?? [])];
    const remove = [...new Set(input.remove ?? [])];
    const both = add.filter((id) => remove.includes(id));
    if (both.length > 0) {
      throw new ValidationError('A user cannot be added and removed at once', [
        { field: 'remove', message: `Also in add: ${both.join(', ')}` },
      ]);
    }
    const group = await this.load(principal, groupId);
    assertVersion('UserGroup', group, input.version);
    const unknown: string[] = [];
    for (const userId of add) {
      if (!(await this.users.get(principal.tenantId, userId))) unknown.push(userId);
    }
    if (unknown.length > 0) {
      throw new ValidationError('Unknown users', [
        { field: 'add', message: `No user ${unknown.join(', ')}` },
      ]);
    }
    const current = await this.groups.membersAmong(principal.tenantId, groupId, [...add, ...remove]);
    const toAdd = add.filter((id) => !current.has(id));
    const toRemove = remove.filter((id) => current.has(id));
    const now = this.context.clock.now().toISOString();
    const next: UserGroup = {
      ...group,
      memberCount: group.memberCount + toAdd.length - toRemove.length,
      version: group.version + 1,
      updatedAt: now,
    };
    await this.groups.changeMembers(
      group,
      next,
      toAdd.map((userId) => ({ groupId, userId, addedAt: now })),
      toRemove,
      {
        sceneAccess: [
          ...toAdd.map((userId) => ({ kind: 'group' as const, userId, groupId, member: true })),
          ...toRemove.map((userId) => ({ kind: 'group' as const, userId, groupId, member: false })),
        ],
        events: [
          {
            id: this.context.ids.next(),
            type: 'UserGroupMembersChanged',
            source: 'fieldservice.organisation',
            tenantId: principal.tenantId,
            occurredAt: now,
            actorId: principal.userId,
            detail: { id: groupId, version: next.version, added: toAdd, removed: toRemove },
          },
        ],
      },
    );
    return next;
  }
}
