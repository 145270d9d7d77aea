import * as z from 'zod/mini';
import { fromEnvironment } from '../../composition/environment';
import { sceneReindexer } from '../../composition/work-orders';
import { domainEventSchema } from '../../domain/shared/events';
import { REINDEX_EVENTS, type SceneReindexer } from '../../domain/work-orders/scene-reindexer';
import { readConfig } from '../../shared/config';
import type { FunctionLogger } from '../../shared/logger';
import type { FunctionMetrics } from '../../shared/metrics';
import { builtOnFirstCall } from '../entry';
import { eventHandler } from '../event-handler';
import { observability } from '../observability';

const SERVICE = 'scene-indexer';

/** The EventBridge event that starts or continues a re-filing. */
const reindexEvent = z.object({
  id: z.string(),
  detail: z.extend(domainEventSchema, {
    type: z.enum(REINDEX_EVENTS.types),
    detail: z.object({ jobId: z.string().check(z.minLength(1)) }),
  }),
});

/**
 * EventBridge (`SceneReindexRequested`, `SceneReindexContinued`) → one step
 * of a re-filing of the work-order scenes. A failure throws, so Lambda
 * retries and then keeps the event in the dead-letter queue; the step it
 * re-drives resumes from the job's saved progress.
 */
export function createSceneIndexer(
  reindexer: SceneReindexer,
  logger?: FunctionLogger,
  metrics?: FunctionMetrics,
) {
  return eventHandler(
    {
      accepts: 'a SceneReindexRequested or SceneReindexContinued event',
      schema: reindexEvent,
      correlationId: (event) => event.detail.detail.jobId,
      handle: async ({ detail: domainEvent }, { logger, metrics }) => {
        const { jobId } = domainEvent.detail;
        const outcome = await reindexer.step(domainEvent.tenantId, jobId);
        metrics.countBy('SceneReindexSteps', 'outcome', outcome);
        logger.info('scene re-filing step', { tenantId: domainEvent.tenantId, jobId, outcome });
        return { jobId, outcome };
      },
    },
    observability(SERVICE, { logger, metrics }),
  );
}

export const handler = builtOnFirstCall(() => {
  const config = readConfig();
  const graceMs = (config.SCENE_REINDEX_GRACE_SECONDS ?? 60) * 1000;
  return createSceneIndexer(
    fromEnvironment((ports) => sceneReindexer(ports, { graceMs }), undefined, config),
  );
});
