/**
 * Typed errors raised by the domain and the adapters. They are mapped to HTTP
 * in exactly one place: `handlers/api/http/problem.ts`.
 */
export interface FieldError {
  /** Dotted path of the offending field, e.g. `address.postalCode`; the HTTP edge prefixes `body.` or `query.`. */
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind:
    | 'validation'
    | 'unauthorized'
    | 'forbidden'
    | 'not-found'
    | 'conflict'
    | 'unprocessable';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly kind = 'validation';
  constructor(
    message: string,
    readonly fields: FieldError[] = [],
    /** Where in the request the fields are: set by the HTTP edge, never by the domain. */
    readonly location?: string,
  ) {
    super(message);
  }

  /**
   * The same error with its fields placed in the request (`body.title`). The
   * domain names fields of its own input (`title`, `team.0.userId`, or `` for
   * the input as a whole); errors already placed are left as they are.
   */
  locatedIn(location: string): ValidationError {
    if (this.location !== undefined) return this;
    const fields = this.fields.map(({ field, message }) => ({
      field: field === '' ? location : `${location}.${field}`,
      message,
    }));
    return new ValidationError(this.message, fields, location);
  }
}

export class UnauthorizedError extends DomainError {
  readonly kind = 'unauthorized';
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} was not found`);
  }
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Another writer changed the item since it was read (optimistic locking). */
export class VersionConflictError extends ConflictError {
  constructor(resource: string, id: string, expectedVersion: number) {
    super(`${resource} ${id} was changed by someone else: version ${expectedVersion} is no longer current`, {
      expectedVersion,
    });
  }
}

/** The Idempotency-Key was claimed by an earlier (or concurrent) request. */
export class IdempotencyKeyTakenError extends ConflictError {
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used`);
  }
}

/** Another transaction held one of the items at the same moment (DynamoDB's TransactionConflict): try again. */
export class TransactionConflictError extends ConflictError {
  constructor() {
    super('Another change to the same data was in progress; try again');
  }
}

/** A once-only claim (an SES messageId, a Message-ID, a plan occurrence) that an earlier change holds. */
export class ClaimTakenError extends ConflictError {
  constructor(
    readonly scope: string,
    readonly key: string,
  ) {
    super(`${scope} ${key} was already taken into account`, { scope, key });
  }
}

/** A quota claim found its limit reached: the change it guards is not made. */
export class QuotaExceededError extends ConflictError {
  constructor(
    readonly scope: string,
    readonly key: string,
    readonly limit: number,
  ) {
    super(`${scope} ${key} reached its limit of ${limit}`, { scope, key, limit });
  }
}

/** An Idempotency-Key sent again with a different request: 422, the request cannot be matched to the first. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly kind = 'unprocessable';
  readonly fields: FieldError[];
  constructor(key: string, what = 'a different request') {
    super(`Idempotency-Key ${key} was used with ${what}`);
    this.fields = [{ field: 'header.idempotency-key', message: `Already used with ${what}` }];
  }
}
