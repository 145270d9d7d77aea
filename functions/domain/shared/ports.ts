import type { OrgChartChange } from '../organisation/org-chart';
import type { SceneAccessChange } from '../organisation/scene-access';
import type { Entity, Page, PageRequest } from './entity';
import type { DomainEvent } from './events';

/** The row number under which an import claims its whole file. */
export const IMPORT_FILE = 0;

/** A caller's Idempotency-Key, claimed in the same transaction as the change it guards. */
export interface IdempotencyClaim {
  kind: 'idempotency-key';
  userId: string;
  key: string;
  /**
   * One row of an imported file: each row is claimed under the file's key;
   * `IMPORT_FILE` (0: rows start at line 2) stands for the file as a whole.
   */
  row?: number;
  /** Hash of the request, so the same key with another request is refused. */
  fingerprint: string;
}

/**
 * Something that may take effect once, whoever asks and however often: an
 * SES messageId, a mail's Message-ID, a plan occurrence. Claimed in the same
 * transaction as the change it guards; a second claim fails with ClaimTakenError.
 */
export interface OnceClaim {
  kind: 'once';
  /** What kind of fact, e.g. `ses-message`, `message-id`, `plan-occurrence`. */
  scope: string;
  key: string;
  /**
   * What the fact is tied to, so it can be looked up by the fact (a mail's
   * Message-ID names its work order: the thread a reply belongs to). Left
   * out, it is the entity the change creates, if any.
   */
  refersTo?: string;
}

/**
 * One of at most `limit` uses of something in a window, e.g. a sender's new
 * work orders in an hour (the window is part of the key). Counted in the
 * same transaction as the change; past the limit the change is refused with
 * QuotaExceededError.
 */
export interface QuotaClaim {
  kind: 'quota';
  scope: string;
  key: string;
  limit: number;
}

/** What a write claims: any number of them, all checked in the one transaction that makes the change. */
export type Claim = IdempotencyClaim | OnceClaim | QuotaClaim;

/**
 * An entity of another aggregate that is written with a change, in its
 * transaction: the decision record of the inbound mail that created or
 * updated a work order, the attachments that mail brought.
 */
export type Companion =
  | { aggregate: 'inbound-mail' | 'work-order-attachment' | 'work-order-service-product'; entity: Entity }
  /** The record of a plan occurrence that got its work order: its key is the occurrence's claim. */
  | { aggregate: 'service-plan-occurrence'; entity: PlanOccurrenceRecord };

/** What the store needs of an occurrence record to key it; the rest is kept as given. */
export interface PlanOccurrenceRecord {
  tenantId: string;
  planId: string;
  date: string;
}

/** A plan occurrence whose work order was taken back: its record no longer claims the day. */
export interface OccurrenceWithdrawal extends PlanOccurrenceRecord {
  workOrderId: string;
  at: string;
  reason: string;
}

/**
 * What the change was decided on, which must still hold when it commits: a
 * plan still at the version read (a work order generated from it), an
 * agreement still active (a plan saved under it).
 */
export type Unchanged =
  | { aggregate: 'service-plan'; tenantId: string; id: string; version: number }
  | { aggregate: 'service-agreement'; tenantId: string; id: string; status: 'active' };

/** Side effects that commit atomically with a write. */
export interface WriteEffects {
  events?: DomainEvent[];
  claims?: readonly Claim[];
  companions?: readonly Companion[];
  /** Entities that must not have changed since they were read (the plan a work order is generated from). */
  unchanged?: readonly Unchanged[];
  /** Occurrence records whose work order is taken back in this change. */
  withdrawals?: readonly OccurrenceWithdrawal[];
  /** A change of the organisation's chart (superiors, parents, heads, scope), and the re-filing it starts. */
  orgChange?: OrgChartChange;
  /** What viewers' scenes read of the organisation: profiles, group memberships, sharing rules. */
  sceneAccess?: readonly SceneAccessChange[];
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
  find(tenantId: string, userId: string, key: string, row?: number): Promise<IdempotencyRecord | undefined>;
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
