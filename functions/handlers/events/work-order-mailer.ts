import { SESClient } from '@aws-sdk/client-ses';
import type { EventBridgeEvent } from 'aws-lambda';
import { SesMailer } from '../../adapters/ses/mailer';
import { applicationFromEnvironment } from '../../composition/environment';
import { ValidationError } from '../../domain/shared/errors';
import { type DomainEvent, domainEventSchema } from '../../domain/shared/events';
import type { WorkOrderMailer } from '../../domain/work-orders/work-order-mailer';
import { createLogger, type Logger } from '../../shared/logger';
import { builtOnFirstCall } from '../entry';

/**
 * EventBridge (`WorkOrderForwarded`) → the forwarded work order as a mail.
 * Sends at most once per event id, by a claim written before sending; a
 * failure throws, so Lambda retries and then keeps the event in the DLQ.
 */
export function createWorkOrderMailer(
  mailer: WorkOrderMailer,
  logger: Logger = createLogger({ service: 'work-order-mailer' }),
) {
  return async (event: EventBridgeEvent<string, unknown>) => {
    const parsed = domainEventSchema.safeParse(event.detail);
    if (!parsed.success || parsed.data.type !== 'WorkOrderForwarded') {
      throw new ValidationError(`Not a WorkOrderForwarded event: ${event['detail-type']}`);
    }
    const domainEvent = parsed.data as DomainEvent;
    const result = await mailer.deliverForwarded(domainEvent);
    logger.info('work order forwarded by mail', {
      eventId: domainEvent.id,
      tenantId: domainEvent.tenantId,
      workOrderId: domainEvent.detail.id,
      ...result,
    });
    return result;
  };
}

const ses = new SESClient({});

export const handler = builtOnFirstCall(() =>
  createWorkOrderMailer(applicationFromEnvironment(() => ({ mail: new SesMailer(ses) })).workOrderMailer),
);
