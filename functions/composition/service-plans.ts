import { DynamoOrganisationReads } from '../adapters/dynamodb/organisation-reads';
import { DynamoAgreementRepository } from '../adapters/dynamodb/repositories/agreements';
import { PlanRuleRepository } from '../adapters/dynamodb/repositories/plan-rules';
import { DynamoServicePlanRepository } from '../adapters/dynamodb/repositories/service-plans';
import { WorkOrderTypeRepository } from '../adapters/dynamodb/repositories/work-order-setup';
import { PlanGenerator } from '../domain/service-plans/generate-plan';
import { PlanEnding } from '../domain/service-plans/plan-ending';
import { planRuleRules } from '../domain/service-plans/plan-rule';
import { PlanSchedules } from '../domain/service-plans/plan-schedules';
import { ServicePlanService } from '../domain/service-plans/plan-service';
import type { Withdrawals } from '../domain/service-plans/withdraw-unstarted';
import { MasterDataService } from '../domain/shared/master-data-service';
import { createWorkOrder } from '../domain/work-orders/create-work-order';
import { withdrawGeneratedWorkOrder } from '../domain/work-orders/withdraw-work-order';
import type { WorkOrderContext } from '../domain/work-orders/work-order-context';
import { type MasterDataRepositories, masterDataRepositories } from './master-data';
import { type Ports, requirePort } from './ports';
import { workOrderContext } from './work-orders';

const planRepository = (ports: Ports) => new DynamoServicePlanRepository(ports.table, ports.clock);

/** Service plans and the plan rules that choose their agreement line. */
export function servicePlanServices(
  ports: Ports,
  master: MasterDataRepositories = masterDataRepositories(ports),
) {
  const rules = new PlanRuleRepository(ports.table, ports.clock);
  return {
    plans: new ServicePlanService(
      {
        plans: planRepository(ports),
        rules,
        agreements: new DynamoAgreementRepository(ports.table, ports.clock),
        devices: master.devices,
        users: master.users,
        types: new WorkOrderTypeRepository(ports.table, ports.clock),
      },
      ports,
    ),
    planRules: new MasterDataService(rules, planRuleRules, ports),
  };
}

/**
 * The generator of the plans' work orders: the work-order context and the
 * one use case it calls, so its function carries no other work-order use case.
 */
export function servicePlanGenerator(
  ports: Ports,
  master: MasterDataRepositories = masterDataRepositories(ports),
): PlanGenerator {
  const { context } = workOrderContext(ports, master);
  return new PlanGenerator(
    {
      plans: planRepository(ports),
      agreements: new DynamoAgreementRepository(ports.table, ports.clock),
      products: master.products,
      withdrawals: withdrawalsOver(context, ports),
      workOrders: {
        create: (actor, input, claims, options) => createWorkOrder(context, actor, input, claims, options),
      },
    },
    ports,
  );
}

/** Ends the plans of agreements that expired or were terminated (and takes back their unstarted work, by setting). */
export function servicePlanEnding(
  ports: Ports,
  master: MasterDataRepositories = masterDataRepositories(ports),
): PlanEnding {
  const { context } = workOrderContext(ports, master);
  return new PlanEnding(
    { plans: planRepository(ports), withdrawals: withdrawalsOver(context, ports) },
    ports,
  );
}

/** Taking back a plan's unstarted work orders: through the work-order context, by the tenant's settings. */
function withdrawalsOver(context: WorkOrderContext, ports: Ports): Withdrawals {
  const tenants = new DynamoOrganisationReads(ports.table).tenants;
  return {
    settings: async (tenantId) => (await tenants.get(tenantId))?.settings.servicePlans,
    workOrders: {
      get: (tenantId, id) => context.workOrders.get(tenantId, id),
      withdraw: (actor, workOrder, reason, effects) =>
        withdrawGeneratedWorkOrder(context, actor, workOrder, reason, effects),
    },
  };
}

/** Keeps each plan's schedule where its progress says: the only user of the schedule port. */
export const planSchedules = (ports: Ports): PlanSchedules =>
  new PlanSchedules(requirePort(ports, 'planSchedules'));

export type ServicePlanServices = ReturnType<typeof servicePlanServices>;
