import { SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  agreementExpiryTarget,
  EventBridgeAgreementExpiryScheduler,
} from '../../../adapters/scheduler/agreement-expiry';
import type { AgreementServices } from '../../../composition/agreements';
import { agreementServices } from '../../../composition/agreements';
import { fromEnvironment } from '../../../composition/environment';
import { idempotencyStore } from '../../../composition/master-data';
import type { Ports } from '../../../composition/ports';
import type { IdempotencyStore } from '../../../domain/shared/ports';
import { builtOnFirstCall } from '../../entry';
import { apiHandler } from '../http/api-handler';
import { implement } from '../http/route';
import { masterDataImplementations } from '../master-data-routes';
import { agreementRoutes, agreementRuleRoutes, salesOrderRoutes } from './routes';

export interface AgreementsApplication {
  agreements: AgreementServices;
  idempotency: IdempotencyStore;
}

/** Sales orders, agreement rules and service agreements with their ledgers. */
export function createHandler(app: AgreementsApplication) {
  const { salesOrders, agreementRules, agreements, generation } = app.agreements;
  return apiHandler(
    [
      implement(salesOrderRoutes.create, ({ principal, body, claims }) =>
        salesOrders.create(principal, body, claims),
      ),
      implement(salesOrderRoutes.list, ({ principal, query }) => salesOrders.list(principal, query)),
      implement(salesOrderRoutes.get, ({ principal, params }) => salesOrders.get(principal, params.id)),
      implement(salesOrderRoutes.generate, ({ principal, params }) =>
        generation.generate(principal, params.id),
      ),
      ...masterDataImplementations(agreementRuleRoutes, agreementRules),
      implement(agreementRoutes.create, ({ principal, body, claims }) =>
        agreements.create(principal, body, claims),
      ),
      implement(agreementRoutes.list, ({ principal, query }) => {
        const { accountId, ...page } = query;
        return agreements.list(principal, page, accountId);
      }),
      implement(agreementRoutes.get, ({ principal, params }) => agreements.get(principal, params.id)),
      implement(agreementRoutes.activate, ({ principal, params, body }) =>
        agreements.activate(principal, params.id, body.version),
      ),
      implement(agreementRoutes.terminate, ({ principal, params, body }) =>
        agreements.terminate(principal, params.id, body.version, body.reason),
      ),
      implement(agreementRoutes.ledger, ({ principal, params }) =>
        agreements.ledger(principal, params.id, params.lineId),
      ),
    ],
    { idempotency: app.idempotency },
  );
}

const compose = (ports: Ports): AgreementsApplication => ({
  agreements: agreementServices(ports),
  idempotency: idempotencyStore(ports),
});

export const handler = builtOnFirstCall(() =>
  createHandler(
    fromEnvironment(compose, (config) => ({
      agreementExpiry: new EventBridgeAgreementExpiryScheduler(new SchedulerClient({}), () =>
        agreementExpiryTarget(config),
      ),
    })),
  ),
);
