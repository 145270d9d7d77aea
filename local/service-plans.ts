import type { Application } from '../functions/composition/application';
import { EVENT_FUNCTIONS } from '../functions/handlers/event-functions';
import { createAgreementEndHandler } from '../functions/handlers/events/service-plan-agreement-end';
import { createPlanGeneratorHandler } from '../functions/handlers/schedules/service-plan-generator';
import { createPlanSchedulesHandler } from '../functions/handlers/streams/plan-schedules';
import type { FunctionLogger } from '../functions/shared/logger';
import type { LocalEventBus } from './bus/local-bus';
import { LocalStreamPoller } from './bus/stream-poller';
import { asEventBridgeEvent } from './mail/work-order-actions';
import { type LocalScheduler, PLAN_GENERATOR_TARGET } from './scheduler/local-scheduler';

/**
 * The service-plan functions locally, as in AWS: the generator as the target
 * of the plans' schedules (on the one clock: `npm run plans:tick` moves it),
 * and the end of an agreement's plans on the bus.
 */
export function wireServicePlanFunctions(
  bus: LocalEventBus,
  scheduler: LocalScheduler,
  app: Application,
  logger: FunctionLogger,
): void {
  const generate = createPlanGeneratorHandler(app.servicePlans.generator, app.ports.clock, logger);
  scheduler.target(PLAN_GENERATOR_TARGET, (input) => generate(input));
  const ended = createAgreementEndHandler(app.servicePlans.ending, logger);
  const { source, types } = EVENT_FUNCTIONS['service-plan-agreement-end'].events;
  for (const type of types) {
    bus.subscribe({ source, type }, async (event) => {
      await ended(asEventBridgeEvent(event)).catch((error: unknown) =>
        logger.error('ending the plans of an agreement failed', { eventId: event.id, error }),
      );
    });
  }
}

/**
 * The plans' schedule keeper locally, as in AWS: a second reader of the
 * table's stream that moves each plan's schedule on the local scheduler to
 * the next run its progress names.
 */
export async function startPlanScheduleKeeper(
  endpoint: string,
  tableName: string,
  app: Application,
  logger: FunctionLogger,
  startAt: 'TRIM_HORIZON' | 'LATEST' = 'LATEST',
): Promise<LocalStreamPoller> {
  const handler = createPlanSchedulesHandler(app.servicePlans.schedules, logger);
  const poller = new LocalStreamPoller(endpoint, tableName, (event) => handler(event), {
    startAt,
    onError: (error) => logger.error('plan schedule keeper poll failed', { error }),
  });
  await poller.start();
  return poller;
}
