/**
 * Typed errors raised by the domain and the adapters. They are mapped to HTTP
 * in exactly one place: `handlers/api/http/problem.ts`.
 */
export interface FieldError {
  /** Dotted path of the offending field, e.g. `address.postalCode` or `body.name`. */
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
  ) {
    super(message);
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

/** An Idempotency-Key sent again with a different request: 422, the request cannot be matched to the first. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly kind = 'unprocessable';
  readonly fields: FieldError[];
  constructor(key: string, what = 'a different request') {
    super(`Idempotency-Key ${key} was used with ${what}`);
    this.fields = [{ field: 'header.idempotency-key', message: `Already used with ${what}` }];
  }
}
