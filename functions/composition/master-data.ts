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
import { DynamoSceneIndexStore } from '../adapters/dynamodb/scene-index-store';
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
import { MasterDataService } from '../domain/shared/master-data-service';
import { sceneIndexListener } from '../domain/work-orders/scene-index-listener';
import { SceneReindexJobs } from '../domain/work-orders/scene-reindex-jobs';
import type { Ports } from './ports';

export const idempotencyStore = (ports: Ports) => new DynamoIdempotencyStore(ports.table, ports.clock);

/** The master-data repositories: organisation, customers, products. */
export const masterDataRepositories = (ports: Ports) => ({
  tenants: new DynamoTenantRepository(ports.table, ports.clock),
  users: new UserRepository(ports.table, ports.clock),
  departments: new DepartmentRepository(ports.table, ports.clock),
  userGroups: new DynamoUserGroupRepository(ports.table, ports.clock),
  accounts: new AccountRepository(ports.table, ports.clock),
  contacts: new ContactRepository(ports.table, ports.clock),
  devices: new DeviceRepository(ports.table, ports.clock),
  products: new ProductRepository(ports.table, ports.clock),
});

export type MasterDataRepositories = ReturnType<typeof masterDataRepositories>;

/**
 * Every change of the organisation's chart keeps the chart and starts the
 * re-filing of the work-order scenes it moves, in the change's transaction.
 */
const sceneIndexStore = (ports: Ports) => new DynamoSceneIndexStore(ports.table, ports.clock);

/** Accounts: also what the work-order functions show of a customer. */
export const accountService = (ports: Ports, repos: Pick<MasterDataRepositories, 'accounts'>) =>
  new MasterDataService(repos.accounts, accountRules(repos.accounts), ports);

/** The master-data use cases: tenants, the organisation, customers and products. */
export function masterDataServices(
  ports: Ports,
  repos: MasterDataRepositories = masterDataRepositories(ports),
) {
  const sceneIndex = sceneIndexStore(ports);
  const orgChart = sceneIndexListener({ store: sceneIndex, ...ports });
  return {
    repositories: repos,
    tenants: new TenantService(repos.tenants, ports, orgChart),
    users: new MasterDataService(repos.users, userRules(repos.users, repos.departments, orgChart), ports),
    departments: new MasterDataService(
      repos.departments,
      departmentRules(repos.departments, repos.users, orgChart),
      ports,
    ),
    userGroups: new UserGroupService(repos.userGroups, repos.users, userGroupRules, ports),
    accounts: accountService(ports, repos),
    contacts: new MasterDataService(repos.contacts, contactRules(repos.accounts), ports),
    devices: new MasterDataService(repos.devices, deviceRules(repos.accounts, repos.products), ports),
    products: new MasterDataService(repos.products, productRules, ports),
    sceneReindexJobs: new SceneReindexJobs(sceneIndex),
    customerLookup: new CustomerLookupService(repos.tenants, new DynamoCustomerLookupIndex(ports.table)),
  };
}

export type MasterDataServices = ReturnType<typeof masterDataServices>;

/** What the master-data API functions use: their services and the Idempotency-Key store. */
export const masterDataApplication = (ports: Ports) => ({
  ports,
  masterData: masterDataServices(ports),
  idempotency: idempotencyStore(ports),
});

export type MasterDataApplication = ReturnType<typeof masterDataApplication>;
