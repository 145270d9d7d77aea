import type { WorkOrder } from './work-order';

export const SCENES = [
  'all',
  'my-responsible',
  'my-participation',
  'my-department',
  'my-subordinates-responsible',
  'my-subordinates-participated',
  'shared-to-me',
  'unresolved',
  'urgent',
  'closed',
] as const;
export type Scene = (typeof SCENES)[number];

/**
 * A list a work order appears in. Each is one index partition, holding a
 * summary of the work order sorted by created and by updated time, so every
 * scene page is read straight from the index with no filter.
 */
export type View =
  | { kind: 'owner'; userId: string }
  | { kind: 'owner-open'; userId: string }
  | { kind: 'owner-urgent'; userId: string }
  | { kind: 'owner-closed'; userId: string }
  | { kind: 'owner-department'; departmentId: string }
  | { kind: 'member'; userId: string }
  | { kind: 'department'; departmentId: string }
  | { kind: 'account'; accountId: string }
  | { kind: 'all'; lifecycle: 'normal' | 'obsolete' }
  // Filed by the organisation (scene-audience.ts): who is above the people, and who heads the departments.
  | { kind: 'below-owner'; userId: string }
  | { kind: 'below-member'; userId: string }
  | { kind: 'head'; userId: string }
  | { kind: 'reach'; userId: string };

/**
 * The lists the work order belongs in by its own fields. An obsolete one is
 * only in the admins' list. Those it belongs in by the organisation are
 * added by scene-audience.ts.
 */
export function viewsOf(workOrder: WorkOrder): View[] {
  if (workOrder.lifecycle === 'obsolete') return [{ kind: 'all', lifecycle: 'obsolete' }];
  const views: View[] = [{ kind: 'all', lifecycle: 'normal' }];
  const owner = workOrder.ownerId;
  if (owner) {
    views.push({ kind: 'owner', userId: owner });
    if (workOrder.status === 'new' || workOrder.status === 'in-progress')
      views.push({ kind: 'owner-open', userId: owner });
    if (workOrder.priority === 'urgent') views.push({ kind: 'owner-urgent', userId: owner });
    if (workOrder.status === 'closed') views.push({ kind: 'owner-closed', userId: owner });
  }
  if (workOrder.ownerDepartmentId)
    views.push({ kind: 'owner-department', departmentId: workOrder.ownerDepartmentId });
  for (const member of workOrder.team) views.push({ kind: 'member', userId: member.userId });
  const departments = new Set(
    [workOrder.ownerDepartmentId, ...workOrder.team.map((m) => m.departmentId)].filter((d): d is string =>
      Boolean(d),
    ),
  );
  for (const departmentId of departments) views.push({ kind: 'department', departmentId });
  if (workOrder.accountId) views.push({ kind: 'account', accountId: workOrder.accountId });
  return views;
}

export interface SharedSource {
  id: string;
  access: 'read-only' | 'read-write';
}
export interface SharedSources {
  owners: SharedSource[];
  departments: SharedSource[];
}

/** What a scene needs to know about the person looking. */
export interface ViewerContext {
  userId: string;
  isAdmin: boolean;
  /** All users below the viewer in the superior hierarchy (bounded). */
  subordinates(): Promise<string[]>;
  /** Departments the viewer heads, with sub-departments when the tenant says so. */
  headedDepartments(): Promise<string[]>;
  /** Owners and owner departments whose records are shared with the viewer, and how. */
  sharedSources(): Promise<SharedSources>;
  /** Whether a re-filing after an organisation change holds the viewer's filed scenes (they are read live). */
  filedScenesHeld(): Promise<boolean>;
  /** False only when nothing can be filed under the viewer's reach (never on a work order, nobody's superior or head). */
  mayBeReached(): Promise<boolean>;
}

/** The scenes that read what the organisation filed: while it is being re-filed, they are read live. */
export const FILED_SCENES: ReadonlySet<Scene> = new Set([
  'all',
  'my-department',
  'my-subordinates-responsible',
  'my-subordinates-participated',
]);

/** The lists of the people in charge and owner departments shared with the viewer. */
const sharedViews = (shared: SharedSources): View[] => [
  ...shared.owners.map(({ id }): View => ({ kind: 'owner', userId: id })),
  ...shared.departments.map(({ id }): View => ({ kind: 'owner-department', departmentId: id })),
];

/**
 * The views a scene merges, read from the entries the organisation filed:
 * one partition for each hierarchy scene, and for "all" one besides each
 * sharing source. Only right while nothing the viewer sees is being re-filed.
 */
export async function filedViewsOfScene(scene: Scene, viewer: ViewerContext): Promise<View[]> {
  const me = viewer.userId;
  switch (scene) {
    case 'my-subordinates-responsible':
      return [{ kind: 'below-owner', userId: me }];
    case 'my-subordinates-participated':
      return [{ kind: 'below-member', userId: me }];
    case 'my-department':
      return [{ kind: 'head', userId: me }];
    case 'all': {
      if (viewer.isAdmin) return liveViewsOfScene(scene, viewer);
      // Someone who sees only what is shared with them (a call-center agent) has an empty reach: not read.
      const [reached, shared] = await Promise.all([viewer.mayBeReached(), viewer.sharedSources()]);
      return [...(reached ? [{ kind: 'reach', userId: me } as View] : []), ...sharedViews(shared)];
    }
    default:
      return liveViewsOfScene(scene, viewer);
  }
}

/**
 * The views a scene merges, from the organisation as it is now: a partition
 * per person below and per department headed. Always right; fan-outs stay
 * bounded by the hierarchy's bounds.
 */
export async function liveViewsOfScene(scene: Scene, viewer: ViewerContext): Promise<View[]> {
  const me = viewer.userId;
  switch (scene) {
    case 'my-responsible':
      return [{ kind: 'owner', userId: me }];
    case 'my-participation':
      return [{ kind: 'member', userId: me }];
    case 'unresolved':
      return [{ kind: 'owner-open', userId: me }];
    case 'urgent':
      return [{ kind: 'owner-urgent', userId: me }];
    case 'closed':
      return [{ kind: 'owner-closed', userId: me }];
    case 'my-subordinates-responsible':
      return (await viewer.subordinates()).map((userId) => ({ kind: 'owner', userId }));
    case 'my-subordinates-participated':
      return (await viewer.subordinates()).map((userId) => ({ kind: 'member', userId }));
    case 'my-department':
      return (await viewer.headedDepartments()).map((departmentId) => ({ kind: 'department', departmentId }));
    case 'shared-to-me':
      return sharedViews(await viewer.sharedSources());
    case 'all': {
      if (viewer.isAdmin) {
        return [
          { kind: 'all', lifecycle: 'normal' },
          { kind: 'all', lifecycle: 'obsolete' },
        ];
      }
      const [subordinates, shared, departments] = await Promise.all([
        viewer.subordinates(),
        viewer.sharedSources(),
        viewer.headedDepartments(),
      ]);
      const people = [me, ...subordinates];
      return [
        ...people.map((userId): View => ({ kind: 'owner', userId })),
        ...people.map((userId): View => ({ kind: 'member', userId })),
        ...shared.owners
          .filter(({ id }) => !people.includes(id))
          .map(({ id }): View => ({ kind: 'owner', userId: id })),
        ...shared.departments.map(({ id }): View => ({ kind: 'owner-department', departmentId: id })),
        ...departments.map((departmentId): View => ({ kind: 'department', departmentId })),
      ];
    }
  }
}
