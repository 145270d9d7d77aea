import * as z from 'zod/mini';
import { agreementProducts } from '../../composition/consumption';
import { fromEnvironment } from '../../composition/environment';
import type { AgreementProducts } from '../../domain/consumption/agreement-products';
import { ClaimTakenError } from '../../domain/shared/errors';
import { domainEventSchema } from '../../domain/shared/events';
import type { FunctionLogger } from '../../shared/logger';
import type { FunctionMetrics } from '../../shared/metrics';
import { builtOnFirstCall } from '../entry';
import { eventHandler } from '../event-handler';
import { observability } from '../observability';

const SERVICE = 'agreement-products';

/** The EventBridge event a `WorkOrderCreated` rule delivers. */
const workOrderCreated = z.object({
  id: z.string(),
  'detail-type': z.literal('WorkOrderCreated'),
  detail: z.extend(domainEventSchema, {
    type: z.literal('WorkOrderCreated'),
    detail: z.object({ id: z.string().check(z.minLength(1)) }),
  }),
});

/**
 * EventBridge (`WorkOrderCreated`) → the auto-create lines of the agreement
 * that covers the new work order's device or account become its service
 * products. Once per work order (a claim in the same transaction): a
 * redelivery finds the claim taken and adds nothing.
 */
export function createAgreementProductsHandler(
  products: AgreementProducts,
  logger?: FunctionLogger,
  metrics?: FunctionMetrics,
) {
  return eventHandler(
    {
      accepts: 'a WorkOrderCreated event',
      schema: workOrderCreated,
      correlationId: (event) => event.detail.detail.id,
      handle: async (event, { logger, metrics }) => {
        const { tenantId } = event.detail;
        const workOrderId = event.detail.detail.id;
        try {
          const result = await products.add(tenantId, workOrderId);
          metrics.count('AgreementProductsAdded', result.added);
          logger.info('agreement products', { tenantId, workOrderId, ...result });
          return result;
        } catch (error) {
          if (!(error instanceof ClaimTakenError)) throw error;
          logger.info('agreement products were added before', { tenantId, workOrderId });
          return { added: 0, reason: 'added before' };
        }
      },
    },
    observability(SERVICE, { logger, metrics }),
  );
}

export const handler = builtOnFirstCall(() =>
  createAgreementProductsHandler(fromEnvironment(agreementProducts)),
);
