import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../functions/domain/shared/errors';
import {
  assertTransition,
  type BusinessStatus,
  STATUSES,
  type WorkOrder,
} from '../../functions/domain/work-orders/work-order';

/**
 * The business status machine, written out independently of TRANSITIONS:
 * every allowed move is listed, every other pair of statuses is forbidden.
 */
const ALLOWED: Record<BusinessStatus, BusinessStatus[]> = {
  new: ['in-progress', 'cancelled'],
  'in-progress': ['resolved', 'cancelled'],
  resolved: ['closed', 'in-progress'],
  closed: ['in-progress'],
  cancelled: [],
};

const workOrderIn = (status: BusinessStatus) => ({ number: 'WO-2026-000001', status }) as WorkOrder;

const moves = STATUSES.flatMap((from) =>
  STATUSES.map((to) => ({ from, to, allowed: ALLOWED[from].includes(to) })),
);

describe('the business status machine', () => {
  it('knows exactly the five statuses of the table', () => {
    expect([...STATUSES].sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it.each(moves.filter((m) => m.allowed))('allows $from → $to', ({ from, to }) => {
    expect(() => assertTransition(workOrderIn(from), to)).not.toThrow();
  });

  it.each(moves.filter((m) => !m.allowed))(
    'refuses $from → $to with a 409 naming the allowed moves',
    ({ from, to }) => {
      let refusal: unknown;
      try {
        assertTransition(workOrderIn(from), to);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(ConflictError);
      expect((refusal as ConflictError).details).toEqual({ from, to, allowed: ALLOWED[from] });
      expect((refusal as Error).message).toBe(
        `Work order WO-2026-000001 cannot go from ${from} to ${to}; allowed: ${
          ALLOWED[from].length > 0 ? ALLOWED[from].join(', ') : 'none'
        }`,
      );
    },
  );
});
