import type { Application } from '../functions/composition/application';
import type { ApprovalTasks, ConfirmationWorkflow } from '../functions/domain/consumption/workflow';
import { EVENT_FUNCTIONS } from '../functions/handlers/event-functions';
import { createAgreementProductsHandler } from '../functions/handlers/events/agreement-products';
import { createConsumptionStepsHandler } from '../functions/handlers/workflows/consumption-steps';
import type { Clock } from '../functions/shared/clock';
import type { FunctionLogger } from '../functions/shared/logger';
import type { LocalEventBus } from './bus/local-bus';
import { asEventBridgeEvent } from './mail/work-order-actions';
import {
  CONSUMPTION_STEPS_FUNCTION,
  consumptionBillingLocally,
  localConfirmationWorkflow,
} from './workflows/consumption-billing-locally';
import type { LocalStateMachine } from './workflows/local-state-machine';

export interface LocalConsumptionWorkflow {
  machine: LocalStateMachine;
  /** The ports the application is composed with. */
  workflow: ConfirmationWorkflow;
  approvals: ApprovalTasks;
}

/**
 * The consumption-billing state machine locally: the deployed ASL run by the
 * local interpreter, every task calling the same steps handler Lambda runs,
 * the approval wait answered by the approve and reject API through
 * `approvals`. The application is given later (it is composed with these
 * ports), so the steps reach it through `app()`.
 */
export function localConsumptionWorkflow(options: {
  app: () => Application;
  clock: Clock;
  logger?: FunctionLogger;
  /** Fast retries for tests; none: the ASL's own back-off. */
  retryIntervalMs?: number;
}): LocalConsumptionWorkflow {
  let steps: ReturnType<typeof createConsumptionStepsHandler> | undefined;
  const machine = consumptionBillingLocally({
    clock: options.clock,
    ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
    invoke: async (functionName, payload) => {
      if (functionName !== CONSUMPTION_STEPS_FUNCTION) throw new Error(`No local function ${functionName}`);
      steps ??= createConsumptionStepsHandler(options.app().consumption.steps, options.logger);
      return steps(payload);
    },
    onEnd: (execution) =>
      options.logger?.info('consumption confirmation ended', {
        confirmationId: execution.name,
        status: execution.status,
        ...(execution.error ? { error: execution.error } : {}),
      }),
  });
  return {
    machine,
    workflow: localConfirmationWorkflow(machine),
    approvals: { resume: (token, decision) => machine.resume(token, decision) },
  };
}

/** The agreement products of new work orders on the local bus, as their EventBridge rule in AWS. */
export function subscribeAgreementProducts(
  bus: LocalEventBus,
  app: Application,
  logger: FunctionLogger,
): void {
  const handler = createAgreementProductsHandler(app.consumption.consumption, logger);
  const { source, types } = EVENT_FUNCTIONS['agreement-products'].events;
  for (const type of types) {
    bus.subscribe({ source, type }, async (event) => {
      await handler(asEventBridgeEvent(event)).catch((error: unknown) =>
        logger.error('agreement products failed', { eventId: event.id, error }),
      );
    });
  }
}
