import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { ConfirmationWorkflow } from '../../functions/domain/consumption/workflow';
import type { EVENT_FUNCTIONS } from '../../functions/handlers/event-functions';
import { renderConsumptionBilling } from '../../lib/state-machines/consumption-billing';
import { LocalStateMachine, type LocalStateMachineOptions } from './local-state-machine';

/** The steps function by its local name, the one `invoke` is called with for every step. */
export const CONSUMPTION_STEPS_FUNCTION = 'consumption-steps' satisfies keyof typeof EVENT_FUNCTIONS;

/** The deployed consumption-billing ASL, its steps function named as it is locally. */
export function consumptionBillingLocally(
  options: Omit<LocalStateMachineOptions, 'definition' | 'name'>,
): LocalStateMachine {
  const definition = JSON.parse(
    renderConsumptionBilling({ ConsumptionStepsFunctionArn: CONSUMPTION_STEPS_FUNCTION }),
  ) as StateMachineDefinition;
  return new LocalStateMachine({ ...options, definition, name: 'consumption-billing' });
}

/** Starts a confirmation's flow on the local machine: the confirmation id names the execution. */
export function localConfirmationWorkflow(machine: LocalStateMachine): ConfirmationWorkflow {
  return {
    start: ({ tenantId, confirmationId }) => machine.start(confirmationId, { tenantId, confirmationId }),
  };
}
