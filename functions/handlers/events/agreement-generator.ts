import * as z from 'zod/mini';
import { agreementServices } from '../../composition/agreements';
import { fromEnvironment } from '../../composition/environment';
import type { SystemActor } from '../../domain/access/actor';
import type { AgreementGeneration } from '../../domain/agreements/agreement-generation';
import { salesOrderCreatedDetail } from '../../domain/agreements/events';
import { domainEventSchema } from '../../domain/shared/events';
import type { FunctionLogger } from '../../shared/logger';
import type { FunctionMetrics } from '../../shared/metrics';
import { builtOnFirstCall } from '../entry';
import { eventHandler } from '../event-handler';
import { observability } from '../observability';

const SERVICE = 'agreement-generator';

/** The EventBridge event a `SalesOrderCreated` rule delivers. */
const salesOrderCreated = z.object({
  id: z.string(),
  'detail-type': z.literal('SalesOrderCreated'),
  detail: z.extend(domainEventSchema, {
    type: z.literal('SalesOrderCreated'),
    detail: salesOrderCreatedDetail,
  }),
});

/**
 * EventBridge (`SalesOrderCreated`) → the order's agreements, by the tenant's
 * rules, as the agreement-generation workflow. Once per order and rule
 * however often the event comes (each agreement is created under a claim);
 * a failure throws, so Lambda retries and then keeps the event in the DLQ.
 */
export function createAgreementGenerator(
  generation: AgreementGeneration,
  logger?: FunctionLogger,
  metrics?: FunctionMetrics,
) {
  return eventHandler(
    {
      accepts: 'a SalesOrderCreated event',
      schema: salesOrderCreated,
      correlationId: (event) => event.detail.detail.id,
      handle: async (event, { logger, metrics }) => {
        const actor: SystemActor = { tenantId: event.detail.tenantId, system: 'workflow', id: SERVICE };
        const result = await generation.generate(actor, event.detail.detail.id);
        metrics.count('AgreementsGenerated', result.created.length);
        logger.info('agreements generated', {
          tenantId: actor.tenantId,
          salesOrderId: result.salesOrderId,
          created: result.created.map((agreement) => agreement.id),
          existing: result.existing,
          skipped: result.skipped,
        });
        return { created: result.created.length, existing: result.existing.length };
      },
    },
    observability(SERVICE, { logger, metrics }),
  );
}

export const handler = builtOnFirstCall(() =>
  createAgreementGenerator(fromEnvironment(agreementServices).generation),
);
