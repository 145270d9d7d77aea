import * as z from 'zod/mini';
// Validation messages in English.
import './schema';

/** A domain event as it travels: written to the outbox with the change, published to the bus from the stream. */
export interface DomainEvent<TDetail extends object = Record<string, unknown>> {
  id: string;
  /** EventBridge detail-type, e.g. `AccountCreated`. */
  type: string;
  /** EventBridge source, `fieldservice.<context>`. */
  source: `fieldservice.${string}`;
  tenantId: string;
  occurredAt: string;
  /** Who caused it; absent for system actions. */
  actorId?: string;
  detail: TDetail;
}

/** The envelope every domain event has on the bus; `detail` is checked by each event's own schema. */
export const domainEventSchema = z.object({
  id: z.string().check(z.minLength(1)),
  type: z.string().check(z.regex(/^[A-Z][A-Za-z]+$/)),
  source: z.string().check(z.regex(/^fieldservice\.[a-z-]+$/)),
  tenantId: z.string().check(z.minLength(1)),
  occurredAt: z.string().check(z.iso.datetime({ offset: true })),
  actorId: z.optional(z.string()),
  detail: z.record(z.string(), z.unknown()),
});

/** Where events go: EventBridge in AWS, the in-process bus locally. */
export interface EventPublisher {
  /** Returns the ids of the events the bus refused; throws when it cannot be reached. */
  publish(events: DomainEvent[]): Promise<{ failedIds: string[] }>;
}
