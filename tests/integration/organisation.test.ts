import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import { startTestApi, type TestApi } from '../helpers/api';

let api: TestApi;
let admin: string;

const post = async (path: string, body: unknown) => {
  const response = await api.request('POST', path, { token: admin, body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; version: number };
};

beforeAll(async () => {
  api = await startTestApi();
  admin = api.token('initech', 'u-admin', 'crm-admin');
  await compose(basePorts(api.table)).masterData.tenants.create({
    id: 'initech',
    name: 'Initech',
    admin: { id: 'u-admin', name: 'Admin', email: 'admin@initech.example' },
  });
});
afterAll(async () => api?.close());

describe('tenant', () => {
  it('is created with its first CRM admin, and only a CRM admin changes its settings', async () => {
    const read = await api.request('GET', '/tenant', { token: api.token('initech', 'u-x', 'service-staff') });
    const byStaff = await api.request('PATCH', '/tenant', {
      token: api.token('initech', 'u-x', 'service-staff'),
      body: { settings: { customerLookup: 'exact' }, version: 1 },
    });
    const byAdmin = await api.request('PATCH', '/tenant', {
      token: admin,
      body: { settings: { customerLookup: 'exact' }, version: 1 },
    });
    const adminUser = await api.request('GET', '/users/u-admin', { token: admin });

    expect(read.body).toMatchObject({
      id: 'initech',
      settings: { customerLookup: 'fuzzy', superiorVisibleDataScope: 'with-sub-departments' },
    });
    expect(byStaff.status).toBe(403);
    expect(byAdmin.body).toMatchObject({
      version: 2,
      settings: { customerLookup: 'exact', superiorVisibleDataScope: 'with-sub-departments' },
    });
    expect(adminUser.body).toMatchObject({ roles: ['crm-admin'], email: 'admin@initech.example' });
  });

  it('cannot be created twice', async () => {
    const again = compose(basePorts(api.table)).masterData.tenants.create({
      id: 'initech',
      name: 'Initech again',
      admin: { name: 'Other', email: 'other@initech.example' },
    });
    await expect(again).rejects.toThrow(/already exists/);
  });
});

describe('users and their hierarchy', () => {
  it('lists direct subordinates and refuses a superior chain that loops', async () => {
    const boss = await post('/users', {
      name: 'Boss',
      email: 'boss@initech.example',
      roles: ['service-manager'],
    });
    const lead = await post('/users', {
      name: 'Lead',
      email: 'lead@initech.example',
      roles: ['service-staff'],
      superiorId: boss.id,
    });
    await post('/users', {
      name: 'Tech',
      email: 'tech@initech.example',
      roles: ['service-staff'],
      superiorId: lead.id,
    });

    const subordinates = await api.request<{ items: { name: string }[] }>(
      'GET',
      `/users/${boss.id}/subordinates`,
      { token: admin },
    );
    const loop = await api.request('PATCH', `/users/${boss.id}`, {
      token: admin,
      body: { superiorId: lead.id, version: 1 },
    });
    const self = await api.request('PATCH', `/users/${boss.id}`, {
      token: admin,
      body: { superiorId: boss.id, version: 1 },
    });
    const deleteBoss = await api.request('DELETE', `/users/${boss.id}?version=1`, { token: admin });

    expect(subordinates.body.items.map((u) => u.name)).toEqual(['Lead']);
    expect(loop.status).toBe(400);
    expect(loop.body.errors).toEqual([expect.objectContaining({ field: 'body.superiorId' })]);
    expect(self.status).toBe(400);
    expect(deleteBoss.status).toBe(409);
  });

  it('keeps e-mail addresses unique in the tenant, also when changed', async () => {
    const first = await post('/users', {
      name: 'First',
      email: 'first@initech.example',
      roles: ['integration'],
    });
    const duplicate = await api.request('POST', '/users', {
      token: admin,
      body: { name: 'Copy', email: 'FIRST@initech.example', roles: ['integration'] },
    });
    const renamed = await api.request('PATCH', `/users/${first.id}`, {
      token: admin,
      body: { email: 'renamed@initech.example', version: 1 },
    });
    const reuseOld = await api.request('POST', '/users', {
      token: admin,
      body: { name: 'Reuse', email: 'first@initech.example', roles: ['integration'] },
    });

    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ field: 'email' });
    expect(renamed.status).toBe(200);
    expect(reuseOld.status).toBe(201);
  });

  it('refuses unknown roles and an unknown department', async () => {
    const response = await api.request('POST', '/users', {
      token: admin,
      body: { name: 'X', email: 'x@initech.example', roles: ['root'], mainDepartmentId: 'nope' },
    });
    const unknownDepartment = await api.request('POST', '/users', {
      token: admin,
      body: { name: 'X', email: 'x@initech.example', roles: ['service-staff'], mainDepartmentId: 'nope' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'body.roles.0' })]);
    expect(unknownDepartment.status).toBe(400);
    expect(unknownDepartment.body.errors).toEqual([
      expect.objectContaining({ field: 'body.mainDepartmentId' }),
    ]);
  });
});

describe('departments', () => {
  it('nest without cycles and cannot be deleted while they have sub-departments or members', async () => {
    const head = await post('/users', {
      name: 'Head',
      email: 'head@initech.example',
      roles: ['service-manager'],
    });
    const north = await post('/departments', { name: 'North', headId: head.id });
    const city = await post('/departments', { name: 'North City', parentId: north.id });
    await post('/users', {
      name: 'Member',
      email: 'member@initech.example',
      roles: ['service-staff'],
      mainDepartmentId: city.id,
    });

    const cycle = await api.request('PATCH', `/departments/${north.id}`, {
      token: admin,
      body: { parentId: city.id, version: 1 },
    });
    const deleteParent = await api.request('DELETE', `/departments/${north.id}?version=1`, { token: admin });
    const deleteWithMembers = await api.request('DELETE', `/departments/${city.id}?version=1`, {
      token: admin,
    });

    expect(cycle.status).toBe(400);
    expect(cycle.body.errors).toEqual([expect.objectContaining({ field: 'body.parentId' })]);
    expect(deleteParent.status).toBe(409);
    expect(deleteWithMembers.status).toBe(409);
  });
});

describe('user groups', () => {
  it('adds and removes members, counting them, and refuses unknown users', async () => {
    const a = await post('/users', { name: 'A', email: 'a@initech.example', roles: ['service-staff'] });
    const b = await post('/users', { name: 'B', email: 'b@initech.example', roles: ['service-staff'] });
    const group = await post('/user-groups', { name: 'Dispatch' });

    const added = await api.request('POST', `/user-groups/${group.id}/members`, {
      token: admin,
      body: { add: [a.id, b.id], version: 1 },
    });
    const again = await api.request('POST', `/user-groups/${group.id}/members`, {
      token: admin,
      body: { add: [a.id], version: 2 },
    });
    const removed = await api.request('POST', `/user-groups/${group.id}/members`, {
      token: admin,
      body: { remove: [b.id], version: 3 },
    });
    const unknown = await api.request('POST', `/user-groups/${group.id}/members`, {
      token: admin,
      body: { add: ['ghost'], version: 4 },
    });
    const members = await api.request<{ items: { userId: string }[] }>(
      'GET',
      `/user-groups/${group.id}/members`,
      { token: admin },
    );
    const deleteWithMembers = await api.request('DELETE', `/user-groups/${group.id}?version=4`, {
      token: admin,
    });
    const groupsOfA = await compose(basePorts(api.table)).masterData.repositories.userGroups.groupsOf(
      'initech',
      a.id,
    );

    expect(added.body).toMatchObject({ memberCount: 2, version: 2 });
    expect(again.body).toMatchObject({ memberCount: 2, version: 3 });
    expect(removed.body).toMatchObject({ memberCount: 1, version: 4 });
    expect(unknown.status).toBe(400);
    expect(members.body.items.map((m) => m.userId)).toEqual([a.id]);
    expect(deleteWithMembers.status).toBe(409);
    expect(groupsOfA).toEqual([group.id]);
  });
});

describe('products', () => {
  it('requires a service type exactly for services, and unique codes', async () => {
    const noType = await api.request('POST', '/products', {
      token: admin,
      body: {
        code: 'SVC-1',
        name: 'Annual maintenance',
        kind: 'service',
        price: { amount: 19900, currency: 'EUR' },
      },
    });
    const service = await post('/products', {
      code: 'SVC-1',
      name: 'Annual maintenance',
      kind: 'service',
      serviceType: 'recurring',
      price: { amount: 19900, currency: 'EUR' },
    });
    const sameCode = await api.request('POST', '/products', {
      token: admin,
      body: { code: 'SVC-1', name: 'Copy', kind: 'spare-part', price: { amount: 1, currency: 'EUR' } },
    });
    const byStaff = await api.request('POST', '/products', {
      token: api.token('initech', 'u-staff', 'service-staff'),
      body: { code: 'X', name: 'X', kind: 'spare-part', price: { amount: 1, currency: 'EUR' } },
    });

    expect(noType.status).toBe(400);
    expect(noType.body.errors).toEqual([expect.objectContaining({ field: 'body.serviceType' })]);
    expect(service).toMatchObject({ active: true });
    expect(sameCode.status).toBe(409);
    expect(byStaff.status).toBe(403);
  });
});
