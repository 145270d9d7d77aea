import { describe, expect, it } from 'vitest';
import type { AgreementLine } from '../../functions/domain/agreements/agreement';
import { changesBetween } from '../../functions/domain/service-plans/plan-changes';
import { lineChosenBy, type PlanRule } from '../../functions/domain/service-plans/plan-rule';
import type { PlanOccurrence } from '../../functions/domain/service-plans/plan-series';

const line = (
  id: string,
  recordType: AgreementLine['recordType'],
  productId: string,
  autoCreate = false,
) => ({
  id,
  productId,
  recordType,
  quantity: 1,
  autoCreate,
});
const rule = (id: string, order: number, conditions: PlanRule['conditions'], enabled = true): PlanRule => ({
  id,
  tenantId: 't',
  version: 1,
  createdAt: '',
  updatedAt: '',
  name: id,
  order,
  enabled,
  ...(conditions ? { conditions } : {}),
});

describe('the plan rules', () => {
  const lines = [
    line('1', 'spare-part', 'filter'),
    line('2', 'recurring-service', 'maintenance'),
    line('3', 'recurring-service', 'inspection', true),
  ];

  it('take the first line of the first enabled rule, in rule order, that takes any', () => {
    const rules = [
      rule('late', 20, { recordTypes: ['spare-part'] }),
      rule('off', 1, { recordTypes: ['recurring-service'] }, false),
      rule('early', 10, { recordTypes: ['recurring-service'], autoCreate: true }),
    ];
    expect(lineChosenBy(rules, lines)).toMatchObject({ line: { id: '3' }, rule: { id: 'early' } });
    expect(lineChosenBy(rules.slice(0, 2), lines)).toMatchObject({ line: { id: '1' }, rule: { id: 'late' } });
  });

  it('need every condition given to hold, and take none when no rule matches', () => {
    expect(
      lineChosenBy([rule('r', 1, { productIds: ['maintenance'], recordTypes: ['spare-part'] })], lines),
    ).toBe(undefined);
    expect(lineChosenBy([rule('r', 1, { productIds: ['inspection'] })], lines)?.line.id).toBe('3');
    expect(lineChosenBy([rule('any', 1, undefined)], lines)?.line.id).toBe('1');
    expect(lineChosenBy([], lines)).toBeUndefined();
  });
});

const occurrence = (local: string): PlanOccurrence => ({
  date: local.slice(0, 10),
  local,
  at: `${local}:00.000Z`,
  generateAt: `${local}:00.000Z`,
});

describe('the difference an edit makes', () => {
  it('pairs what left with what came, in order, as moves; the rest was added or removed', () => {
    const before = ['2027-01-01T09:00', '2027-02-01T09:00', '2027-03-01T09:00'].map(occurrence);
    const after = ['2027-01-01T09:00', '2027-02-15T09:00'].map(occurrence);
    expect(changesBetween(before, after)).toEqual({
      moved: [
        {
          from: { date: '2027-02-01', local: '2027-02-01T09:00', at: '2027-02-01T09:00:00.000Z' },
          to: { date: '2027-02-15', local: '2027-02-15T09:00', at: '2027-02-15T09:00:00.000Z' },
        },
      ],
      removed: [{ date: '2027-03-01', local: '2027-03-01T09:00', at: '2027-03-01T09:00:00.000Z' }],
      added: [],
    });
  });

  it('counts a new time on the same day as a move, and an excluded date as a removal', () => {
    const before = ['2027-01-01T09:00', '2027-02-01T09:00'].map(occurrence);
    expect(
      changesBetween(before, ['2027-01-01T10:00', '2027-02-01T10:00'].map(occurrence)).moved,
    ).toHaveLength(2);
    const excluded = changesBetween(before, [occurrence('2027-01-01T09:00')]);
    expect(excluded).toMatchObject({ moved: [], added: [], removed: [{ date: '2027-02-01' }] });
    expect(changesBetween([], [occurrence('2027-04-01T09:00')])).toMatchObject({
      added: [{ date: '2027-04-01' }],
    });
  });
});
