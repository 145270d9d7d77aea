import { activeAgreementsOf } from '../adapters/dynamodb/account-agreements';
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
import { DynamoSceneFiling } from '../adapters/dynamodb/scene-filing';
import { DynamoSceneIndexStore } from '../adapters/dynamodb/scene-index-store';
import { DynamoWorkOrderScenes } from '../adapters/dynamodb/work-order-scenes';
import { MasterDataService } from '../domain/shared/master-data-service';
import { workOrderReader } from '../domain/work-orders/find-work-orders';
import { WorkOrderForwarding } from '../domain/work-orders/forward-work-order';
import { WorkOrderPrinting } from '../domain/work-orders/print-work-order';
import { SceneReindexer } from '../domain/work-orders/scene-reindexer';
import { sharingRuleRules } from '../domain/work-orders/sharing-rule';
import { WorkOrderContext } from '../domain/work-orders/work-order-context';
import { WorkOrderMailer } from '../domain/work-orders/work-order-mailer';
import { WorkOrderReminders } from '../domain/work-orders/work-order-reminders';
import { WorkOrderService } from '../domain/work-orders/work-order-service';
import { workOrderTypeRules } from '../domain/work-orders/work-order-type';
import {
  accountService,
  idempotencyStore,
  type MasterDataRepositories,
  masterDataRepositories,
} from './master-data';
import { type Ports, requirePort } from './ports';

/** The work-order repositories and the context every work-order use case works in. */
export function workOrderContext(ports: Ports, master: MasterDataRepositories) {
  const sharingRules = new SharingRuleRepository(ports.table, ports.clock);
  const types = new WorkOrderTypeRepository(ports.table, ports.clock);
  const workOrders = new DynamoWorkOrderRepository(ports.table, ports.clock);
  const directory = new DynamoOrganisationDirectory(ports.table, { ...master, sharingRules });
  const lookups = {
    accounts: master.accounts,
    contacts: master.contacts,
    devices: master.devices,
    users: master.users,
    types,
  };
  return {
    repositories: { ...master, sharingRules, types, workOrders },
    context: new WorkOrderContext(workOrders, lookups, directory, ports),
  };
}

/** The work-order use cases alone, without their set-up (sharing rules, types, re-filings). */
export function workOrderUseCases(ports: Ports, master: MasterDataRepositories) {
  const { repositories, context } = workOrderContext(ports, master);
  return { repositories, workOrders: new WorkOrderService(context, new DynamoWorkOrderScenes(ports.table)) };
}

/** The work-order use cases over the master-data repositories, with their set-up. */
export function workOrderServices(
  ports: Ports,
  master: MasterDataRepositories = masterDataRepositories(ports),
) {
  const { repositories, workOrders } = workOrderUseCases(ports, master);
  const { sharingRules, types } = repositories;
  return {
    repositories,
    workOrders,
    sharingRules: new MasterDataService(
      sharingRules,
      sharingRuleRules({ users: master.users, departments: master.departments, groups: master.userGroups }),
      ports,
    ),
    workOrderTypes: new MasterDataService(types, workOrderTypeRules(master.users), ports),
  };
}

export type WorkOrderServices = ReturnType<typeof workOrderServices>;

/**
 * Print, forward and reminders; setting a reminder needs the scheduler port.
 * They read work orders through the reader alone, so their function carries
 * none of the other work-order use cases.
 */
export function workOrderActionServices(
  ports: Ports,
  master: MasterDataRepositories = masterDataRepositories(ports),
) {
  const { repositories: repos, context } = workOrderContext(ports, master);
  const reader = workOrderReader(context);
  return {
    forwarding: new WorkOrderForwarding(reader, repos.workOrders, ports),
    printing: new WorkOrderPrinting(
      reader,
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
      reader,
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

/**
 * What the work-order API functions use: the work orders, the accounts and
 * repositories of the master data they show (an account's summary), the key store.
 */
export function workOrderApplication(ports: Ports) {
  const repositories = masterDataRepositories(ports);
  return {
    ports,
    masterData: {
      repositories,
      accounts: accountService(ports, repositories),
    },
    workOrders: workOrderServices(ports, repositories),
    /** What the account summary shows of the account's agreements. */
    activeAgreements: (tenantId: string, accountId: string) =>
      activeAgreementsOf(ports.table, tenantId, accountId),
    idempotency: idempotencyStore(ports),
  };
}

export type WorkOrderApplication = ReturnType<typeof workOrderApplication>;

/** What the work-order actions API function uses: print, forward, reminders (with the scheduler port). */
export const workOrderActionApplication = (ports: Ports) => ({
  workOrderActions: workOrderActionServices(ports),
  idempotency: idempotencyStore(ports),
});

export type WorkOrderActionApplication = ReturnType<typeof workOrderActionApplication>;

/** What the mail functions use: the mailer (with the outbound mail port). */
export const workOrderMailerApplication = (ports: Ports) => ({ workOrderMailer: workOrderMailer(ports) });

/** The re-filing of the scenes after organisation changes, step by step (the scene-indexer function). */
export const sceneReindexer = (
  ports: Ports,
  options: { ordersPerStep?: number; pageSize?: number; graceMs?: number } = {},
) =>
  new SceneReindexer({
    store: new DynamoSceneIndexStore(ports.table, ports.clock),
    filing: new DynamoSceneFiling(ports.table),
    clock: ports.clock,
    ids: ports.ids,
    ...options,
  });
