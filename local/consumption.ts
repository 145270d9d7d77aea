import type { Application } from '../functions/composition/application';
import type { ApprovalTasks, ConfirmationWorkflow } from '../functions/domain/consumption/workflow';
import { createConsumptionStepsHandler } from '../functions/handlers/workflows/consumption-steps';
import type { Clock } from '../functions/shared/clock';
import type { FunctionLogger } from '../functions/shared/logger';
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
