import * as z from 'zod/mini';
import { agreementServices } from '../../composition/agreements';
import { fromEnvironment } from '../../composition/environment';
import type { AgreementService } from '../../domain/agreements/agreement-service';
import type { FunctionLogger } from '../../shared/logger';
import type { FunctionMetrics } from '../../shared/metrics';
import { builtOnFirstCall } from '../entry';
import { eventHandler } from '../event-handler';
import { observability } from '../observability';

const SERVICE = 'agreement-expiry';

/** The schedule's input: which agreement to look at. */
const agreementExpiryDue = z.object({
  tenantId: z.string().check(z.minLength(1)),
  agreementId: z.string().check(z.minLength(1)),
});

/**
 * EventBridge Scheduler → an agreement whose last day has passed: active
 * becomes non-warranty (`AgreementExpired`), by a conditional write, once;
 * one that is no longer active, or not ended yet, is left as it is.
 */
export function createAgreementExpiryHandler(
  agreements: AgreementService,
  logger?: FunctionLogger,
  metrics?: FunctionMetrics,
) {
  return eventHandler(
    {
      accepts: 'an agreement expiry: expected tenantId, agreementId',
      schema: agreementExpiryDue,
      correlationId: (due) => due.agreementId,
      handle: async (due, { logger, metrics }) => {
        const outcome = await agreements.expire(due);
        if (outcome === 'expired') metrics.count('AgreementsExpired');
        logger.info('agreement expiry due', { ...due, outcome });
        return { outcome };
      },
    },
    observability(SERVICE, { logger, metrics }),
  );
}

export const handler = builtOnFirstCall(() =>
  createAgreementExpiryHandler(fromEnvironment(agreementServices).agreements),
);
