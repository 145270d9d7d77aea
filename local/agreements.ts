import type { Application } from '../functions/composition/application';
import { EVENT_FUNCTIONS } from '../functions/handlers/event-functions';
import { createAgreementGenerator } from '../functions/handlers/events/agreement-generator';
import { createAgreementProductsHandler } from '../functions/handlers/events/agreement-products';
import { createAgreementExpiryHandler } from '../functions/handlers/schedules/agreement-expiry';
import type { FunctionLogger } from '../functions/shared/logger';
import type { LocalEventBus } from './bus/local-bus';
import { asEventBridgeEvent } from './mail/work-order-actions';
import { AGREEMENT_EXPIRY_TARGET, type LocalScheduler } from './scheduler/local-scheduler';

/**
 * The agreement functions locally, as in AWS: the generator on the bus
 * (`SalesOrderCreated`), the expiry as the target of its schedules. A
 * failure is logged; `POST /sales-orders/{id}/generate-agreements` or
 * `npm run invoke -- agreement-generator <event>` runs a generation again.
 */
export function wireAgreementFunctions(
  bus: LocalEventBus,
  scheduler: LocalScheduler,
  app: Application,
  logger: FunctionLogger,
): void {
  const generator = createAgreementGenerator(app.agreements.generation, logger);
  const { source, types } = EVENT_FUNCTIONS['agreement-generator'].events;
  for (const type of types) {
    bus.subscribe({ source, type }, (event) => {
      void generator(asEventBridgeEvent(event)).catch((error: unknown) =>
        logger.error('agreement generator failed', { eventId: event.id, error }),
      );
    });
  }
  const expire = createAgreementExpiryHandler(app.agreements.agreements, logger);
  scheduler.target(AGREEMENT_EXPIRY_TARGET, (input) => expire(input));
}

/** The agreement products of new work orders on the local bus, as their EventBridge rule in AWS. */
export function subscribeAgreementProducts(
  bus: LocalEventBus,
  app: Application,
  logger: FunctionLogger,
): void {
  const handler = createAgreementProductsHandler(app.consumption.agreementProducts, logger);
  const { source, types } = EVENT_FUNCTIONS['agreement-products'].events;
  for (const type of types) {
    bus.subscribe({ source, type }, async (event) => {
      await handler(asEventBridgeEvent(event)).catch((error: unknown) =>
        logger.error('agreement products failed', { eventId: event.id, error }),
      );
    });
  }
}
