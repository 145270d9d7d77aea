import {
  BillingRuleRepository,
  DynamoAgreementRepository,
} from '../adapters/dynamodb/repositories/agreements';
import { DynamoConfirmationRepository } from '../adapters/dynamodb/repositories/confirmations';
import { DynamoServiceProductRepository } from '../adapters/dynamodb/repositories/service-products';
import { billingRuleRules } from '../domain/billing/billing-rule';
import { ConsumptionConfirmations } from '../domain/consumption/confirm-consumption';
import { ConsumptionContext } from '../domain/consumption/consumption-context';
import { ConsumptionSteps } from '../domain/consumption/consumption-steps';
import { WorkOrderConsumption } from '../domain/consumption/work-order-consumption';
import type { ApprovalTasks, ConfirmationWorkflow } from '../domain/consumption/workflow';
import { MasterDataService } from '../domain/shared/master-data-service';
import { workOrderReader } from '../domain/work-orders/find-work-orders';
import { idempotencyStore, type MasterDataRepositories, masterDataRepositories } from './master-data';
import { type Ports, requirePort } from './ports';
import { workOrderContext } from './work-orders';

/** The context every consumption use case works in: the repositories and the work orders as people may read them. */
function consumptionContext(ports: Ports, master: MasterDataRepositories) {
  const { context, repositories } = workOrderContext(ports, master);
  return new ConsumptionContext(
    new DynamoServiceProductRepository(ports.table, ports.clock),
    new DynamoConfirmationRepository(ports.table, ports.clock),
    workOrderReader(context),
    repositories.workOrders,
    master.products,
    new DynamoAgreementRepository(ports.table, ports.clock),
    master.tenants,
    ports,
  );
}

/**
 * Service products, spare parts, consumption confirmations and billing
 * rules. Starting a confirmation asks for the workflow port and approving
 * one for the approval port, so functions that do neither are built without them.
 */
export function consumptionServices(
  ports: Ports,
  master: MasterDataRepositories = masterDataRepositories(ports),
) {
  const ctx = consumptionContext(ports, master);
  const workflow: ConfirmationWorkflow = { start: (input) => requirePort(ports, 'workflow').start(input) };
  const approvals: ApprovalTasks = {
    resume: (token, decision) => requirePort(ports, 'approvals').resume(token, decision),
  };
  const billingRules = new BillingRuleRepository(ports.table, ports.clock);
  return {
    consumption: new WorkOrderConsumption(ctx),
    confirmations: new ConsumptionConfirmations(ctx, workflow, approvals),
    billingRules: new MasterDataService(billingRules, billingRuleRules, ports),
    steps: new ConsumptionSteps(ctx, billingRules),
  };
}

export type ConsumptionServices = ReturnType<typeof consumptionServices>;

/** What the consumption API function uses. */
export const consumptionApplication = (ports: Ports) => ({
  consumption: consumptionServices(ports),
  idempotency: idempotencyStore(ports),
});

export type ConsumptionApplication = ReturnType<typeof consumptionApplication>;
