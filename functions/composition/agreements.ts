import { DynamoClaimLookup } from '../adapters/dynamodb/claim-lookup';
import {
  AgreementRuleRepository,
  DynamoAgreementRepository,
  SalesOrderRepository,
} from '../adapters/dynamodb/repositories/agreements';
import { AgreementGeneration } from '../domain/agreements/agreement-generation';
import { agreementRuleRules } from '../domain/agreements/agreement-rule';
import { AgreementService } from '../domain/agreements/agreement-service';
import { LedgerAudit } from '../domain/agreements/ledger-audit';
import type { AgreementExpiryScheduler } from '../domain/agreements/ports';
import { SalesOrderService } from '../domain/agreements/sales-order-service';
import { MasterDataService } from '../domain/shared/master-data-service';
import { type MasterDataRepositories, masterDataRepositories } from './master-data';
import { type Ports, requirePort } from './ports';

/**
 * Sales orders, agreement rules and service agreements. The expiry scheduler
 * is asked for when an agreement is activated, so functions that never
 * activate one are built without it.
 */
export function agreementServices(
  ports: Ports,
  master: MasterDataRepositories = masterDataRepositories(ports),
) {
  const orders = new SalesOrderRepository(ports.table, ports.clock);
  const rules = new AgreementRuleRepository(ports.table, ports.clock);
  const agreementRepository = new DynamoAgreementRepository(ports.table, ports.clock);
  const expiry: AgreementExpiryScheduler = {
    schedule: (agreement) => requirePort(ports, 'agreementExpiry').schedule(agreement),
  };
  const agreements = new AgreementService(
    {
      agreements: agreementRepository,
      accounts: master.accounts,
      devices: master.devices,
      products: master.products,
    },
    expiry,
    ports,
  );
  return {
    salesOrders: new SalesOrderService(
      {
        orders,
        accounts: master.accounts,
        devices: master.devices,
        products: master.products,
      },
      ports,
    ),
    agreementRules: new MasterDataService(rules, agreementRuleRules, ports),
    agreements,
    generation: new AgreementGeneration(
      { orders, accounts: master.accounts, rules, claims: new DynamoClaimLookup(ports.table) },
      agreements,
    ),
    ledgerAudit: new LedgerAudit(agreementRepository),
  };
}

export type AgreementServices = ReturnType<typeof agreementServices>;
