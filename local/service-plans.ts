import type { Application } from '../functions/composition/application';
import { EVENT_FUNCTIONS } from '../functions/handlers/event-functions';
import { createAgreementEndHandler } from '../functions/handlers/events/service-plan-agreement-end';
import { createPlanGeneratorHandler } from '../functions/handlers/schedules/service-plan-generator';
import type { FunctionLogger } from '../functions/shared/logger';
import type { LocalEventBus } from './bus/local-bus';
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
  const ended = createAgreementEndHandler(app.servicePlans.plans, logger);
  const { source, types } = EVENT_FUNCTIONS['service-plan-agreement-end'].events;
  for (const type of types) {
    bus.subscribe({ source, type }, async (event) => {
      await ended(asEventBridgeEvent(event)).catch((error: unknown) =>
        logger.error('ending the plans of an agreement failed', { eventId: event.id, error }),
      );
    });
  }
}
