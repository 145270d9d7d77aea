import { fromEnvironment } from '../../../composition/environment';
import { idempotencyStore } from '../../../composition/master-data';
import type { Ports } from '../../../composition/ports';
import { type ServicePlanServices, servicePlanServices } from '../../../composition/service-plans';
import type { IdempotencyStore } from '../../../domain/shared/ports';
import { builtOnFirstCall } from '../../entry';
import { apiHandler } from '../http/api-handler';
import { implement } from '../http/route';
import { masterDataImplementations } from '../master-data-routes';
import { planRuleRoutes, servicePlanRoutes } from './routes';

export interface ServicePlansApplication {
  servicePlans: ServicePlanServices;
  idempotency: IdempotencyStore;
}

const DEFAULT_FORECAST = 10;

/** Service plans, their forecast and generation, and the plan rules that choose their agreement line. */
export function createHandler(app: ServicePlansApplication) {
  const { plans, planRules } = app.servicePlans;
  return apiHandler(
    [
      ...masterDataImplementations(planRuleRoutes, planRules),
      implement(servicePlanRoutes.create, ({ principal, body, claims }) =>
        plans.create(principal, body, claims),
      ),
      implement(servicePlanRoutes.list, ({ principal, query }) => plans.list(principal, query)),
      implement(servicePlanRoutes.get, ({ principal, params }) => plans.get(principal, params.id)),
      implement(servicePlanRoutes.update, ({ principal, params, body }) =>
        plans.update(principal, params.id, body),
      ),
      implement(servicePlanRoutes.delete, ({ principal, params, query }) =>
        plans.delete(principal, params.id, query.version),
      ),
      implement(servicePlanRoutes.end, ({ principal, params, body }) =>
        plans.end(principal, params.id, body.version),
      ),
      implement(servicePlanRoutes.forecast, ({ principal, params, query }) =>
        plans.forecast(principal, params.id, query.count ?? DEFAULT_FORECAST),
      ),
      implement(servicePlanRoutes.occurrences, ({ principal, params, query }) =>
        plans.occurrences(principal, params.id, query),
      ),
      implement(servicePlanRoutes.generate, ({ principal, params }) =>
        plans.generateNow(principal, params.id),
      ),
    ],
    { idempotency: app.idempotency },
  );
}

const compose = (ports: Ports): ServicePlansApplication => ({
  servicePlans: servicePlanServices(ports),
  idempotency: idempotencyStore(ports),
});

export const handler = builtOnFirstCall(() => createHandler(fromEnvironment(compose)));
