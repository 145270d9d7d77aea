import type { SceneAccess } from '../../domain/organisation/scene-access';
import type { Tenant, TenantSettings } from '../../domain/organisation/tenant';
import { DEFAULT_TENANT_SETTINGS } from '../../domain/organisation/tenant-defaults';
import type { User } from '../../domain/organisation/user';
import type { SharingRule, SharingTarget } from '../../domain/work-orders/sharing-rule';
import type { OrganisationDirectory } from '../../domain/work-orders/viewer';
import type { TableContext } from './client';
import { keys } from './keys';
import { queryAll } from './query';
import type { SharingRuleRepository } from './repositories/work-order-setup';
import { readSceneAccess } from './scene-access';

/** The organisation as the work-order scenes and permission checks read it. */
export class DynamoOrganisationDirectory implements OrganisationDirectory {
  constructor(
    private readonly table: TableContext,
    private readonly repos: {
      users: { get(tenantId: string, id: string): Promise<User | undefined> };
      tenants: { get(tenantId: string): Promise<Tenant | undefined> };
      userGroups: { groupsOf(tenantId: string, userId: string): Promise<string[]> };
      sharingRules: Pick<SharingRuleRepository, 'targeting'>;
    },
  ) {}

  async mainDepartmentOf(tenantId: string, userId: string): Promise<string | undefined> {
    return (await this.repos.users.get(tenantId, userId))?.mainDepartmentId;
  }

  async superiorOf(tenantId: string, userId: string): Promise<string | undefined> {
    return (await this.repos.users.get(tenantId, userId))?.superiorId;
  }

  async directSubordinates(tenantId: string, userId: string): Promise<string[]> {
    const items = await queryAll(this.table, keys.subordinatesOf(tenantId, userId), { projection: ['id'] });
    return items.map((item) => String(item.id));
  }

  async departmentsHeadedBy(tenantId: string, userId: string): Promise<string[]> {
    const items = await queryAll(this.table, keys.departmentsHeadedBy(tenantId, userId), {
      projection: ['id'],
    });
    return items.map((item) => String(item.id));
  }

  async childDepartments(tenantId: string, departmentId: string): Promise<string[]> {
    const items = await queryAll(this.table, keys.childrenOfDepartment(tenantId, departmentId), {
      projection: ['id'],
    });
    return items.map((item) => String(item.id));
  }

  groupsOf(tenantId: string, userId: string): Promise<string[]> {
    return this.repos.userGroups.groupsOf(tenantId, userId);
  }

  async tenantSettings(tenantId: string): Promise<TenantSettings> {
    return (await this.repos.tenants.get(tenantId))?.settings ?? DEFAULT_TENANT_SETTINGS;
  }

  sharingRulesTargeting(tenantId: string, targets: SharingTarget[]): Promise<SharingRule[]> {
    return this.repos.sharingRules.targeting(tenantId, targets);
  }

  sceneAccess(tenantId: string, userId: string): Promise<SceneAccess> {
    return readSceneAccess(this.table, tenantId, userId);
  }
}
