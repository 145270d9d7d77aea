import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DomainEvent, EventPublisher } from '../../domain/shared/events';

const MAX_ENTRIES_PER_CALL = 10;

/** Publishes domain events to an EventBridge bus, ten per PutEvents call. */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: () => string,
  ) {}

  async publish(events: DomainEvent[]): Promise<{ failedIds: string[] }> {
    const failedIds: string[] = [];
    for (let i = 0; i < events.length; i += MAX_ENTRIES_PER_CALL) {
      const chunk = events.slice(i, i + MAX_ENTRIES_PER_CALL);
      const { Entries = [] } = await this.client.send(
        new PutEventsCommand({
          Entries: chunk.map((event) => ({
            EventBusName: this.busName(),
            Source: event.source,
            DetailType: event.type,
            Time: new Date(event.occurredAt),
            Detail: JSON.stringify(event),
          })),
        }),
      );
      // Entries answer in request order; an entry with an ErrorCode was not published.
      chunk.forEach((event, index) => {
        if (Entries[index]?.ErrorCode || !Entries[index]) failedIds.push(event.id);
      });
    }
    return { failedIds };
  }
}
