import type { TableContext } from '../../functions/adapters/dynamodb/client';
import { compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import type { Principal, Role } from '../../functions/domain/access/principal';
import type { WorkOrder } from '../../functions/domain/work-orders/work-order';

/**
 * A realistic organisation for the work-order scenes and permissions:
 *
 *   manager ── lead ──┬── tech1 (dept north)        head heads "service"; "north" is its sub-department
 *   (no dept)  (service) └── tech2 (dept service)
 *   agent (call center), in group "dispatch"; tech1's work orders are shared read-only with "dispatch"
 *   peer: the work orders of department "north" are shared read-write with peer
 *   outsider: nobody's superior or subordinate; clerk: owner without the service-staff role
 */
export const PEOPLE = {
  admin: ['crm-admin'],
  manager: ['service-manager', 'service-staff'],
  lead: ['service-staff'],
  tech1: ['service-staff'],
  tech2: ['service-staff'],
  head: ['service-manager', 'service-staff'],
  agent: ['call-center-agent'],
  peer: ['service-staff'],
  outsider: ['service-staff'],
  clerk: ['call-center-agent'],
} satisfies Record<string, Role[]>;
export type Person = keyof typeof PEOPLE;

export const principalOf = (tenantId: string, person: Person): Principal => ({
  tenantId,
  userId: person,
  roles: PEOPLE[person],
});

export interface Organisation {
  tenantId: string;
  departments: { service: string; north: string };
  groups: { dispatch: string };
  workOrders: Record<'wo1' | 'wo2' | 'wo3' | 'wo4' | 'wo5' | 'wo6' | 'wo7' | 'wo8', WorkOrder>;
}

export async function buildOrganisation(table: TableContext, tenantId = 'fso'): Promise<Organisation> {
  const deps = basePorts(table);
  const svc = compose(deps).masterData;
  const wo = compose(deps).workOrders;
  await svc.tenants.create({
    id: tenantId,
    name: 'Field Service Org',
    admin: { id: 'admin', name: 'Admin', email: `admin@${tenantId}.example` },
  });
  const admin = principalOf(tenantId, 'admin');
  const user = (id: Person, extra: { superiorId?: string; mainDepartmentId?: string } = {}) =>
    svc.users.create(admin, {
      id,
      name: id,
      email: `${id}@${tenantId}.example`,
      roles: PEOPLE[id],
      ...extra,
    });

  await user('head');
  const service = await svc.departments.create(admin, { name: 'Service', headId: 'head' });
  const north = await svc.departments.create(admin, { name: 'Service North', parentId: service.id });
  await user('manager');
  await user('lead', { superiorId: 'manager', mainDepartmentId: service.id });
  await user('tech1', { superiorId: 'lead', mainDepartmentId: north.id });
  await user('tech2', { superiorId: 'lead', mainDepartmentId: service.id });
  for (const id of ['agent', 'peer', 'outsider', 'clerk'] as const) await user(id);
  const dispatch = await svc.userGroups.create(admin, { name: 'Dispatch' });
  await svc.userGroups.changeMembers(admin, dispatch.id, { add: ['agent'], version: 1 });
  await wo.sharingRules.create(admin, {
    source: { kind: 'user', id: 'tech1' },
    target: { kind: 'group', id: dispatch.id },
    access: 'read-only',
  });
  await wo.sharingRules.create(admin, {
    source: { kind: 'department', id: north.id },
    target: { kind: 'user', id: 'peer' },
    access: 'read-write',
  });

  const create = (
    title: string,
    ownerId: string,
    extra: Partial<Parameters<typeof wo.workOrders.create>[1]> = {},
  ) => wo.workOrders.create(admin, { title, ownerId, ...extra });
  const wo1 = await create('Boiler leaking', 'tech1', { team: [{ userId: 'tech2', access: 'read-only' }] });
  const wo2 = await create('No heating at all', 'lead', { priority: 'urgent' });
  let wo3 = await create('Annual service done', 'tech2');
  for (const status of ['in-progress', 'resolved', 'closed'] as const) {
    wo3 = await wo.workOrders.handle(admin, wo3.id, status, wo3.version);
  }
  const wo4 = await create('Pump noise', 'outsider', { team: [{ userId: 'tech1', access: 'read-write' }] });
  const wo5 = await create('Check thermostat', 'manager');
  const wo6 = await create('Unrelated job', 'outsider');
  let wo7 = await create('Entered by mistake', 'tech1');
  wo7 = await wo.workOrders.void(admin, wo7.id, wo7.version, 'Duplicate');
  const wo8 = await create('Owned by a clerk', 'clerk');
  return {
    tenantId,
    departments: { service: service.id, north: north.id },
    groups: { dispatch: dispatch.id },
    workOrders: { wo1, wo2, wo3, wo4, wo5, wo6, wo7, wo8 },
  };
}
