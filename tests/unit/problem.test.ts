import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../functions/domain/shared/errors';
import { toProblem } from '../../functions/handlers/api/http/problem';

describe('toProblem: the one mapping of errors to problem details', () => {
  it('keeps the status it maps to when a conflict carries details of the same names', () => {
    const problem = toProblem(
      new ConflictError('Agreement a1 is active, not draft', {
        status: 'active',
        title: 'x',
        agreementStatus: 'active',
      }),
      'c1',
    );
    expect(problem).toMatchObject({
      status: 409,
      title: 'Conflict',
      correlationId: 'c1',
      agreementStatus: 'active',
    });
    expect(problem.detail).toBe('Agreement a1 is active, not draft');
  });

  it('lists the fields of a validation error and hides anything that is not a domain error', () => {
    expect(
      toProblem(new ValidationError('bad', [{ field: 'body.name', message: 'Required' }]), 'c2'),
    ).toMatchObject({
      status: 400,
      errors: [{ field: 'body.name', message: 'Required' }],
    });
    expect(toProblem(new NotFoundError('Agreement', 'a1'), 'c3').status).toBe(404);
    const hidden = toProblem(new Error('secret table name'), 'c4');
    expect(hidden.status).toBe(500);
    expect(JSON.stringify(hidden)).not.toContain('secret');
  });
});
