import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DomainEvent, EventPublisher } from '../../functions/domain/shared/events';

export type Subscriber = (event: DomainEvent) => Promise<void> | void;

/**
 * EventBridge for the local runtime: events are appended to an NDJSON file
 * (the local "archive") and handed to the subscribers whose pattern matches.
 */
export class LocalEventBus implements EventPublisher {
  private readonly subscribers: { pattern: { source?: string; type?: string }; subscriber: Subscriber }[] =
    [];
  readonly published: DomainEvent[] = [];

  constructor(private readonly archiveFile?: string) {
    if (archiveFile) mkdirSync(dirname(archiveFile), { recursive: true });
  }

  subscribe(pattern: { source?: string; type?: string }, subscriber: Subscriber): void {
    this.subscribers.push({ pattern, subscriber });
  }

  async publish(events: DomainEvent[]): Promise<{ failedIds: string[] }> {
    for (const event of events) {
      this.published.push(event);
      if (this.archiveFile) appendFileSync(this.archiveFile, `${JSON.stringify(event)}\n`);
      for (const { pattern, subscriber } of this.subscribers) {
        if (
          (pattern.source ?? event.source) === event.source &&
          (pattern.type ?? event.type) === event.type
        ) {
          await subscriber(event);
        }
      }
    }
    return { failedIds: [] };
  }
}
