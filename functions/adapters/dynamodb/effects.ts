import { ConflictError, IdempotencyKeyTakenError } from '../../domain/shared/errors';
import type { DomainEvent } from '../../domain/shared/events';
import type { WriteEffects } from '../../domain/shared/ports';
import type { Clock } from '../../shared/clock';
import { keys } from './keys';
import { OUTBOX_ENTITY_TYPE } from './table-definition';
import type { Transaction } from './transaction';

const OUTBOX_RETENTION_SECONDS = 7 * 24 * 3600;
export const IDEMPOTENCY_RETENTION_SECONDS = 24 * 3600;

export function outboxItem(event: DomainEvent, clock: Clock): Record<string, unknown> {
  return {
    ...keys.outboxEvent(event.tenantId, event.id),
    entityType: OUTBOX_ENTITY_TYPE,
    event,
    expiresAt: Math.floor(clock.now().getTime() / 1000) + OUTBOX_RETENTION_SECONDS,
  };
}

/**
 * Adds the outbox events and the idempotency claim to a transaction, so they
 * commit with the change or not at all.
 */
export function addEffects(
  tx: Transaction,
  tenantId: string,
  effects: WriteEffects | undefined,
  clock: Clock,
  created?: { resourceType: string; resource: unknown },
): void {
  for (const event of effects?.events ?? []) {
    tx.put(
      outboxItem(event, clock),
      'attribute_not_exists(pk)',
      () => new ConflictError(`Event ${event.id} already written`),
    );
  }
  const claim = effects?.idempotency;
  if (claim) {
    tx.put(
      {
        ...keys.idempotency(tenantId, claim.userId, claim.key),
        entityType: 'IdempotencyRecord',
        fingerprint: claim.fingerprint,
        resourceType: created?.resourceType,
        resource: created?.resource,
        createdAt: clock.now().toISOString(),
        expiresAt: Math.floor(clock.now().getTime() / 1000) + IDEMPOTENCY_RETENTION_SECONDS,
      },
      'attribute_not_exists(pk)',
      () => new IdempotencyKeyTakenError(claim.key),
    );
  }
}
