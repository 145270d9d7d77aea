import type { Ports } from '../functions/composition/ports';
import { sceneReindexer } from '../functions/composition/work-orders';
import { EVENT_FUNCTIONS } from '../functions/handlers/event-functions';
import { createSceneIndexer } from '../functions/handlers/events/scene-indexer';
import type { FunctionLogger } from '../functions/shared/logger';
import type { LocalEventBus } from './bus/local-bus';
import { asEventBridgeEvent } from './mail/work-order-actions';

/**
 * The scene indexer on the local bus, as its EventBridge rule in AWS. Each
 * step runs beside the bus rather than inside its delivery, as a Lambda
 * invocation would; a failed step is logged and stays where it stopped
 * (`npm run invoke -- scene-indexer <event>` re-drives it).
 */
export function subscribeSceneIndexer(
  bus: LocalEventBus,
  ports: Ports,
  logger: FunctionLogger,
  options: { graceMs?: number } = {},
): void {
  const indexer = createSceneIndexer(sceneReindexer(ports, options), logger);
  const { source, types } = EVENT_FUNCTIONS['scene-indexer'].events;
  for (const type of types) {
    bus.subscribe({ source, type }, (event) => {
      void indexer(asEventBridgeEvent(event)).catch((error: unknown) =>
        logger.error('scene indexer failed', { eventId: event.id, error }),
      );
    });
  }
}
