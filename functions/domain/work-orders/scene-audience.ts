import { headsOf, type OrgChart, superiorsOf } from '../organisation/org-chart';
import { type View, viewsOf } from './scenes';
import type { WorkOrder } from './work-order';

/** What the organisation's filing of a work order depends on: who is on it, and under which departments. */
export function audienceBasis(workOrder: WorkOrder): string {
  if (workOrder.lifecycle === 'obsolete') return 'obsolete';
  return JSON.stringify([
    workOrder.ownerId ?? null,
    workOrder.ownerDepartmentId ?? null,
    workOrder.team.map((m) => [m.userId, m.departmentId ?? null]),
  ]);
}

const unique = (values: (string | undefined)[]): string[] => [
  ...new Set(values.filter((v): v is string => v !== undefined)),
];

/**
 * The lists a work order is in because of the organisation, so that each
 * hierarchy scene is one partition: everyone above its person in charge
 * (their subordinates' responsibilities), above its team members (their
 * subordinates' participations), the heads of its departments (their
 * department's work, by the tenant's scope), and all of those together with
 * the people on it (everything they may read by person or department).
 */
export function audienceViews(workOrder: WorkOrder, chart: OrgChart): View[] {
  if (workOrder.lifecycle === 'obsolete') return [];
  const owner = workOrder.ownerId;
  const members = workOrder.team.map((m) => m.userId);
  const aboveOwner = owner ? superiorsOf(chart, owner) : [];
  const aboveMembers = unique(members.flatMap((m) => superiorsOf(chart, m)));
  const departments = unique([workOrder.ownerDepartmentId, ...workOrder.team.map((m) => m.departmentId)]);
  const heads = unique(departments.flatMap((d) => headsOf(chart, d)));
  const reach = unique([owner, ...members, ...aboveOwner, ...aboveMembers, ...heads]);
  return [
    ...aboveOwner.map((userId): View => ({ kind: 'below-owner', userId })),
    ...aboveMembers.map((userId): View => ({ kind: 'below-member', userId })),
    ...heads.map((userId): View => ({ kind: 'head', userId })),
    ...reach.map((userId): View => ({ kind: 'reach', userId })),
  ];
}

/** Every list the work order is in: by its own fields and by the organisation. */
export function allViewsOf(workOrder: WorkOrder, chart: OrgChart): View[] {
  return [...viewsOf(workOrder), ...audienceViews(workOrder, chart)];
}
