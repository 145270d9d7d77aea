import { readFileSync } from 'node:fs';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { DomainEvent, EventPublisher } from '../../functions/domain/shared/events';
import { createOutboxPublisher } from '../../functions/handlers/streams/outbox-publisher';
import { createLogger } from '../../functions/shared/logger';

const fixture = (name: string): DynamoDBStreamEvent =>
  JSON.parse(readFileSync(new URL(`../../events/dynamodb-stream/${name}`, import.meta.url), 'utf8'));

class RecordingPublisher implements EventPublisher {
  readonly published: DomainEvent[] = [];
  constructor(private readonly outcome: 'ok' | 'refuse-all' | 'unreachable' = 'ok') {}
  async publish(events: DomainEvent[]) {
    if (this.outcome === 'unreachable') throw new Error('bus unreachable');
    if (this.outcome === 'refuse-all') return { failedIds: events.map((e) => e.id) };
    this.published.push(...events);
    return { failedIds: [] };
  }
}

const lines: string[] = [];
const logger = createLogger({}, (line) => lines.push(line), 'debug');

describe('outbox publisher', () => {
  it('publishes only inserted outbox items, as domain events', async () => {
    const publisher = new RecordingPublisher();
    const response = await createOutboxPublisher(publisher, logger)(fixture('mixed-batch.json'));
    expect(response.batchItemFailures).toEqual([]);
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]).toMatchObject({
      type: 'AccountCreated',
      tenantId: 'demo',
      detail: { version: 1 },
    });
  });

  it('reports refused events by sequence number so Lambda retries them', async () => {
    const response = await createOutboxPublisher(
      new RecordingPublisher('refuse-all'),
      logger,
    )(fixture('outbox-insert.json'));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '111100000000000000000001' }]);
  });

  it('reports the whole batch when the bus cannot be reached, and logs why', async () => {
    lines.length = 0;
    const response = await createOutboxPublisher(
      new RecordingPublisher('unreachable'),
      logger,
    )(fixture('mixed-batch.json'));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '111100000000000000000003' }]);
    expect(lines.some((line) => line.includes('bus unreachable'))).toBe(true);
  });

  it('skips an outbox item without a valid event instead of blocking the shard', async () => {
    const event = fixture('outbox-insert.json');
    const image = event.Records[0]?.dynamodb?.NewImage;
    if (image) image.event = { M: { id: { S: 'x' } } };
    const publisher = new RecordingPublisher();
    lines.length = 0;

    const response = await createOutboxPublisher(publisher, logger)(event);

    expect(response.batchItemFailures).toEqual([]);
    expect(publisher.published).toEqual([]);
    expect(lines.some((line) => line.includes('outbox item holds no valid event'))).toBe(true);
  });
});
