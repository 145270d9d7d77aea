import { DynamoIdempotencyStore } from '../adapters/dynamodb/idempotency-store';
import { DynamoOrganisationDirectory } from '../adapters/dynamodb/organisation-directory';
import { DynamoOrganisationReads } from '../adapters/dynamodb/organisation-reads';
import {
  BillingRuleRepository,
  DynamoAgreementRepository,
} from '../adapters/dynamodb/repositories/agreements';
import { ProductRepository } from '../adapters/dynamodb/repositories/catalog';
import { DynamoConfirmationRepository } from '../adapters/dynamodb/repositories/confirmations';
import { DynamoServiceProductRepository } from '../adapters/dynamodb/repositories/service-products';
import { SharingRuleRepository } from '../adapters/dynamodb/repositories/work-order-setup';
import { DynamoWorkOrderReads } from '../adapters/dynamodb/work-order-reads';
import { AgreementProducts } from '../domain/consumption/agreement-products';
import { ConsumptionConfirmations } from '../domain/consumption/confirm-consumption';
import { ConsumptionContext } from '../domain/consumption/consumption-context';
import { ConsumptionSteps } from '../domain/consumption/consumption-steps';
import { WorkOrderConsumption } from '../domain/consumption/work-order-consumption';
import type { ApprovalTasks, ConfirmationWorkflow } from '../domain/consumption/workflow';
import { workOrderReaderOver } from '../domain/work-orders/find-work-orders';
import type { MasterDataRepositories } from './master-data';
import { type Ports, requirePort } from './ports';

/**
 * The master data the consumption reads: the catalog, the tenant's settings,
 * and the organisation (who may read a work order). Built here rather than
 * taken whole, so the consumption functions carry none of the other master data.
 */
interface ConsumptionMasterData {
  products: Pick<MasterDataRepositories['products'], 'get'>;
  tenants: Pick<MasterDataRepositories['tenants'], 'get'>;
  users: Pick<MasterDataRepositories['users'], 'get'>;
  userGroups: Pick<MasterDataRepositories['userGroups'], 'groupsOf'>;
}

function consumptionMasterData(ports: Ports): ConsumptionMasterData {
  const organisation = new DynamoOrganisationReads(ports.table);
  return {
    products: new ProductRepository(ports.table, ports.clock),
    tenants: organisation.tenants,
    users: organisation.users,
    userGroups: organisation.userGroups,
  };
}

/** The context every consumption use case works in: its repositories, the work orders, agreements and catalog. */
function consumptionContext(ports: Ports, master: ConsumptionMasterData) {
  return new ConsumptionContext(
    new DynamoServiceProductRepository(ports.table, ports.clock),
    new DynamoConfirmationRepository(ports.table, ports.clock),
    new DynamoWorkOrderReads(ports.table),
    master.products,
    new DynamoAgreementRepository(ports.table, ports.clock),
    master.tenants,
    ports,
  );
}

/**
 * Service products, spare parts and consumption confirmations, as people use them. Starting a confirmation asks for the workflow
 * port and approving one for the approval port, so functions that do
 * neither are built without them.
 */
export function consumptionServices(
  ports: Ports,
  master: ConsumptionMasterData = consumptionMasterData(ports),
) {
  const ctx = consumptionContext(ports, master);
  const reader = workOrderReaderOver(
    new DynamoWorkOrderReads(ports.table),
    new DynamoOrganisationDirectory(ports.table, {
      ...master,
      sharingRules: new SharingRuleRepository(ports.table, ports.clock),
    }),
  );
  const workflow: ConfirmationWorkflow = { start: (input) => requirePort(ports, 'workflow').start(input) };
  const approvals: ApprovalTasks = {
    resume: (token, decision) => requirePort(ports, 'approvals').resume(token, decision),
  };
  return {
    consumption: new WorkOrderConsumption(ctx, reader),
    confirmations: new ConsumptionConfirmations(ctx, reader, workflow, approvals),
  };
}

export type ConsumptionServices = ReturnType<typeof consumptionServices>;

/** The steps of the consumption-billing state machine (the steps function): no person, so no work-order reader. */
export function consumptionSteps(ports: Ports, master: ConsumptionMasterData = consumptionMasterData(ports)) {
  return new ConsumptionSteps(
    consumptionContext(ports, master),
    new BillingRuleRepository(ports.table, ports.clock),
  );
}

/** The agreement products of new work orders (the agreement-products function). */
export function agreementProducts(
  ports: Ports,
  master: ConsumptionMasterData = consumptionMasterData(ports),
) {
  return new AgreementProducts(consumptionContext(ports, master));
}

/** What the consumption API function uses. */
export const consumptionApplication = (ports: Ports) => ({
  consumption: consumptionServices(ports),
  idempotency: new DynamoIdempotencyStore(ports.table, ports.clock),
});

export type ConsumptionApplication = ReturnType<typeof consumptionApplication>;
