import * as z from 'zod/mini';
import { fromEnvironment } from '../../composition/environment';
import { servicePlanGenerator } from '../../composition/service-plans';
import type { PlanGenerator } from '../../domain/service-plans/generate-plan';
import type { Clock } from '../../shared/clock';
import { systemClock } from '../../shared/clock';
import type { FunctionLogger } from '../../shared/logger';
import type { FunctionMetrics } from '../../shared/metrics';
import { builtOnFirstCall } from '../entry';
import { eventHandler } from '../event-handler';
import { observability } from '../observability';

const SERVICE = 'service-plan-generator';

/**
 * How long one run generates before it hands over to a fresh run (its
 * schedule set to now): well inside the function's timeout, which the stack
 * sets from this.
 */
export const GENERATOR_BUDGET_SECONDS = 240;

/** The schedule's input: which plan to look at. */
const planDue = z.object({
  tenantId: z.string().check(z.minLength(1)),
  planId: z.string().check(z.minLength(1)),
});

/**
 * EventBridge Scheduler → the plan's occurrences whose lead window has opened
 * get their work orders (each once, by its claim), and the plan's next run is
 * set to the next one's lead time (its schedule follows the progress).
 */
export function createPlanGeneratorHandler(
  generator: Pick<PlanGenerator, 'run'>,
  clock: Clock,
  logger?: FunctionLogger,
  metrics?: FunctionMetrics,
) {
  return eventHandler(
    {
      accepts: 'a service plan that is due: expected tenantId, planId',
      schema: planDue,
      correlationId: (due) => due.planId,
      handle: async (due, { logger, metrics }) => {
        const deadline = new Date(clock.now().getTime() + GENERATOR_BUDGET_SECONDS * 1000);
        const report = await generator.run(due, { deadline });
        metrics.count('PlanOccurrencesGenerated', report.generated.length);
        if (report.outcome === 'failed') metrics.count('PlanGenerationsFailed');
        const { generated, ...summary } = report;
        logger.info('service plan run', { ...due, ...summary, generatedCount: generated.length });
        return report;
      },
    },
    observability(SERVICE, { logger, metrics }),
  );
}

export const handler = builtOnFirstCall(() =>
  createPlanGeneratorHandler(fromEnvironment(servicePlanGenerator), systemClock),
);
