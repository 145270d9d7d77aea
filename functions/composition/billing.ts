import { BillingRuleRepository, SalesOrderRepository } from '../adapters/dynamodb/repositories/agreements';
import { billingRuleRules } from '../domain/billing/billing-rule';
import { OrderPayments } from '../domain/billing/order-payments';
import { MasterDataService } from '../domain/shared/master-data-service';
import { idempotencyStore, type MasterDataRepositories, masterDataRepositories } from './master-data';
import type { Ports } from './ports';

/** Billing rules and the payment of orders. */
export function billingServices(
  ports: Ports,
  master: MasterDataRepositories = masterDataRepositories(ports),
) {
  return {
    billingRules: new MasterDataService(
      new BillingRuleRepository(ports.table, ports.clock),
      billingRuleRules,
      ports,
    ),
    payments: new OrderPayments(new SalesOrderRepository(ports.table, ports.clock), master.tenants),
  };
}

export type BillingServices = ReturnType<typeof billingServices>;

/** What the billing API function uses. */
export const billingApplication = (ports: Ports) => ({
  billing: billingServices(ports),
  idempotency: idempotencyStore(ports),
});

export type BillingApplication = ReturnType<typeof billingApplication>;
