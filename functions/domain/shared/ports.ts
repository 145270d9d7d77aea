import type { Entity, Page, PageRequest } from './entity';
import type { DomainEvent } from './events';

/** A caller's Idempotency-Key, claimed in the same transaction as the change it guards. */
export interface IdempotencyClaim {
  userId: string;
  key: string;
  /** Hash of the request, so the same key with another request is refused. */
  fingerprint: string;
}

/** Side effects that commit atomically with a write. */
export interface WriteEffects {
  events?: DomainEvent[];
  idempotency?: IdempotencyClaim;
}

/** Storage of one aggregate type. Implemented by an adapter; the domain never sees keys. */
export interface Repository<T extends Entity> {
  get(tenantId: string, id: string): Promise<T | undefined>;
  list(tenantId: string, page: PageRequest): Promise<Page<T>>;
  /** Fails with ConflictError when the id or a unique value is taken. */
  create(entity: T, effects?: WriteEffects): Promise<void>;
  /** `next.version` must be `previous.version + 1`; fails with VersionConflictError if the stored one moved on. */
  update(previous: T, next: T, effects?: WriteEffects): Promise<void>;
  /** Fails with VersionConflictError if the stored version is not `entity.version`. */
  delete(entity: T, effects?: WriteEffects): Promise<void>;
}

export interface IdempotencyRecord {
  fingerprint: string;
  resourceType: string;
  resource: unknown;
  createdAt: string;
}

export interface IdempotencyStore {
  find(tenantId: string, userId: string, key: string): Promise<IdempotencyRecord | undefined>;
  /**
   * Records the claim on its own, unless its key is taken: resolves with the
   * record already there (same or other fingerprint), or undefined when this
   * claim was written. For requests whose effects are not one transaction.
   */
  reserve(
    tenantId: string,
    claim: IdempotencyClaim,
    resourceType: string,
  ): Promise<IdempotencyRecord | undefined>;
}
