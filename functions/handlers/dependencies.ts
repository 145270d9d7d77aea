import { createDocumentClient, type TableContext, tableNameFromEnv } from '../adapters/dynamodb/client';
import { DynamoIdempotencyStore } from '../adapters/dynamodb/idempotency-store';
import { DynamoCustomerLookupIndex } from '../adapters/dynamodb/lookup-index';
import { ProductRepository } from '../adapters/dynamodb/repositories/catalog';
import {
  AccountRepository,
  ContactRepository,
  DeviceRepository,
} from '../adapters/dynamodb/repositories/customers';
import {
  DepartmentRepository,
  DynamoTenantRepository,
  DynamoUserGroupRepository,
  UserRepository,
} from '../adapters/dynamodb/repositories/organisation';
import { productRules } from '../domain/catalog/product';
import { accountRules } from '../domain/customers/account';
import { contactRules } from '../domain/customers/contact';
import { deviceRules } from '../domain/customers/device';
import { CustomerLookupService } from '../domain/customers/lookup';
import { departmentRules } from '../domain/organisation/department';
import { TenantService } from '../domain/organisation/tenant-service';
import { userRules } from '../domain/organisation/user';
import { userGroupRules } from '../domain/organisation/user-group';
import { UserGroupService } from '../domain/organisation/user-group-service';
import { MasterDataService, type ServiceContext } from '../domain/shared/master-data-service';
import { type Clock, type IdGenerator, systemClock, ulidGenerator } from '../shared/clock';

/**
 * The composition root: wires adapters into use cases. Handlers build it once
 * per container; tests and local tools build it with their own table, clock and ids.
 */
export interface Dependencies extends ServiceContext {
  table: TableContext;
}

let defaults: Dependencies | undefined;

export function defaultDependencies(): Dependencies {
  defaults ??= createDependencies({ client: createDocumentClient(), tableName: tableNameFromEnv() });
  return defaults;
}

export function createDependencies(
  table: TableContext,
  clock: Clock = systemClock,
  ids: IdGenerator = ulidGenerator(clock),
): Dependencies {
  return { table, clock, ids };
}

export const idempotencyStore = (deps: Dependencies) => new DynamoIdempotencyStore(deps.table);

export const repositories = (deps: Dependencies) => ({
  tenants: new DynamoTenantRepository(deps.table, deps.clock),
  users: new UserRepository(deps.table, deps.clock),
  departments: new DepartmentRepository(deps.table, deps.clock),
  userGroups: new DynamoUserGroupRepository(deps.table, deps.clock),
  accounts: new AccountRepository(deps.table, deps.clock),
  contacts: new ContactRepository(deps.table, deps.clock),
  devices: new DeviceRepository(deps.table, deps.clock),
  products: new ProductRepository(deps.table, deps.clock),
});

/** Every use-case service, over one set of repositories. */
export function services(deps: Dependencies) {
  const repos = repositories(deps);
  return {
    repositories: repos,
    tenants: new TenantService(repos.tenants, deps),
    users: new MasterDataService(repos.users, userRules(repos.users, repos.departments), deps),
    departments: new MasterDataService(
      repos.departments,
      departmentRules(repos.departments, repos.users),
      deps,
    ),
    userGroups: new UserGroupService(repos.userGroups, repos.users, userGroupRules, deps),
    accounts: new MasterDataService(repos.accounts, accountRules(repos.accounts), deps),
    contacts: new MasterDataService(repos.contacts, contactRules(repos.accounts), deps),
    devices: new MasterDataService(repos.devices, deviceRules(repos.accounts, repos.products), deps),
    products: new MasterDataService(repos.products, productRules, deps),
    customerLookup: new CustomerLookupService(repos.tenants, new DynamoCustomerLookupIndex(deps.table)),
  };
}

export type Services = ReturnType<typeof services>;
