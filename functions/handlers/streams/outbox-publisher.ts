import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { OUTBOX_ENTITY_TYPE } from '../../adapters/dynamodb/table-definition';
import { EventBridgePublisher } from '../../adapters/eventbridge/publisher';
import { type DomainEvent, domainEventSchema, type EventPublisher } from '../../domain/shared/events';
import { readConfig, required } from '../../shared/config';
import type { FunctionLogger } from '../../shared/logger';
import type { FunctionMetrics } from '../../shared/metrics';
import { builtOnFirstCall } from '../entry';
import { eventHandler } from '../event-handler';
import { observability } from '../observability';
import { streamBatch } from './stream-batch';

const SERVICE = 'outbox-publisher';

/**
 * Reads outbox items from the table stream and publishes their events.
 * Records whose event could not be published are reported as batch item
 * failures, so Lambda retries from the first of them (events are at-least-once).
 */
export function createOutboxPublisher(
  publisher: EventPublisher,
  logger?: FunctionLogger,
  metrics?: FunctionMetrics,
) {
  return eventHandler<typeof streamBatch, DynamoDBBatchResponse>(
    {
      accepts: 'a DynamoDB stream batch',
      schema: streamBatch,
      // A batch has no id of its own: its first record's stands for it.
      correlationId: (batch) => batch.Records[0]?.eventID,
      handle: async (batch, { logger, metrics }) => {
        const pending: { sequenceNumber: string; event: DomainEvent }[] = [];
        for (const record of batch.Records) {
          const image = record.dynamodb?.NewImage;
          if (record.eventName !== 'INSERT' || !image) continue;
          const item = unmarshall(image as Record<string, AttributeValue>);
          if (item.entityType !== OUTBOX_ENTITY_TYPE) continue;
          const parsed = domainEventSchema.safeParse(item.event);
          if (!parsed.success) {
            // Retrying cannot fix a malformed event: log it with its key and move on.
            logger.error('outbox item holds no valid event', {
              pk: item.pk,
              sk: item.sk,
              issues: parsed.error.issues,
            });
            continue;
          }
          pending.push({
            sequenceNumber: record.dynamodb?.SequenceNumber ?? '',
            event: parsed.data as DomainEvent,
          });
        }
        if (pending.length === 0) return { batchItemFailures: [] };
        let failedIds: string[];
        try {
          ({ failedIds } = await publisher.publish(pending.map((p) => p.event)));
        } catch (error) {
          logger.error('publishing outbox events failed', { error, events: pending.length });
          failedIds = pending.map((p) => p.event.id);
        }
        const failed = pending.filter((p) => failedIds.includes(p.event.id));
        metrics.count('EventsPublished', pending.length - failed.length);
        if (failed.length > 0) metrics.count('EventsFailed', failed.length);
        logger.info('published outbox events', {
          published: pending.length - failed.length,
          failed: failed.length,
          eventIds: pending.map((p) => p.event.id),
        });
        return { batchItemFailures: failed.map((p) => ({ itemIdentifier: p.sequenceNumber })) };
      },
    },
    observability(SERVICE, { logger, metrics }),
  );
}

const eventBridge = new EventBridgeClient({});

export const handler = builtOnFirstCall(() => {
  const busName = required(readConfig(), 'EVENT_BUS_NAME');
  return createOutboxPublisher(new EventBridgePublisher(eventBridge, () => busName));
});
