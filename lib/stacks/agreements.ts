import { Duration, type Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EVENT_FUNCTIONS } from '../../functions/handlers/event-functions';
import { AsyncFunction } from '../constructs/async-function';
import type { DomainEventBus } from '../constructs/event-bus';
import type { ServiceApi } from '../constructs/http-api';
import type { ScheduleGroup } from '../constructs/schedule-group';

/** What runs outside the API for service agreements. */
export interface AgreementResources {
  /** Generates a sales order's agreements (EventBridge rule on `SalesOrderCreated`). */
  readonly generator: AsyncFunction;
  /** Invoked by each activated agreement's one-time expiry schedule. */
  readonly expiry: AsyncFunction;
}

export interface AgreementsWiring {
  readonly api: ServiceApi;
  readonly eventBus: DomainEventBus;
  readonly table: ITableV2;
  /** The stack's schedule group, where the agreements API function creates one schedule per activated agreement. */
  readonly schedules: ScheduleGroup;
}

/**
 * Agreements from sales orders, and their end: the generator follows
 * `SalesOrderCreated` on the bus; activating an agreement (the agreements API
 * function) creates a one-time schedule in this stack's group that invokes
 * the expiry function the day after its last day. Each function has its
 * DLQ and alarm through `AsyncFunction`.
 */
export function createAgreements(stack: Stack, wiring: AgreementsWiring): AgreementResources {
  const { api, eventBus, table } = wiring;
  const generator = new AsyncFunction(stack, 'AgreementGenerator', {
    entry: EVENT_FUNCTIONS['agreement-generator'].entry,
    description: "Generates a sales order's service agreements by the tenant's rules",
    failureImpact: 'Agreements of new sales orders are not generated until re-driven',
    timeout: Duration.seconds(30),
  }).bindTable(table, 'readWrite');
  eventBus.subscribe(
    'SalesOrderCreatedEvents',
    'New sales orders, whose agreements are to be generated',
    EVENT_FUNCTIONS['agreement-generator'].events,
    generator,
  );

  const expiry = new AsyncFunction(stack, 'AgreementExpiry', {
    entry: EVENT_FUNCTIONS['agreement-expiry'].entry,
    description: 'Turns an active agreement non-warranty after its last day',
    failureImpact: 'Ended agreements stay active, and keep covering work, until re-driven',
    timeout: Duration.seconds(30),
  }).bindTable(table, 'readWrite');
  wiring.schedules.allowScheduling(api.function('agreements'), expiry, 'agreement-expiry');

  return { generator, expiry };
}
