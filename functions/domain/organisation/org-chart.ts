import type { Entity } from '../shared/entity';
import { MAX_HIERARCHY_DEPTH } from './hierarchy';
import type { TenantSettings } from './tenant';

type Scope = TenantSettings['superiorVisibleDataScope'];

/**
 * The facts of a tenant's organisation that decide who sees whose work:
 * each user's superior, each department's parent and head, and how far a
 * head sees. Kept as one snapshot per tenant with a revision that every
 * change of these facts moves on, so whatever is filed by them (the work
 * orders' scene entries) can be checked against the revision it was filed at.
 */
export interface OrgChart {
  revision: number;
  scope: Scope;
  superiors: ReadonlyMap<string, string>;
  parents: ReadonlyMap<string, string>;
  heads: ReadonlyMap<string, string>;
}

/** One fact of the chart changing; `value` undefined removes it. */
export type OrgFact =
  | { kind: 'superior'; userId: string; value?: string }
  | { kind: 'parent'; departmentId: string; value?: string }
  | { kind: 'head'; departmentId: string; value?: string }
  | { kind: 'scope'; value: Scope };

export const emptyOrgChart = (scope: Scope = 'with-sub-departments'): OrgChart => ({
  revision: 0,
  scope,
  superiors: new Map(),
  parents: new Map(),
  heads: new Map(),
});

/** Walks up a chain, nearest first, never further than the hierarchy's depth. */
function chainFrom(start: string | undefined, up: ReadonlyMap<string, string>): string[] {
  const chain: string[] = [];
  for (let current = start; current !== undefined && chain.length < MAX_HIERARCHY_DEPTH; ) {
    if (chain.includes(current)) break;
    chain.push(current);
    current = up.get(current);
  }
  return chain;
}

/** Everyone above the user, nearest first. */
export function superiorsOf(chart: OrgChart, userId: string): string[] {
  return chainFrom(chart.superiors.get(userId), chart.superiors);
}

/** The department and those above it, nearest first. */
export function departmentChain(chart: OrgChart, departmentId: string): string[] {
  return chainFrom(departmentId, chart.parents);
}

/** The heads who see the work filed under a department: its own, and by the tenant's scope those above. */
export function headsOf(chart: OrgChart, departmentId: string): string[] {
  const departments =
    chart.scope === 'own-department' ? [departmentId] : departmentChain(chart, departmentId);
  return [...new Set(departments.map((d) => chart.heads.get(d)).filter((h): h is string => h !== undefined))];
}

/** Users below the given one, at any depth (the user excluded). */
export function subordinatesIn(chart: OrgChart, userId: string): string[] {
  return below(userId, chart.superiors);
}

/** Departments below the given one, at any depth (the department excluded). */
export function subDepartmentsIn(chart: OrgChart, departmentId: string): string[] {
  return below(departmentId, chart.parents);
}

function below(root: string, up: ReadonlyMap<string, string>): string[] {
  const children = new Map<string, string[]>();
  for (const [node, parent] of up) children.set(parent, [...(children.get(parent) ?? []), node]);
  const found: string[] = [];
  for (let level = children.get(root) ?? []; level.length > 0; ) {
    const next: string[] = [];
    for (const node of level) {
      if (node === root || found.includes(node)) continue;
      found.push(node);
      next.push(...(children.get(node) ?? []));
    }
    level = next;
  }
  return found;
}

/** The chart with the facts applied (the revision is the store's to move). */
export function withFacts(chart: OrgChart, facts: readonly OrgFact[]): OrgChart {
  const superiors = new Map(chart.superiors);
  const parents = new Map(chart.parents);
  const heads = new Map(chart.heads);
  let scope = chart.scope;
  for (const fact of facts) {
    if (fact.kind === 'scope') {
      scope = fact.value;
      continue;
    }
    const [map, key] =
      fact.kind === 'superior'
        ? [superiors, fact.userId]
        : [fact.kind === 'parent' ? parents : heads, fact.departmentId];
    if (fact.value === undefined) map.delete(key);
    else map.set(key, fact.value);
  }
  return { revision: chart.revision, scope, superiors, parents, heads };
}

/** Whether the fact changes the chart at all (a scope set to what it is changes nothing). */
export function movesChart(chart: OrgChart, fact: OrgFact): boolean {
  switch (fact.kind) {
    case 'scope':
      return chart.scope !== fact.value;
    case 'superior':
      return chart.superiors.get(fact.userId) !== fact.value;
    case 'parent':
      return chart.parents.get(fact.departmentId) !== fact.value;
    case 'head':
      return chart.heads.get(fact.departmentId) !== fact.value;
  }
}

/** The facts a user's change moves: its superior. */
export function userFacts(
  previous: { id: string; superiorId?: string } | undefined,
  next: { id: string; superiorId?: string } | undefined,
): OrgFact[] {
  const userId = (next ?? previous)?.id;
  if (userId === undefined || previous?.superiorId === next?.superiorId) return [];
  return [{ kind: 'superior', userId, ...(next?.superiorId ? { value: next.superiorId } : {}) }];
}

/** The facts a department's change moves: its parent and its head. */
export function departmentFacts(
  previous: { id: string; parentId?: string; headId?: string } | undefined,
  next: { id: string; parentId?: string; headId?: string } | undefined,
): OrgFact[] {
  const departmentId = (next ?? previous)?.id;
  if (departmentId === undefined) return [];
  const facts: OrgFact[] = [];
  if (previous?.parentId !== next?.parentId)
    facts.push({ kind: 'parent', departmentId, ...(next?.parentId ? { value: next.parentId } : {}) });
  if (previous?.headId !== next?.headId)
    facts.push({ kind: 'head', departmentId, ...(next?.headId ? { value: next.headId } : {}) });
  return facts;
}

/** A re-filing that starts with a change of the chart, holding some viewers' (or everyone's) filed scenes. */
export interface ReindexStart extends Entity {
  holds: string[] | 'everyone';
}

/**
 * What a change of the organisation writes besides itself, in its
 * transaction: the chart's facts, if the chart is still at the revision the
 * change was planned on, and the re-filing it starts.
 */
export interface OrgChartChange {
  expectedRevision: number;
  facts: OrgFact[];
  /** The tenant's first chart, written with the tenant: only from then on is what is filed by it complete. */
  founding?: boolean;
  reindex?: ReindexStart;
}
