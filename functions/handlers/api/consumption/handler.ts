import { SFNClient } from '@aws-sdk/client-sfn';
import {
  StepFunctionsApprovalTasks,
  StepFunctionsConfirmationWorkflow,
} from '../../../adapters/stepfunctions/confirmation-workflow';
import { type ConsumptionApplication, consumptionApplication } from '../../../composition/consumption';
import { fromEnvironment } from '../../../composition/environment';
import { required } from '../../../shared/config';
import { builtOnFirstCall } from '../../entry';
import { apiHandler } from '../http/api-handler';
import { implement } from '../http/route';
import { confirmationRoutes, serviceProductRoutes, sparePartRoutes } from './routes';

/** Service products and spare parts of work orders, and their consumption confirmations. */
export function createHandler(app: ConsumptionApplication) {
  const { consumption, confirmations } = app.consumption;
  return apiHandler(
    [
      implement(serviceProductRoutes.list, async ({ principal, params }) => ({
        items: await consumption.serviceProducts(principal, params.id),
      })),
      implement(serviceProductRoutes.add, ({ principal, params, body, claims }) =>
        consumption.add(principal, params.id, body, claims),
      ),
      implement(serviceProductRoutes.get, ({ principal, params }) =>
        consumption.serviceProduct(principal, params.id, params.serviceProductId),
      ),
      implement(serviceProductRoutes.update, ({ principal, params, body }) =>
        consumption.update(principal, params.id, params.serviceProductId, body),
      ),
      implement(serviceProductRoutes.delete, ({ principal, params, query }) =>
        consumption.remove(principal, params.id, params.serviceProductId, query.version),
      ),
      implement(sparePartRoutes.list, async ({ principal, params }) => ({
        items: await consumption.spareParts(principal, params.id),
      })),
      implement(sparePartRoutes.record, ({ principal, params, body, claims }) =>
        consumption.recordSparePart(principal, params.id, body, claims),
      ),
      implement(confirmationRoutes.start, ({ principal, params, body, claims }) =>
        confirmations.start(principal, params.id, body, claims),
      ),
      implement(confirmationRoutes.listForWorkOrder, ({ principal, params, query }) =>
        confirmations.listForWorkOrder(principal, params.id, query),
      ),
      implement(confirmationRoutes.get, ({ principal, params }) => confirmations.get(principal, params.id)),
      implement(confirmationRoutes.approve, ({ principal, params, body }) =>
        confirmations.approve(principal, params.id, body.reason),
      ),
      implement(confirmationRoutes.reject, ({ principal, params, body }) =>
        confirmations.reject(principal, params.id, body.reason),
      ),
    ],
    { idempotency: app.idempotency },
  );
}

export const handler = builtOnFirstCall(() =>
  createHandler(
    fromEnvironment(consumptionApplication, (config) => {
      const client = new SFNClient({});
      return {
        workflow: new StepFunctionsConfirmationWorkflow(
          client,
          required(config, 'CONSUMPTION_STATE_MACHINE_ARN'),
        ),
        approvals: new StepFunctionsApprovalTasks(client),
      };
    }),
  ),
);
