import type { MasterDataServices } from '../functions/composition/master-data';
import type { WorkOrderServices } from '../functions/composition/work-orders';
import type { Principal } from '../functions/domain/access/principal';

export const DEMO_TENANT = 'demo';

/** The demo tenant: a small organisation with a hierarchy, customers with contacts and devices, a catalogue. */
export async function seedDemoTenant(
  svc: MasterDataServices,
  wo: WorkOrderServices,
  tenantId = DEMO_TENANT,
): Promise<void> {
  await svc.tenants.create({
    id: tenantId,
    name: 'Demo Heating Services',
    admin: { id: 'u-admin', name: 'Alex Admin', email: 'admin@demo.example' },
  });
  const admin: Principal = { tenantId, userId: 'u-admin', roles: ['crm-admin'] };

  const service = await svc.departments.create(admin, { name: 'Service' });
  const manager = await svc.users.create(admin, {
    id: 'u-manager',
    name: 'Maria Manager',
    email: 'maria@demo.example',
    roles: ['service-manager', 'service-staff'],
    mainDepartmentId: service.id,
  });
  await svc.departments.update(admin, service.id, 1, { headId: manager.id, version: 1 });
  const north = await svc.departments.create(admin, { name: 'Service North', parentId: service.id });
  const lead = await svc.users.create(admin, {
    id: 'u-lead',
    name: 'Lars Lead',
    email: 'lars@demo.example',
    roles: ['service-staff'],
    mainDepartmentId: north.id,
    superiorId: manager.id,
  });
  await svc.departments.update(admin, north.id, 1, { headId: lead.id, version: 1 });
  for (const [id, name] of [
    ['u-tech1', 'Tara Tech'],
    ['u-tech2', 'Tom Tech'],
  ] as const) {
    await svc.users.create(admin, {
      id,
      name,
      email: `${id.slice(2)}@demo.example`,
      roles: ['service-staff'],
      mainDepartmentId: north.id,
      superiorId: lead.id,
    });
  }
  await svc.users.create(admin, {
    id: 'u-agent',
    name: 'Cem Callcenter',
    email: 'cem@demo.example',
    roles: ['call-center-agent'],
  });
  await svc.users.create(admin, {
    id: 'u-erp',
    name: 'ERP integration',
    email: 'erp@demo.example',
    roles: ['integration'],
  });
  const dispatch = await svc.userGroups.create(admin, {
    name: 'Dispatch',
    description: 'Plans the field trips',
  });
  await svc.userGroups.changeMembers(admin, dispatch.id, { add: ['u-agent', 'u-lead'], version: 1 });

  const boiler = await svc.products.create(admin, {
    code: 'DEV-BOILER-24',
    name: 'Condensing boiler 24 kW',
    kind: 'spare-part',
    price: { amount: 289000, currency: 'EUR' },
  });
  await svc.products.create(admin, {
    code: 'SVC-ANNUAL',
    name: 'Annual maintenance',
    kind: 'service',
    serviceType: 'recurring',
    unit: 'year',
    price: { amount: 19900, currency: 'EUR' },
  });
  await svc.products.create(admin, {
    code: 'SVC-CALLOUT',
    name: 'Emergency call-out',
    kind: 'service',
    serviceType: 'non-recurring',
    unit: 'visit',
    price: { amount: 12900, currency: 'EUR' },
  });
  await svc.products.create(admin, {
    code: 'SP-PUMP',
    name: 'Circulation pump',
    kind: 'spare-part',
    unit: 'piece',
    price: { amount: 15400, currency: 'EUR' },
  });

  const customers = [
    { name: 'Müller Bäckerei', city: 'Köln', contact: ['Jana', 'Müller', 'jana@mueller-baeckerei.example'] },
    { name: 'Hotel Seeblick', city: 'Konstanz', contact: ['Peter', 'Brandt', 'technik@seeblick.example'] },
    {
      name: 'Lindqvist Apartments',
      city: 'Hamburg',
      contact: ['Sara', 'Lindqvist', 'sara@lindqvist.example'],
    },
  ] as const;
  for (const [i, customer] of customers.entries()) {
    const account = await svc.accounts.create(admin, {
      name: customer.name,
      address: { city: customer.city, country: 'DE' },
    });
    const [firstName, lastName, email] = customer.contact;
    await svc.contacts.create(admin, {
      accountId: account.id,
      firstName,
      lastName,
      email,
      phone: `+49 40 555 01${i}0`,
    });
    await svc.devices.create(admin, {
      name: 'Boiler, basement',
      serialNumber: `CB24-2026-${1000 + i}`,
      qrCode: `https://qr.demo.example/d/${1000 + i}`,
      accountId: account.id,
      productId: boiler.id,
      installedOn: '2024-03-15',
    });
  }

  const repair = await wo.workOrderTypes.create(admin, {
    code: 'REPAIR',
    name: 'Repair',
    defaultOwnerId: 'u-lead',
    description: 'Breakdowns reported by customers; the team lead dispatches them',
  });
  await wo.workOrderTypes.create(admin, { code: 'MAINTENANCE', name: 'Maintenance', defaultPriority: 'low' });
  await wo.sharingRules.create(admin, {
    source: { kind: 'user', id: 'u-tech1' },
    target: { kind: 'group', id: dispatch.id },
    access: 'read-only',
  });
  const accounts = (await svc.accounts.list(admin, { limit: 10 })).items;
  const [bakery, hotel] = accounts;
  const agent: Principal = { tenantId, userId: 'u-agent', roles: ['call-center-agent'] };
  const leadPrincipal: Principal = { tenantId, userId: 'u-lead', roles: ['service-staff'] };
  if (bakery && hotel) {
    const leak = await wo.workOrders.create(agent, {
      title: 'Boiler leaking in the basement',
      description: 'Water under the boiler since this morning.',
      typeId: repair.id,
      accountId: bakery.id,
      priority: 'urgent',
    });
    await wo.workOrders.assign(leadPrincipal, leak.id, 'u-tech1', leak.version);
    await wo.workOrders.create(agent, {
      title: 'No hot water in rooms 12-20',
      typeId: repair.id,
      accountId: hotel.id,
    });
    const service = await wo.workOrders.create(admin, {
      title: 'Annual maintenance 2026',
      accountId: hotel.id,
      ownerId: 'u-tech2',
      team: [{ userId: 'u-tech1', access: 'read-write' }],
    });
    await wo.workOrders.handle(admin, service.id, 'in-progress', service.version, 'Visit booked for Monday');
  }
}
