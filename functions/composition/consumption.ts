import {
  BillingRuleRepository,
  DynamoAgreementRepository,
} from '../adapters/dynamodb/repositories/agreements';
import { DynamoConfirmationRepository } from '../adapters/dynamodb/repositories/confirmations';
import { DynamoServiceProductRepository } from '../adapters/dynamodb/repositories/service-products';
import { DynamoWorkOrderRepository } from '../adapters/dynamodb/repositories/work-orders';
import { AgreementProducts } from '../domain/consumption/agreement-products';
import { ConsumptionConfirmations } from '../domain/consumption/confirm-consumption';
import { ConsumptionContext } from '../domain/consumption/consumption-context';
import { ConsumptionSteps } from '../domain/consumption/consumption-steps';
import { WorkOrderConsumption } from '../domain/consumption/work-order-consumption';
import type { ApprovalTasks, ConfirmationWorkflow } from '../domain/consumption/workflow';
import { workOrderReader } from '../domain/work-orders/find-work-orders';
import { idempotencyStore, type MasterDataRepositories, masterDataRepositories } from './master-data';
import { type Ports, requirePort } from './ports';
import { workOrderContext } from './work-orders';

/** The context every consumption use case works in: its repositories, the work orders, agreements and catalog. */
function consumptionContext(ports: Ports, master: MasterDataRepositories) {
  return new ConsumptionContext(
    new DynamoServiceProductRepository(ports.table, ports.clock),
    new DynamoConfirmationRepository(ports.table, ports.clock),
    new DynamoWorkOrderRepository(ports.table, ports.clock),
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
  master: MasterDataRepositories = masterDataRepositories(ports),
) {
  const ctx = consumptionContext(ports, master);
  const reader = workOrderReader(workOrderContext(ports, master).context);
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
export function consumptionSteps(
  ports: Ports,
  master: MasterDataRepositories = masterDataRepositories(ports),
) {
  return new ConsumptionSteps(
    consumptionContext(ports, master),
    new BillingRuleRepository(ports.table, ports.clock),
  );
}

/** The agreement products of new work orders (the agreement-products function). */
export function agreementProducts(
  ports: Ports,
  master: MasterDataRepositories = masterDataRepositories(ports),
) {
  return new AgreementProducts(consumptionContext(ports, master));
}

/** What the consumption API function uses. */
export const consumptionApplication = (ports: Ports) => ({
  consumption: consumptionServices(ports),
  idempotency: idempotencyStore(ports),
});

export type ConsumptionApplication = ReturnType<typeof consumptionApplication>;
