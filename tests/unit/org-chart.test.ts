import { describe, expect, it } from 'vitest';
import { MAX_HIERARCHY_DEPTH } from '../../functions/domain/organisation/hierarchy';
import {
  departmentFacts,
  emptyOrgChart,
  headsOf,
  movesChart,
  type OrgChart,
  type OrgFact,
  subDepartmentsIn,
  subordinatesIn,
  superiorsOf,
  userFacts,
  withFacts,
} from '../../functions/domain/organisation/org-chart';
import { audienceBasis, audienceViews } from '../../functions/domain/work-orders/scene-audience';
import { MAX_HELD_VIEWERS, planReindex } from '../../functions/domain/work-orders/scene-reindex';
import type { WorkOrder } from '../../functions/domain/work-orders/work-order';

/**
 *   manager ── lead ──┬── tech1          service (head: head) ── north (head: nhead)
 *                     └── tech2                               └── south
 */
const facts: OrgFact[] = [
  { kind: 'superior', userId: 'lead', value: 'manager' },
  { kind: 'superior', userId: 'tech1', value: 'lead' },
  { kind: 'superior', userId: 'tech2', value: 'lead' },
  { kind: 'parent', departmentId: 'north', value: 'service' },
  { kind: 'parent', departmentId: 'south', value: 'service' },
  { kind: 'head', departmentId: 'service', value: 'head' },
  { kind: 'head', departmentId: 'north', value: 'nhead' },
];
const chart: OrgChart = withFacts(emptyOrgChart(), facts);
const narrow: OrgChart = withFacts(chart, [{ kind: 'scope', value: 'own-department' }]);

const order = (extra: Partial<WorkOrder> = {}): WorkOrder => ({
  id: 'w',
  tenantId: 't',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  number: 'WO-2026-000001',
  title: 'x',
  priority: 'normal',
  channel: 'staff',
  team: [],
  status: 'new',
  lifecycle: 'normal',
  locked: false,
  createdBy: 'admin',
  ...extra,
});
const names = (views: { kind: string; userId?: string }[]) =>
  views.map((v) => `${v.kind}#${v.userId}`).sort();

describe('the org chart', () => {
  it('walks superiors nearest first and departments up to the root', () => {
    expect(superiorsOf(chart, 'tech1')).toEqual(['lead', 'manager']);
    expect(superiorsOf(chart, 'manager')).toEqual([]);
    expect(headsOf(chart, 'north')).toEqual(['nhead', 'head']);
    expect(headsOf(chart, 'south')).toEqual(['head']);
    expect(headsOf(narrow, 'north')).toEqual(['nhead']);
    expect(headsOf(narrow, 'south')).toEqual([]);
  });

  it('stops a chain at the hierarchy depth and at a loop', () => {
    const deep = withFacts(
      emptyOrgChart(),
      Array.from({ length: MAX_HIERARCHY_DEPTH + 5 }, (_, i) => ({
        kind: 'superior' as const,
        userId: `u${i}`,
        value: `u${i + 1}`,
      })),
    );
    expect(superiorsOf(deep, 'u0')).toHaveLength(MAX_HIERARCHY_DEPTH);
    const loop = withFacts(emptyOrgChart(), [
      { kind: 'superior', userId: 'a', value: 'b' },
      { kind: 'superior', userId: 'b', value: 'a' },
    ]);
    expect(superiorsOf(loop, 'a')).toEqual(['b', 'a']);
  });

  it('finds everyone and every department below, at any depth', () => {
    expect(subordinatesIn(chart, 'manager').sort()).toEqual(['lead', 'tech1', 'tech2']);
    expect(subordinatesIn(chart, 'tech1')).toEqual([]);
    expect(subDepartmentsIn(chart, 'service').sort()).toEqual(['north', 'south']);
  });

  it('applies facts without touching the chart it came from, and removes a fact without a value', () => {
    const moved = withFacts(chart, [{ kind: 'superior', userId: 'tech1' }]);
    expect(moved.superiors.has('tech1')).toBe(false);
    expect(chart.superiors.get('tech1')).toBe('lead');
    expect(movesChart(chart, { kind: 'superior', userId: 'tech1', value: 'lead' })).toBe(false);
    expect(movesChart(chart, { kind: 'superior', userId: 'tech1', value: 'manager' })).toBe(true);
    expect(movesChart(chart, { kind: 'scope', value: 'with-sub-departments' })).toBe(false);
    expect(movesChart(chart, { kind: 'head', departmentId: 'south', value: 'x' })).toBe(true);
    expect(movesChart(chart, { kind: 'parent', departmentId: 'north', value: 'service' })).toBe(false);
  });

  it('names the facts a user or a department change moves, and none when nothing moved', () => {
    expect(userFacts({ id: 'u', superiorId: 'a' }, { id: 'u', superiorId: 'a' })).toEqual([]);
    expect(userFacts({ id: 'u', superiorId: 'a' }, { id: 'u' })).toEqual([{ kind: 'superior', userId: 'u' }]);
    expect(userFacts(undefined, { id: 'u', superiorId: 'b' })).toEqual([
      { kind: 'superior', userId: 'u', value: 'b' },
    ]);
    expect(departmentFacts({ id: 'd', headId: 'h' }, { id: 'd', parentId: 'p', headId: 'h' })).toEqual([
      { kind: 'parent', departmentId: 'd', value: 'p' },
    ]);
    expect(departmentFacts({ id: 'd', headId: 'h' }, undefined)).toEqual([
      { kind: 'head', departmentId: 'd' },
    ]);
  });
});

describe('what the organisation files a work order under', () => {
  it('files it under everyone above its people, the heads of its departments, and all of them as reach', () => {
    const filed = audienceViews(
      order({
        ownerId: 'tech1',
        ownerDepartmentId: 'north',
        team: [{ userId: 'tech2', access: 'read-only', departmentId: 'south' }],
      }),
      chart,
    );
    expect(names(filed)).toEqual(
      [
        'below-owner#lead',
        'below-owner#manager',
        'below-member#lead',
        'below-member#manager',
        'head#nhead',
        'head#head',
        ...['tech1', 'tech2', 'lead', 'manager', 'nhead', 'head'].map((u) => `reach#${u}`),
      ].sort(),
    );
  });

  it('files an obsolete one under nothing, and one without people under nothing', () => {
    expect(audienceViews(order({ ownerId: 'tech1', lifecycle: 'obsolete' }), chart)).toEqual([]);
    expect(audienceViews(order(), chart)).toEqual([]);
  });

  it('sees a change of people or departments in the basis, and not one of the status', () => {
    const base = order({ ownerId: 'tech1', ownerDepartmentId: 'north' });
    expect(audienceBasis({ ...base, status: 'closed' })).toBe(audienceBasis(base));
    expect(audienceBasis({ ...base, ownerId: 'tech2' })).not.toBe(audienceBasis(base));
    expect(audienceBasis({ ...base, ownerDepartmentId: 'south' })).not.toBe(audienceBasis(base));
    expect(audienceBasis({ ...base, team: [{ userId: 'x', access: 'read-only' }] })).not.toBe(
      audienceBasis(base),
    );
    expect(audienceBasis({ ...base, lifecycle: 'obsolete' })).not.toBe(audienceBasis(base));
  });
});

describe('planning a re-filing', () => {
  it('re-files everyone below a user who gets another superior, holding both chains', () => {
    const plan = planReindex(chart, [{ kind: 'superior', userId: 'lead', value: 'head' }]);
    expect(plan?.holds).toEqual(expect.arrayContaining(['manager', 'head']));
    expect(plan?.holds).toHaveLength(2);
    expect(names(plan?.targets ?? [])).toEqual(
      ['lead', 'tech1', 'tech2'].flatMap((u) => [`owner#${u}`, `member#${u}`]).sort(),
    );
  });

  it('re-files a moved department and those below it, holding the heads above the old and new parent', () => {
    const plan = planReindex(chart, [{ kind: 'parent', departmentId: 'service', value: 'other' }]);
    expect(plan?.targets.map((t) => ('departmentId' in t ? t.departmentId : '')).sort()).toEqual([
      'north',
      'service',
      'south',
    ]);
    const moved = planReindex(chart, [{ kind: 'parent', departmentId: 'north', value: 'south' }]);
    expect(moved?.holds).toEqual(['head']);
    expect(planReindex(narrow, [{ kind: 'parent', departmentId: 'north', value: 'south' }])).toBeUndefined();
  });

  it('holds the old and the new head of a department', () => {
    const plan = planReindex(chart, [{ kind: 'head', departmentId: 'north', value: 'other' }]);
    expect(plan?.holds).toEqual(expect.arrayContaining(['nhead', 'other']));
    expect(plan?.holds).toHaveLength(2);
    const own = planReindex(narrow, [{ kind: 'head', departmentId: 'service', value: 'x' }]);
    expect(own?.targets).toEqual([{ kind: 'department', departmentId: 'service' }]);
  });

  it('holds everyone when the scope changes or the holds would be too many', () => {
    expect(planReindex(chart, [{ kind: 'scope', value: 'own-department' }])?.holds).toBe('everyone');
    expect(planReindex(chart, [{ kind: 'scope', value: 'with-sub-departments' }])).toBeUndefined();
    const wide = withFacts(
      emptyOrgChart(),
      Array.from({ length: MAX_HELD_VIEWERS + 1 }, (_, i) => ({
        kind: 'head' as const,
        departmentId: `d${i}`,
        value: `h${i}`,
      })),
    );
    const many = planReindex(
      wide,
      Array.from({ length: MAX_HELD_VIEWERS + 1 }, (_, i) => ({
        kind: 'head' as const,
        departmentId: `d${i}`,
        value: `k${i}`,
      })),
    );
    expect(many?.holds).toBe('everyone');
  });
});
