import { hasRole, type Principal } from '../access/principal';
import { MAX_HIERARCHY_DEPTH } from '../organisation/hierarchy';
import type { SceneAccess } from '../organisation/scene-access';
import type { TenantSettings } from '../organisation/tenant';
import { ConflictError } from '../shared/errors';
import type { WorkOrderViewer } from './access';
import type { SharedSources } from './scenes';
import type { SharingRule, SharingTarget } from './sharing-rule';

/** Bounds of the hierarchy fan-outs: a scene never queries more partitions than this. */
export const MAX_SUBORDINATES = 500;
export const MAX_HEADED_DEPARTMENTS = 200;

/** What the viewer context reads about the organisation. */
export interface OrganisationDirectory {
  mainDepartmentOf(tenantId: string, userId: string): Promise<string | undefined>;
  superiorOf(tenantId: string, userId: string): Promise<string | undefined>;
  directSubordinates(tenantId: string, userId: string): Promise<string[]>;
  departmentsHeadedBy(tenantId: string, userId: string): Promise<string[]>;
  childDepartments(tenantId: string, departmentId: string): Promise<string[]>;
  groupsOf(tenantId: string, userId: string): Promise<string[]>;
  tenantSettings(tenantId: string): Promise<TenantSettings>;
  sharingRulesTargeting(tenantId: string, targets: SharingTarget[]): Promise<SharingRule[]>;
  /** What the viewer's scenes read in one go: holds, profile and sharing rules (scene-access.ts). */
  sceneAccess(tenantId: string, userId: string): Promise<SceneAccess>;
}

/** Breadth-first over a tree, level by level in parallel, refusing to grow past `limit` nodes. */
async function expand(
  roots: string[],
  childrenOf: (id: string) => Promise<string[]>,
  limit: number,
  what: string,
): Promise<string[]> {
  const seen = new Set<string>();
  let level = roots;
  while (level.length > 0) {
    const children = (await Promise.all(level.map(childrenOf)))
      .flat()
      .filter((id) => !seen.has(id) && !roots.includes(id));
    for (const id of children) seen.add(id);
    if (seen.size > limit)
      throw new ConflictError(`${what} spans more than ${limit} entries; narrow the scene`);
    level = [...new Set(children)];
  }
  return [...seen];
}

/** The viewer of one request: each part is read once, when a scene or check first needs it. */
export function viewerFor(principal: Principal, directory: OrganisationDirectory): WorkOrderViewer {
  const { tenantId, userId } = principal;
  const once = <T>(load: () => Promise<T>) => {
    let value: Promise<T> | undefined;
    return () => {
      value ??= load();
      return value;
    };
  };
  let subordinates: string[] | undefined;
  const loadSubordinates = once(async () => {
    subordinates = await expand(
      [userId],
      (id) => directory.directSubordinates(tenantId, id),
      MAX_SUBORDINATES,
      'Your team below you',
    );
    return subordinates;
  });
  const sceneAccess = once(() => directory.sceneAccess(tenantId, userId));
  const superiors = new Map<string, Promise<string | undefined>>();
  const superiorOf = (id: string) => {
    let superior = superiors.get(id);
    if (!superior) {
      superior = directory.superiorOf(tenantId, id);
      superiors.set(id, superior);
    }
    return superior;
  };
  return {
    userId,
    roles: principal.roles,
    isAdmin: hasRole(principal, 'crm-admin'),
    subordinates: loadSubordinates,
    // One work order names few people, each a few levels below: walking up their chains costs a
    // few reads, where the viewer's whole team below would cost a Query per person in it. Once the
    // team is loaded (scenes, batches), it answers directly.
    isSuperiorOfAny: async (people) => {
      if (subordinates) return people.some((p) => subordinates?.includes(p));
      const chains = await Promise.all(
        people.map(async (person) => {
          let current = await superiorOf(person);
          for (let depth = 0; current !== undefined && depth < MAX_HIERARCHY_DEPTH; depth++) {
            if (current === userId) return true;
            current = await superiorOf(current);
          }
          return false;
        }),
      );
      return chains.some(Boolean);
    },
    headedDepartments: once(async () => {
      const [headed, settings] = await Promise.all([
        directory.departmentsHeadedBy(tenantId, userId),
        directory.tenantSettings(tenantId),
      ]);
      if (settings.superiorVisibleDataScope === 'own-department') return headed;
      const below = await expand(
        headed,
        (id) => directory.childDepartments(tenantId, id),
        MAX_HEADED_DEPARTMENTS,
        'The departments you head',
      );
      return [...new Set([...headed, ...below])];
    }),
    filedScenesHeld: async () => (await sceneAccess()).held,
    mayBeReached: async () => (await sceneAccess()).reached !== false,
    sharedSources: once(async (): Promise<SharedSources> => {
      // Kept with the viewer's profile: one read. Otherwise (a profile from before it was kept) read live.
      const access = await sceneAccess();
      const kept = access.profile && access.rules ? { ...access.profile, rules: access.rules } : undefined;
      const [department, groups] = kept
        ? [kept.department, kept.groups]
        : await Promise.all([
            directory.mainDepartmentOf(tenantId, userId),
            directory.groupsOf(tenantId, userId),
          ]);
      const targets: SharingTarget[] = [
        { kind: 'user', id: userId },
        ...(department ? [{ kind: 'department' as const, id: department }] : []),
        ...groups.map((id) => ({ kind: 'group' as const, id })),
      ];
      const rules = kept
        ? kept.rules.filter((rule) =>
            targets.some((t) => t.kind === rule.target.kind && t.id === rule.target.id),
          )
        : await directory.sharingRulesTargeting(tenantId, targets);
      const merge = (kind: 'user' | 'department') => {
        const byId = new Map<string, 'read-only' | 'read-write'>();
        for (const rule of rules.filter((r) => r.source.kind === kind)) {
          if (byId.get(rule.source.id) !== 'read-write') byId.set(rule.source.id, rule.access);
        }
        return [...byId].map(([id, access]) => ({ id, access }));
      };
      return { owners: merge('user'), departments: merge('department') };
    }),
  };
}
