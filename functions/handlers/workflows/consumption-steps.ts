import { consumptionSteps } from '../../composition/consumption';
import { fromEnvironment } from '../../composition/environment';
import type { ConsumptionSteps } from '../../domain/consumption/consumption-steps';
import { StepRefusal } from '../../domain/consumption/errors';
import { STEP_REFUSED, stepEvent } from '../../domain/consumption/workflow';
import { NotFoundError, ValidationError } from '../../domain/shared/errors';
import type { FunctionLogger } from '../../shared/logger';
import type { BusinessMetric, FunctionMetrics } from '../../shared/metrics';
import { builtOnFirstCall } from '../entry';
import { eventHandler } from '../event-handler';
import { observability } from '../observability';

const SERVICE = 'consumption-steps';

/** The metric each step's end counts: confirmations started, approved (billed), released. */
const COUNTED: Partial<Record<string, BusinessMetric>> = {
  validate: 'ConfirmationsStarted',
  'create-order': 'ConfirmationsConfirmed',
  release: 'ConfirmationsReleased',
};

/**
 * Every task of the consumption-billing state machine: one step of one
 * confirmation per call. A refusal that retrying cannot change is thrown as
 * `ConsumptionRefused`, which the state machine does not retry; any other
 * error is retried by the state machine, then caught and compensated.
 */
export function createConsumptionStepsHandler(
  steps: ConsumptionSteps,
  logger?: FunctionLogger,
  metrics?: FunctionMetrics,
) {
  return eventHandler(
    {
      accepts: 'a consumption step: expected step, tenantId, confirmationId',
      schema: stepEvent,
      correlationId: (event) => event.confirmationId,
      handle: async (event, { logger, metrics }) => {
        try {
          const result = await steps.run(event);
          const metric = COUNTED[event.step];
          if (metric) metrics.count(metric);
          logger.info('consumption step done', {
            step: event.step,
            confirmationId: event.confirmationId,
            ...result,
          });
          return result;
        } catch (error) {
          throw refusalOf(error) ?? error;
        }
      },
    },
    observability(SERVICE, { logger, metrics }),
  );
}

/** The error as the state machine sees it: refusals under one name it never retries. */
function refusalOf(error: unknown): Error | undefined {
  if (!(error instanceof StepRefusal || error instanceof ValidationError || error instanceof NotFoundError))
    return undefined;
  const refused = new Error(error.message);
  refused.name = STEP_REFUSED;
  return refused;
}

export const handler = builtOnFirstCall(() =>
  createConsumptionStepsHandler(fromEnvironment(consumptionSteps)),
);
