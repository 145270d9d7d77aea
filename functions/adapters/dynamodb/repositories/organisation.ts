import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Department, DepartmentLookup } from '../../../domain/organisation/department';
import type { Tenant } from '../../../domain/organisation/tenant';
import type { TenantRepository } from '../../../domain/organisation/tenant-service';
import type { User, UserLookup } from '../../../domain/organisation/user';
import type { Membership, UserGroup } from '../../../domain/organisation/user-group';
import type { UserGroupRepository } from '../../../domain/organisation/user-group-service';
import type { Page, PageRequest } from '../../../domain/shared/entity';
import { ConflictError, VersionConflictError } from '../../../domain/shared/errors';
import type { WriteEffects } from '../../../domain/shared/ports';
import type { Clock } from '../../../shared/clock';
import type { TableContext } from '../client';
import { addEffects } from '../effects';
import { keys } from '../keys';
import { MasterDataStore, toEntity } from '../master-data-store';
import { queryAll, queryPage } from '../query';

export class UserRepository extends MasterDataStore<User> implements UserLookup {
  constructor(table: TableContext, clock: Clock) {
    super(
      table,
      {
        resource: 'User',
        type: 'USER',
        indexKeys: (user) => keys.userIndexes(user.tenantId, user),
        uniqueValues: (user) => [{ scope: 'USER_EMAIL', value: user.email, field: 'email' }],
      },
      clock,
    );
  }

  hasSubordinates(tenantId: string, id: string): Promise<boolean> {
    return this.anyInIndex(keys.subordinatesOf(tenantId, id));
  }

  /** Direct subordinates, a page at a time. */
  subordinates(tenantId: string, id: string, page: PageRequest): Promise<Page<User>> {
    return this.queryEntities(keys.subordinatesOf(tenantId, id), page);
  }
}

export class DepartmentRepository extends MasterDataStore<Department> implements DepartmentLookup {
  constructor(table: TableContext, clock: Clock) {
    super(
      table,
      {
        resource: 'Department',
        type: 'DEPARTMENT',
        indexKeys: (department) => keys.departmentIndexes(department.tenantId, department),
      },
      clock,
    );
  }

  hasChildren(tenantId: string, id: string): Promise<boolean> {
    return this.anyInIndex(keys.childrenOfDepartment(tenantId, id));
  }

  hasMembers(tenantId: string, id: string): Promise<boolean> {
    return this.anyInIndex(keys.membersOfDepartment(tenantId, id));
  }
}

export class DynamoUserGroupRepository extends MasterDataStore<UserGroup> implements UserGroupRepository {
  constructor(table: TableContext, clock: Clock) {
    super(table, { resource: 'UserGroup', type: 'GROUP' }, clock);
  }

  async members(tenantId: string, groupId: string, page: PageRequest): Promise<Page<Membership>> {
    const { items, nextCursor } = await queryPage(this.table, keys.groupMembersList(tenantId, groupId), page);
    return { items: items.map((item) => toEntity<Membership>(item)), nextCursor };
  }

  async membersAmong(tenantId: string, groupId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const { Responses = {} } = await this.table.client.send(
      new BatchGetCommand({
        RequestItems: {
          [this.table.tableName]: {
            Keys: userIds.map((userId) => {
              const { pk, sk } = keys.groupMembership(tenantId, groupId, userId);
              return { pk, sk };
            }),
            ConsistentRead: true,
            ProjectionExpression: 'userId',
          },
        },
      }),
    );
    return new Set((Responses[this.table.tableName] ?? []).map((item) => String(item.userId)));
  }

  async changeMembers(
    previous: UserGroup,
    next: UserGroup,
    add: Membership[],
    remove: string[],
    effects?: WriteEffects,
  ): Promise<void> {
    const tx = this.transaction();
    tx.put(
      this.toItem(next),
      'version = :expected',
      () => new VersionConflictError('UserGroup', previous.id, previous.version),
      {
        ':expected': previous.version,
      },
    );
    for (const membership of add) {
      tx.put(
        {
          ...keys.groupMembership(next.tenantId, next.id, membership.userId),
          entityType: 'UserGroupMembership',
          ...membership,
        },
        'attribute_not_exists(pk)',
        () => new ConflictError(`User ${membership.userId} is already a member`),
      );
    }
    for (const userId of remove) {
      const { pk, sk } = keys.groupMembership(next.tenantId, next.id, userId);
      tx.delete(
        { pk, sk },
        'attribute_exists(pk)',
        () => new ConflictError(`User ${userId} is not a member`),
      );
    }
    addEffects(tx, next.tenantId, effects, this.clock);
    await tx.commit();
  }

  /** The ids of the groups a user belongs to (for data-sharing rules). */
  async groupsOf(tenantId: string, userId: string): Promise<string[]> {
    const items = await queryAll(this.table, keys.groupsOfUser(tenantId, userId), {
      projection: ['groupId'],
    });
    return items.map((item) => String(item.groupId));
  }
}

export class DynamoTenantRepository implements TenantRepository {
  private readonly users: UserRepository;

  constructor(
    private readonly table: TableContext,
    private readonly clock: Clock,
  ) {
    this.users = new UserRepository(table, clock);
  }

  async get(tenantId: string): Promise<Tenant | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.tenant(tenantId), ConsistentRead: true }),
    );
    return Item ? toEntity<Tenant>(Item) : undefined;
  }

  async createWithAdmin(tenant: Tenant, admin: User, effects?: WriteEffects): Promise<void> {
    const tx = this.users.transaction();
    tx.put(
      { ...tenant, ...keys.tenant(tenant.id), entityType: 'Tenant' },
      'attribute_not_exists(pk)',
      () => new ConflictError(`Tenant ${tenant.id} already exists`),
    );
    this.users.addCreate(tx, admin);
    addEffects(tx, tenant.id, effects, this.clock);
    await tx.commit();
  }

  async update(previous: Tenant, next: Tenant, effects?: WriteEffects): Promise<void> {
    const tx = this.users.transaction();
    tx.put(
      { ...next, ...keys.tenant(next.id), entityType: 'Tenant' },
      'version = :expected',
      () => new VersionConflictError('Tenant', previous.id, previous.version),
      {
        ':expected': previous.version,
      },
    );
    addEffects(tx, next.id, effects, this.clock);
    await tx.commit();
  }
}
