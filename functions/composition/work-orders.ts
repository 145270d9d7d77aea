import { DynamoOrganisationDirectory } from '../adapters/dynamodb/organisation-directory';
import {
  DynamoMailClaims,
  DynamoReminderRepository,
  DynamoTimeline,
} from '../adapters/dynamodb/repositories/work-order-actions';
import {
  SharingRuleRepository,
  WorkOrderTypeRepository,
} from '../adapters/dynamodb/repositories/work-order-setup';
import { DynamoWorkOrderRepository } from '../adapters/dynamodb/repositories/work-orders';
import { MasterDataService } from '../domain/shared/master-data-service';
import { WorkOrderForwarding } from '../domain/work-orders/forward-work-order';
import { WorkOrderPrinting } from '../domain/work-orders/print-work-order';
import { sharingRuleRules } from '../domain/work-orders/sharing-rule';
import { WorkOrderMailer } from '../domain/work-orders/work-order-mailer';
import { WorkOrderReminders } from '../domain/work-orders/work-order-reminders';
import { WorkOrderService } from '../domain/work-orders/work-order-service';
import { WorkOrderCsvTransfer } from '../domain/work-orders/work-order-transfer';
import { workOrderTypeRules } from '../domain/work-orders/work-order-type';
import { idempotencyStore, type MasterDataRepositories, masterDataRepositories } from './master-data';
import { type Ports, requirePort } from './ports';

/** The work-order use cases over the master-data repositories. */
export function workOrderServices(
  ports: Ports,
  master: MasterDataRepositories = masterDataRepositories(ports),
) {
  const sharingRules = new SharingRuleRepository(ports.table, ports.clock);
  const types = new WorkOrderTypeRepository(ports.table, ports.clock);
  const workOrders = new DynamoWorkOrderRepository(ports.table, ports.clock);
  const directory = new DynamoOrganisationDirectory(ports.table, { ...master, sharingRules });
  const repositories = { ...master, sharingRules, types, workOrders };
  const service = new WorkOrderService(
    workOrders,
    {
      accounts: master.accounts,
      contacts: master.contacts,
      devices: master.devices,
      users: master.users,
      types,
    },
    directory,
    ports,
  );
  return {
    repositories,
    workOrders: service,
    sharingRules: new MasterDataService(
      sharingRules,
      sharingRuleRules({ users: master.users, departments: master.departments, groups: master.userGroups }),
      ports,
    ),
    workOrderTypes: new MasterDataService(types, workOrderTypeRules(master.users), ports),
    transfer: new WorkOrderCsvTransfer(
      service,
      {
        typeIdByCode: (tenantId, code) => types.idByCode(tenantId, code),
        deviceIdBySerialNumber: async (tenantId, serialNumber) =>
          (await master.devices.findBy(tenantId, { serialNumber }))?.id,
      },
      idempotencyStore(ports),
    ),
  };
}

export type WorkOrderServices = ReturnType<typeof workOrderServices>;

/** Print, forward and reminders; setting a reminder needs the scheduler port. */
export function workOrderActionServices(ports: Ports, wo: WorkOrderServices = workOrderServices(ports)) {
  const repos = wo.repositories;
  return {
    forwarding: new WorkOrderForwarding(wo.workOrders, repos.workOrders, ports),
    printing: new WorkOrderPrinting(
      wo.workOrders,
      repos.workOrders,
      {
        accounts: repos.accounts,
        contacts: repos.contacts,
        devices: repos.devices,
        users: repos.users,
        types: repos.types,
      },
      ports,
    ),
    reminders: new WorkOrderReminders(
      wo.workOrders,
      new DynamoReminderRepository(ports.table, ports.clock),
      requirePort(ports, 'reminders'),
      repos.users,
      ports,
    ),
  };
}

/** The mail side: forwarded work orders and due reminders; needs the outbound mail port. */
export function workOrderMailer(
  ports: Ports,
  master: MasterDataRepositories = masterDataRepositories(ports),
) {
  return new WorkOrderMailer(
    {
      store: new DynamoWorkOrderRepository(ports.table, ports.clock),
      timeline: new DynamoTimeline(ports.table),
      reminders: new DynamoReminderRepository(ports.table, ports.clock),
      lookups: {
        accounts: master.accounts,
        contacts: master.contacts,
        devices: master.devices,
        users: master.users,
      },
      claims: new DynamoMailClaims(ports.table, ports.clock),
      mail: requirePort(ports, 'mail'),
      from: ports.mailFrom,
    },
    ports,
  );
}
