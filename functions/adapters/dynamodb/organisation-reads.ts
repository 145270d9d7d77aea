import type { Tenant } from '../../domain/organisation/tenant';
import type { User } from '../../domain/organisation/user';
import type { TableContext } from './client';
import { keys } from './keys';
import { toEntity } from './master-data-store';
import { getConsistent, queryAll } from './query';

/**
 * The organisation as functions that only read it need it (who may read a
 * work order, the tenant's settings): none of the organisation's write paths
 * (the org chart, scene access, unique guards) come with it.
 */
export class DynamoOrganisationReads {
  constructor(private readonly table: TableContext) {}

  readonly users = {
    get: async (tenantId: string, id: string): Promise<User | undefined> =>
      this.item<User>(keys.masterData(tenantId, 'USER', id)),
  };

  readonly tenants = {
    get: async (tenantId: string): Promise<Tenant | undefined> => this.item<Tenant>(keys.tenant(tenantId)),
  };

  readonly userGroups = {
    groupsOf: async (tenantId: string, userId: string): Promise<string[]> => {
      const items = await queryAll(this.table, keys.groupsOfUser(tenantId, userId), {
        projection: ['groupId'],
      });
      return items.map((item) => String(item.groupId));
    },
  };

  private async item<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
    const item = await getConsistent(this.table, key);
    return item ? toEntity<T>(item) : undefined;
  }
}
