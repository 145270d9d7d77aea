import type { Role } from '../access/principal';
import { ForbiddenError } from '../shared/errors';
import type { ViewerContext } from './scenes';
import type { WorkOrder } from './work-order';

/**
 * Who may see and who may handle a work order: the one place these rules
 * live (docs/permissions.md shows them as a table, the tests check each cell).
 */
export interface WorkOrderViewer extends ViewerContext {
  roles: readonly Role[];
  /** Whether the viewer is above any of these users in the superior hierarchy. */
  isSuperiorOfAny(userIds: string[]): Promise<boolean>;
}

export async function canRead(workOrder: WorkOrder, viewer: WorkOrderViewer): Promise<boolean> {
  if (viewer.isAdmin) return true;
  if (workOrder.lifecycle === 'obsolete') return false;
  const people = [workOrder.ownerId, ...workOrder.team.map((m) => m.userId)].filter((p): p is string =>
    Boolean(p),
  );
  if (people.includes(viewer.userId)) return true;
  // Whoever took the request can follow it (an agent who opened it for a caller), without handling it.
  if (workOrder.createdBy === viewer.userId) return true;
  if (await viewer.isSuperiorOfAny(people)) return true;
  if (await sharedAccess(workOrder, viewer)) return true;
  const departments = [workOrder.ownerDepartmentId, ...workOrder.team.map((m) => m.departmentId)];
  const headed = await viewer.headedDepartments();
  return departments.some((d) => d !== undefined && headed.includes(d));
}

/**
 * Assign, handle and edit: the person in charge, their superiors, read-write
 * team members and their superiors, read-write sharing recipients; and only
 * with the service-staff role. CRM admins may always.
 */
export async function canHandle(workOrder: WorkOrder, viewer: WorkOrderViewer): Promise<boolean> {
  if (viewer.isAdmin) return true;
  if (!viewer.roles.includes('service-staff')) return false;
  if (workOrder.lifecycle === 'obsolete') return false;
  const accountable = [
    workOrder.ownerId,
    ...workOrder.team.filter((m) => m.access === 'read-write').map((m) => m.userId),
  ].filter((p): p is string => Boolean(p));
  if (accountable.includes(viewer.userId)) return true;
  if (await viewer.isSuperiorOfAny(accountable)) return true;
  return (await sharedAccess(workOrder, viewer)) === 'read-write';
}

async function sharedAccess(
  workOrder: WorkOrder,
  viewer: WorkOrderViewer,
): Promise<'read-only' | 'read-write' | undefined> {
  const { owners, departments } = await viewer.sharedSources();
  const matches = [
    ...owners.filter((s) => s.id === workOrder.ownerId),
    ...departments.filter((s) => s.id === workOrder.ownerDepartmentId),
  ];
  if (matches.length === 0) return undefined;
  return matches.some((m) => m.access === 'read-write') ? 'read-write' : 'read-only';
}

/** Reading someone else's work order you may not see is a 404: it does not exist for you. */
export async function assertCanHandle(workOrder: WorkOrder, viewer: WorkOrderViewer): Promise<void> {
  if (!(await canHandle(workOrder, viewer))) {
    throw new ForbiddenError(
      viewer.isAdmin || viewer.roles.includes('service-staff')
        ? `You are not the person in charge of ${workOrder.number}, their superior, a read-write team member or a read-write sharing recipient`
        : 'Handling work orders needs the service-staff role',
    );
  }
}
