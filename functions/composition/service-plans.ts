import { DynamoAgreementRepository } from '../adapters/dynamodb/repositories/agreements';
import { PlanRuleRepository } from '../adapters/dynamodb/repositories/plan-rules';
import { DynamoServicePlanRepository } from '../adapters/dynamodb/repositories/service-plans';
import { WorkOrderTypeRepository } from '../adapters/dynamodb/repositories/work-order-setup';
import { PlanGenerator } from '../domain/service-plans/generate-plan';
import { planRuleRules } from '../domain/service-plans/plan-rule';
import { ServicePlanService } from '../domain/service-plans/plan-service';
import type { PlanScheduler } from '../domain/service-plans/ports';
import { MasterDataService } from '../domain/shared/master-data-service';
import { type MasterDataRepositories, masterDataRepositories } from './master-data';
import { type Ports, requirePort } from './ports';
import { workOrderUseCases } from './work-orders';

/**
 * Service plans, their plan rules and the generator of their work orders.
 * The schedule port is asked for when a plan is saved or run, so a function
 * that only reads plans is built without it.
 */
export function servicePlanServices(
  ports: Ports,
  master: MasterDataRepositories = masterDataRepositories(ports),
) {
  const plans = new DynamoServicePlanRepository(ports.table, ports.clock);
  const rules = new PlanRuleRepository(ports.table, ports.clock);
  const agreements = new DynamoAgreementRepository(ports.table, ports.clock);
  const scheduler: PlanScheduler = {
    schedule: (plan, at) => requirePort(ports, 'planSchedules').schedule(plan, at),
    remove: (plan) => requirePort(ports, 'planSchedules').remove(plan),
  };
  let generator: PlanGenerator | undefined;
  return {
    plans: new ServicePlanService(
      {
        plans,
        rules,
        agreements,
        devices: master.devices,
        users: master.users,
        types: new WorkOrderTypeRepository(ports.table, ports.clock),
        scheduler,
      },
      ports,
    ),
    planRules: new MasterDataService(rules, planRuleRules, ports),
    /** Built on first use: it carries the work-order use cases. */
    get generator(): PlanGenerator {
      generator ??= new PlanGenerator(
        {
          plans,
          agreements,
          products: master.products,
          workOrders: workOrderUseCases(ports, master).workOrders,
          scheduler,
        },
        ports,
      );
      return generator;
    },
  };
}

export type ServicePlanServices = ReturnType<typeof servicePlanServices>;
