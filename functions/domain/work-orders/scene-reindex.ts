import {
  headsOf,
  type OrgChart,
  type OrgFact,
  subDepartmentsIn,
  subordinatesIn,
  superiorsOf,
} from '../organisation/org-chart';
import type { Entity } from '../shared/entity';
import type { View } from './scenes';

/** Past this many viewers a re-index holds everyone's filed scenes rather than list them. */
export const MAX_HELD_VIEWERS = 60;

export interface ReindexProgress {
  /** The index in `targets` of the list being walked, and where in it. */
  target: number;
  cursor?: string;
  ordersSeen: number;
  ordersRefiled: number;
  entriesWritten: number;
  entriesDeleted: number;
}

/**
 * Re-filing the work orders an organisation change moved: which lists to
 * walk (those of the people and departments below the change), whose
 * filed scenes are read live meanwhile (`holds`), and how far it got.
 */
export interface SceneReindexJob extends Entity {
  cause: OrgFact[];
  holds: string[] | 'everyone';
  targets: View[];
  status: 'running' | 'done';
  progress: ReindexProgress;
  finishedAt?: string;
}

export interface ReindexPlan {
  holds: string[] | 'everyone';
  targets: View[];
}

const people = (userIds: string[]): View[] =>
  userIds.flatMap((userId): View[] => [
    { kind: 'owner', userId },
    { kind: 'member', userId },
  ]);
const departments = (ids: string[]): View[] =>
  ids.map((departmentId): View => ({ kind: 'department', departmentId }));

/**
 * What a change of the organisation's facts re-files, planned on the chart
 * as it was before: the work orders of everyone below a user who gets
 * another superior, and of every department below one that moves or gets
 * another head. Whoever could see them before or after is held.
 */
export function planReindex(before: OrgChart, facts: readonly OrgFact[]): ReindexPlan | undefined {
  const held = new Set<string>();
  let everyone = false;
  const targets: View[] = [];
  const chainOf = (userId: string | undefined) => (userId ? [userId, ...superiorsOf(before, userId)] : []);
  for (const fact of facts) {
    switch (fact.kind) {
      case 'superior': {
        for (const id of [...chainOf(before.superiors.get(fact.userId)), ...chainOf(fact.value)])
          held.add(id);
        targets.push(...people([fact.userId, ...subordinatesIn(before, fact.userId)]));
        break;
      }
      case 'parent': {
        if (before.scope === 'own-department') break;
        const previous = before.parents.get(fact.departmentId);
        for (const parent of [previous, fact.value])
          if (parent) for (const head of headsOf(before, parent)) held.add(head);
        targets.push(...departments([fact.departmentId, ...subDepartmentsIn(before, fact.departmentId)]));
        break;
      }
      case 'head': {
        for (const head of [before.heads.get(fact.departmentId), fact.value]) if (head) held.add(head);
        const below = before.scope === 'own-department' ? [] : subDepartmentsIn(before, fact.departmentId);
        targets.push(...departments([fact.departmentId, ...below]));
        break;
      }
      case 'scope': {
        if (fact.value === before.scope) break;
        everyone = true;
        const all = new Set([...before.parents.keys(), ...before.parents.values(), ...before.heads.keys()]);
        targets.push(...departments([...all]));
        break;
      }
    }
  }
  if (targets.length === 0) return undefined;
  const unique = [...new Map(targets.map((t) => [JSON.stringify(t), t])).values()];
  return {
    holds: everyone || held.size > MAX_HELD_VIEWERS ? 'everyone' : [...held],
    targets: unique,
  };
}

export function newReindexJob(base: Entity, cause: readonly OrgFact[], plan: ReindexPlan): SceneReindexJob {
  return {
    ...base,
    cause: [...cause],
    holds: plan.holds,
    targets: plan.targets,
    status: 'running',
    progress: { target: 0, ordersSeen: 0, ordersRefiled: 0, entriesWritten: 0, entriesDeleted: 0 },
  };
}
