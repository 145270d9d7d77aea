import {
  ClaimTakenError,
  ConflictError,
  IdempotencyKeyTakenError,
  QuotaExceededError,
} from '../../domain/shared/errors';
import type { DomainEvent } from '../../domain/shared/events';
import type { Claim, IdempotencyClaim, OnceClaim, QuotaClaim, WriteEffects } from '../../domain/shared/ports';
import type { Clock } from '../../shared/clock';
import { companionItem, unchangedCheck, withdrawalUpdate } from './companions';
import { keys } from './keys';
import { addOrgChange } from './org-chart-change';
import { addSceneAccess } from './scene-access';
import { OUTBOX_ENTITY_TYPE } from './table-definition';
import type { Transaction } from './transaction';

const OUTBOX_RETENTION_SECONDS = 7 * 24 * 3600;
/**
 * An Idempotency-Key is answered for a day, as clients retry within minutes;
 * once-only claims outlive every redelivery (SES retries for hours, people
 * resend days later, a plan occurrence must never come back).
 */
export const CLAIM_RETENTION_SECONDS: Record<Claim['kind'], number> = {
  'idempotency-key': 24 * 3600,
  once: 400 * 24 * 3600,
  // Quota windows are hours; their counters are kept a little longer for whoever looks.
  quota: 2 * 24 * 3600,
};

export function outboxItem(event: DomainEvent, clock: Clock): Record<string, unknown> {
  return {
    ...keys.outboxEvent(event.tenantId, event.id),
    entityType: OUTBOX_ENTITY_TYPE,
    event,
    expiresAt: Math.floor(clock.now().getTime() / 1000) + OUTBOX_RETENTION_SECONDS,
  };
}

/**
 * Adds the outbox events and every claim to a transaction, so they commit
 * with the change or not at all. Each claim keeps what the change created, so
 * a repeated request can be answered as the first was.
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
  const now = clock.now();
  for (const claim of effects?.claims ?? []) {
    if (claim.kind === 'quota') tx.update(...quotaUpdate(tenantId, claim, now));
    else tx.put(...claimItem(tenantId, claim, now, created));
  }
  for (const companion of effects?.companions ?? []) tx.put(...companionItem(companion));
  for (const unchanged of effects?.unchanged ?? []) tx.check(...unchangedCheck(unchanged));
  for (const withdrawal of effects?.withdrawals ?? []) tx.update(...withdrawalUpdate(withdrawal));
  if (effects?.orgChange) addOrgChange(tx, tenantId, effects.orgChange);
  if (effects?.sceneAccess) addSceneAccess(tx, tenantId, effects.sceneAccess);
}

/** One more use of a quota, refused when the count has reached its limit. */
export function quotaUpdate(
  tenantId: string,
  claim: QuotaClaim,
  now: Date,
): Parameters<Transaction['update']> {
  return [
    keys.claim(tenantId, claim.scope, claim.key),
    'ADD #used :one SET entityType = :type, expiresAt = :expires',
    'attribute_not_exists(#used) OR #used < :limit',
    () => new QuotaExceededError(claim.scope, claim.key, claim.limit),
    {
      ':one': 1,
      ':type': 'Quota',
      ':limit': claim.limit,
      ':expires': Math.floor(now.getTime() / 1000) + CLAIM_RETENTION_SECONDS.quota,
    },
    { '#used': 'used' },
  ];
}

function claimItem(
  tenantId: string,
  claim: IdempotencyClaim | OnceClaim,
  now: Date,
  created: { resourceType: string; resource: unknown } | undefined,
): Parameters<Transaction['put']> {
  const kept = {
    resourceType: created?.resourceType,
    resource: created?.resource,
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + CLAIM_RETENTION_SECONDS[claim.kind],
  };
  if (claim.kind === 'idempotency-key') {
    return [
      {
        ...keys.idempotency(tenantId, claim.userId, claim.key, claim.row),
        entityType: 'IdempotencyRecord',
        fingerprint: claim.fingerprint,
        ...kept,
      },
      'attribute_not_exists(pk)',
      () => new IdempotencyKeyTakenError(claim.key),
    ];
  }
  const refersTo = claim.refersTo ?? (created?.resource as { id?: string } | undefined)?.id;
  return [
    {
      ...keys.claim(tenantId, claim.scope, claim.key),
      entityType: 'Claim',
      ...kept,
      ...(refersTo ? { refersTo } : {}),
    },
    'attribute_not_exists(pk)',
    () => new ClaimTakenError(claim.scope, claim.key),
  ];
}
