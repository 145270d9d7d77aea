import { DynamoOrganisationDirectory } from '../adapters/dynamodb/organisation-directory';
import {
  SharingRuleRepository,
  WorkOrderTypeRepository,
} from '../adapters/dynamodb/repositories/work-order-setup';
import { DynamoWorkOrderRepository } from '../adapters/dynamodb/repositories/work-orders';
import { MasterDataService } from '../domain/shared/master-data-service';
import { sharingRuleRules } from '../domain/work-orders/sharing-rule';
import { WorkOrderService } from '../domain/work-orders/work-order-service';
import { workOrderTypeRules } from '../domain/work-orders/work-order-type';
import { type Dependencies, repositories } from './dependencies';

/** The work-order use cases over the shared repositories. */
export function workOrderServices(deps: Dependencies) {
  const repos = repositories(deps);
  const sharingRules = new SharingRuleRepository(deps.table, deps.clock);
  const types = new WorkOrderTypeRepository(deps.table, deps.clock);
  const workOrders = new DynamoWorkOrderRepository(deps.table, deps.clock);
  const directory = new DynamoOrganisationDirectory(deps.table, { ...repos, sharingRules });
  return {
    repositories: { ...repos, sharingRules, types, workOrders },
    workOrders: new WorkOrderService(
      workOrders,
      {
        accounts: repos.accounts,
        contacts: repos.contacts,
        devices: repos.devices,
        users: repos.users,
        types,
      },
      directory,
      deps,
    ),
    sharingRules: new MasterDataService(
      sharingRules,
      sharingRuleRules({ users: repos.users, departments: repos.departments, groups: repos.userGroups }),
      deps,
    ),
    workOrderTypes: new MasterDataService(types, workOrderTypeRules(repos.users), deps),
  };
}
