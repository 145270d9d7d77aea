import { SESClient } from '@aws-sdk/client-ses';
import * as z from 'zod/mini';
import { SesMailer } from '../../adapters/ses/mailer';
import { fromEnvironment } from '../../composition/environment';
import { workOrderMailerApplication } from '../../composition/work-orders';
import { type DomainEvent, domainEventSchema } from '../../domain/shared/events';
import type { WorkOrderMailer } from '../../domain/work-orders/work-order-mailer';
import type { FunctionLogger } from '../../shared/logger';
import type { FunctionMetrics } from '../../shared/metrics';
import { builtOnFirstCall } from '../entry';
import { eventHandler } from '../event-handler';
import { observability } from '../observability';

const SERVICE = 'work-order-mailer';

/** The EventBridge event a `WorkOrderForwarded` rule delivers. */
const workOrderForwarded = z.object({
  id: z.string(),
  'detail-type': z.literal('WorkOrderForwarded'),
  detail: z.extend(domainEventSchema, { type: z.literal('WorkOrderForwarded') }),
});

/**
 * EventBridge (`WorkOrderForwarded`) → the forwarded work order as a mail.
 * Sends at most once per event id, by a claim written before sending; a
 * failure throws, so Lambda retries and then keeps the event in the DLQ.
 */
export function createWorkOrderMailer(
  mailer: WorkOrderMailer,
  logger?: FunctionLogger,
  metrics?: FunctionMetrics,
) {
  return eventHandler(
    {
      accepts: 'a WorkOrderForwarded event',
      schema: workOrderForwarded,
      correlationId: (event) => event.detail.id,
      handle: async (event, { logger, metrics }) => {
        const domainEvent = event.detail as DomainEvent;
        const result = await mailer.deliverForwarded(domainEvent);
        metrics.count('MailsProcessed');
        if (result.outcome === 'sent') metrics.count('MailsSent');
        logger.info('work order forwarded by mail', {
          tenantId: domainEvent.tenantId,
          workOrderId: domainEvent.detail.id,
          ...result,
        });
        return result;
      },
    },
    observability(SERVICE, { logger, metrics }),
  );
}

const ses = new SESClient({});

export const handler = builtOnFirstCall(() =>
  createWorkOrderMailer(
    fromEnvironment(workOrderMailerApplication, () => ({ mail: new SesMailer(ses) })).workOrderMailer,
  ),
);
