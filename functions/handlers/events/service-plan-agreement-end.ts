import * as z from 'zod/mini';
import { fromEnvironment } from '../../composition/environment';
import { servicePlanEnding } from '../../composition/service-plans';
import type { PlanEnding } from '../../domain/service-plans/plan-ending';
import { domainEventSchema } from '../../domain/shared/events';
import type { FunctionLogger } from '../../shared/logger';
import type { FunctionMetrics } from '../../shared/metrics';
import { builtOnFirstCall } from '../entry';
import { eventHandler } from '../event-handler';
import { observability } from '../observability';

const SERVICE = 'service-plan-agreement-end';

/** The agreement events that end its plans, and the reason each gives. */
export const AGREEMENT_END_EVENTS = {
  AgreementExpired: 'agreement-expired',
  AgreementTerminated: 'agreement-terminated',
} as const;

const agreementEnded = z.object({
  id: z.string(),
  'detail-type': z.enum(['AgreementExpired', 'AgreementTerminated']),
  detail: z.extend(domainEventSchema, {
    type: z.enum(['AgreementExpired', 'AgreementTerminated']),
    detail: z.object({ id: z.string().check(z.minLength(1)) }),
  }),
});

/**
 * EventBridge (`AgreementExpired`, `AgreementTerminated`) → every active plan
 * of the agreement ends (and its schedule goes). Idempotent: a redelivery finds
 * the plans ended and changes nothing.
 */
export function createAgreementEndHandler(
  plans: Pick<PlanEnding, 'endForAgreement'>,
  logger?: FunctionLogger,
  metrics?: FunctionMetrics,
) {
  return eventHandler(
    {
      accepts: 'an AgreementExpired or AgreementTerminated event',
      schema: agreementEnded,
      correlationId: (event) => event.detail.detail.id,
      handle: async (event, { logger, metrics }) => {
        const { tenantId } = event.detail;
        const agreementId = event.detail.detail.id;
        const ended = await plans.endForAgreement(
          tenantId,
          agreementId,
          AGREEMENT_END_EVENTS[event.detail.type],
        );
        metrics.count('ServicePlansEnded', ended.length);
        logger.info('plans of an ended agreement', { tenantId, agreementId, ended });
        return { ended };
      },
    },
    observability(SERVICE, { logger, metrics }),
  );
}

export const handler = builtOnFirstCall(() => createAgreementEndHandler(fromEnvironment(servicePlanEnding)));
