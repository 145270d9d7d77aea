import { Duration, type Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EVENT_FUNCTIONS } from '../../functions/handlers/event-functions';
import { FUNCTION_ENV } from '../config/function-environment';
import { AsyncFunction } from '../constructs/async-function';
import type { DomainEventBus } from '../constructs/event-bus';
import type { ServiceApi } from '../constructs/http-api';
import { ServiceFunction } from '../constructs/service-function';
import { StandardStateMachine } from '../constructs/state-machine';
import {
  CONSUMPTION_BILLING_ASL,
  type ConsumptionBillingSubstitution,
} from '../state-machines/consumption-billing';

/** The consumption-then-billing flow, and the service products a new work order starts with. */
export interface ConsumptionResources {
  /** Adds the auto-create lines of the covering agreement to a new work order (EventBridge rule on `WorkOrderCreated`). */
  readonly agreementProducts: AsyncFunction;
  /** Runs every step of the flow; invoked by the state machine only. */
  readonly steps: ServiceFunction;
  readonly stateMachine: StandardStateMachine;
}

export interface ConsumptionWiring {
  readonly api: ServiceApi;
  readonly eventBus: DomainEventBus;
  readonly table: ITableV2;
  /** Both functions find an account's agreements on gsi2 (`allForAccount`). */
  readonly tableIndexNames: readonly string[];
}

/**
 * A new work order gets the auto-create lines of the agreement covering it as
 * service products: the agreement-products function follows `WorkOrderCreated`
 * on the bus, with its DLQ and alarms through `AsyncFunction`.
 *
 * Consumption then billing: the consumption API function starts one execution
 * per confirmation and hands a person's decision to the step that waits for it;
 * every step is one synchronous call of the steps function.
 *
 * The steps function has no dead-letter queue: Step Functions invokes it
 * synchronously and owns its retries and catches, and what still fails is a
 * failed execution, alarmed and re-driven on the state machine.
 */
export function createConsumption(stack: Stack, wiring: ConsumptionWiring): ConsumptionResources {
  const indexes = { indexes: wiring.tableIndexNames };
  const agreementProducts = new AsyncFunction(stack, 'AgreementProducts', {
    entry: EVENT_FUNCTIONS['agreement-products'].entry,
    description: "Adds the covering agreement's auto-create lines to a new work order as service products",
    failureImpact: "New work orders do not get their agreement's service products until re-driven",
    timeout: Duration.seconds(30),
  }).bindTable(wiring.table, 'readWrite', indexes);
  wiring.eventBus.subscribe(
    'WorkOrderCreatedEvents',
    "New work orders, to get their agreement's service products",
    EVENT_FUNCTIONS['agreement-products'].events,
    agreementProducts,
  );

  const steps = new ServiceFunction(stack, 'ConsumptionSteps', {
    entry: EVENT_FUNCTIONS['consumption-steps'].entry,
    description: 'Runs the steps of the consumption-billing state machine',
    timeout: Duration.seconds(30),
  }).bindTable(wiring.table, 'readWrite', indexes);

  const substitutions: Record<ConsumptionBillingSubstitution, string> = {
    ConsumptionStepsFunctionArn: steps.function.functionArn,
  };
  const stateMachine = new StandardStateMachine(stack, 'ConsumptionBilling', {
    definitionFile: CONSUMPTION_BILLING_ASL,
    definitionSubstitutions: substitutions,
    invokes: [steps.function],
    arnVariable: FUNCTION_ENV.CONSUMPTION_STATE_MACHINE_ARN,
    purpose: "Consumption then billing of a work order's service products",
  });

  const consumptionApi = wiring.api.function('consumption');
  stateMachine.allowStarting(consumptionApi);
  stateMachine.allowTaskResponses(consumptionApi);

  return { agreementProducts, steps, stateMachine };
}
