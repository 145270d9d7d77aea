import { describe, expect, it } from 'vitest';
import type { Role } from '../../functions/domain/access/principal';
import { ConflictError } from '../../functions/domain/shared/errors';
import { canHandle, canRead, type WorkOrderViewer } from '../../functions/domain/work-orders/access';
import type { SharedSources } from '../../functions/domain/work-orders/scenes';
import { assertHandleable, type WorkOrder } from '../../functions/domain/work-orders/work-order';

/** A viewer with exactly the relations a case names, nothing read from anywhere. */
function viewer(
  userId: string,
  relations: {
    roles?: Role[];
    isAdmin?: boolean;
    below?: string[];
    headed?: string[];
    shared?: Partial<SharedSources>;
  } = {},
): WorkOrderViewer {
  return {
    userId,
    isAdmin: relations.isAdmin ?? false,
    roles: relations.roles ?? ['service-staff'],
    subordinates: async () => relations.below ?? [],
    isSuperiorOfAny: async (ids) => ids.some((id) => (relations.below ?? []).includes(id)),
    headedDepartments: async () => relations.headed ?? [],
    sharedSources: async () => ({ owners: [], departments: [], ...relations.shared }),
    filedScenesHeld: async () => false,
    mayBeReached: async () => true,
  };
}

const order = (extra: Partial<WorkOrder> = {}): WorkOrder => ({
  id: 'wo1',
  tenantId: 't',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  number: 'WO-2026-000001',
  title: 'Boiler',
  priority: 'normal',
  channel: 'staff',
  ownerId: 'owner',
  ownerDepartmentId: 'd-north',
  team: [{ userId: 'member', access: 'read-only', departmentId: 'd-south' }],
  status: 'new',
  lifecycle: 'normal',
  locked: false,
  createdBy: 'agent',
  ...extra,
});

describe('who may read and handle a work order (the rules beside the API table)', () => {
  it('lets a CRM admin handle without the service-staff role, and nobody else without it', async () => {
    expect(await canHandle(order(), viewer('admin', { isAdmin: true, roles: ['crm-admin'] }))).toBe(true);
    expect(await canHandle(order(), viewer('owner', { roles: ['call-center-agent'] }))).toBe(false);
    expect(await canHandle(order({ lifecycle: 'obsolete' }), viewer('owner'))).toBe(false);
  });

  it('takes the widest of several sharing rules on the same work order', async () => {
    const shared = {
      owners: [{ id: 'owner', access: 'read-only' as const }],
      departments: [{ id: 'd-north', access: 'read-write' as const }],
    };
    expect(await canHandle(order(), viewer('peer', { shared }))).toBe(true);
    const readOnly = { owners: [{ id: 'owner', access: 'read-only' as const }] };
    expect(await canRead(order(), viewer('peer', { shared: readOnly }))).toBe(true);
    expect(await canHandle(order(), viewer('peer', { shared: readOnly }))).toBe(false);
  });

  it("matches a department share only to the person in charge's department", async () => {
    const shared = { departments: [{ id: 'd-south', access: 'read-write' as const }] };
    expect(await canRead(order(), viewer('peer', { shared }))).toBe(false);
  });

  it('lets the head of any one of the departments involved read, not only the first', async () => {
    expect(await canRead(order(), viewer('head', { headed: ['d-east', 'd-south'] }))).toBe(true);
    expect(await canRead(order(), viewer('head', { headed: ['d-east', 'd-west'] }))).toBe(false);
  });

  it('lets the creator read but not handle, and a superior of a read-only member read only', async () => {
    expect(await canRead(order(), viewer('agent', { roles: ['call-center-agent'] }))).toBe(true);
    expect(await canHandle(order(), viewer('agent'))).toBe(false);
    expect(await canRead(order(), viewer('lead', { below: ['member'] }))).toBe(true);
    expect(await canHandle(order(), viewer('lead', { below: ['member'] }))).toBe(false);
    expect(await canHandle(order(), viewer('lead', { below: ['owner'] }))).toBe(true);
  });
});

describe('handling needs a live, unlocked work order', () => {
  it.each([
    ['obsolete', order({ lifecycle: 'obsolete' })],
    ['locked', order({ locked: true })],
  ])('refuses a %s one, saying why', (reason, workOrder) => {
    let error: unknown;
    try {
      assertHandleable(workOrder);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).details).toEqual({ reason });
  });

  it('takes a normal, unlocked one', () => {
    expect(() => assertHandleable(order())).not.toThrow();
  });
});
