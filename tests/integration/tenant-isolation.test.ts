import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../helpers/api';

let api: TestApi;
let acme: string;
let globex: string;
const acmeData: Record<string, string> = {};

beforeAll(async () => {
  api = await startTestApi();
  await api.createTenant('acme');
  await api.createTenant('globex');
  acme = api.token('acme', 'acme-admin', 'crm-admin');
  globex = api.token('globex', 'globex-admin', 'crm-admin');
  const post = async (path: string, body: unknown) => {
    const response = await api.request('POST', path, { token: acme, body });
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  acmeData.account = await post('/accounts', { name: 'Acme Customer' });
  acmeData.contact = await post('/contacts', {
    lastName: 'Secret',
    email: 'secret@acme.example',
    accountId: acmeData.account,
  });
  acmeData.device = await post('/devices', {
    name: 'Boiler',
    serialNumber: 'SN-ACME-1',
    accountId: acmeData.account,
  });
  acmeData.product = await post('/products', {
    code: 'P-1',
    name: 'Filter',
    kind: 'spare-part',
    price: { amount: 900, currency: 'EUR' },
  });
  acmeData.user = await post('/users', {
    name: 'Acme Tech',
    email: 'tech@acme.example',
    roles: ['service-staff'],
  });
  acmeData.department = await post('/departments', { name: 'Acme North' });
  acmeData.group = await post('/user-groups', { name: 'Acme Dispatch' });
  acmeData.workOrder = await post('/work-orders', {
    title: 'Acme secret job',
    accountId: acmeData.account,
    ownerId: acmeData.user,
  });
  const read = await api.request('GET', `/work-orders/${acmeData.workOrder}`, { token: acme });
  acmeData.workOrderNumber = read.body.number as string;
  const globexUser = await api.request('POST', '/users', {
    token: globex,
    body: { name: 'Globex Tech', email: 'tech@globex.example', roles: ['service-staff'] },
  });
  expect(globexUser.status).toBe(201);
  acmeData.globexUser = globexUser.body.id as string;
});
afterAll(async () => api?.close());

/** What another tenant's admin tries against acme's records, and what it must get. */
const cases: { name: string; method: string; path: () => string; body?: () => unknown; status: number }[] = [
  { name: 'read an account', method: 'GET', path: () => `/accounts/${acmeData.account}`, status: 404 },
  {
    name: 'change an account',
    method: 'PATCH',
    path: () => `/accounts/${acmeData.account}`,
    body: () => ({ name: 'Hijacked', version: 1 }),
    status: 404,
  },
  {
    name: 'delete an account',
    method: 'DELETE',
    path: () => `/accounts/${acmeData.account}?version=1`,
    status: 404,
  },
  {
    name: "list an account's contacts",
    method: 'GET',
    path: () => `/accounts/${acmeData.account}/contacts`,
    status: 404,
  },
  { name: 'read a contact', method: 'GET', path: () => `/contacts/${acmeData.contact}`, status: 404 },
  {
    name: 'attach a contact to the account',
    method: 'POST',
    path: () => '/contacts',
    body: () => ({ lastName: 'Spy', accountId: acmeData.account }),
    status: 400,
  },
  { name: 'read a device', method: 'GET', path: () => `/devices/${acmeData.device}`, status: 404 },
  {
    name: 'look up a device by serial number',
    method: 'GET',
    path: () => '/devices/lookup?serialNumber=SN-ACME-1',
    status: 404,
  },
  { name: 'read a product', method: 'GET', path: () => `/products/${acmeData.product}`, status: 404 },
  { name: 'read a user', method: 'GET', path: () => `/users/${acmeData.user}`, status: 404 },
  {
    name: 'make the user a superior',
    method: 'POST',
    path: () => '/users',
    body: () => ({
      name: 'Spy',
      email: 'spy@globex.example',
      roles: ['service-staff'],
      superiorId: acmeData.user,
    }),
    status: 400,
  },
  {
    name: 'read a department',
    method: 'GET',
    path: () => `/departments/${acmeData.department}`,
    status: 404,
  },
  {
    name: 'read group members',
    method: 'GET',
    path: () => `/user-groups/${acmeData.group}/members`,
    status: 404,
  },
  {
    name: 'add the user to a group',
    method: 'POST',
    path: () => `/user-groups/${acmeData.group}/members`,
    body: () => ({ add: [acmeData.user], version: 1 }),
    status: 404,
  },
  { name: 'read a work order', method: 'GET', path: () => `/work-orders/${acmeData.workOrder}`, status: 404 },
  {
    name: 'look a work order up by its number',
    method: 'GET',
    path: () => `/work-orders/by-number/${acmeData.workOrderNumber}`,
    status: 404,
  },
  {
    name: 'read the timeline of a work order',
    method: 'GET',
    path: () => `/work-orders/${acmeData.workOrder}/records`,
    status: 404,
  },
  {
    name: 'change a work order',
    method: 'PATCH',
    path: () => `/work-orders/${acmeData.workOrder}`,
    body: () => ({ title: 'Hijacked', version: 1 }),
    status: 404,
  },
  {
    name: 'change the status of a work order',
    method: 'POST',
    path: () => `/work-orders/${acmeData.workOrder}/status`,
    body: () => ({ status: 'cancelled', version: 1 }),
    status: 404,
  },
  {
    name: 'assign a work order to its own user',
    method: 'POST',
    path: () => `/work-orders/${acmeData.workOrder}/assign`,
    body: () => ({ ownerId: acmeData.globexUser, version: 1 }),
    status: 404,
  },
  {
    name: 'join the team of a work order',
    method: 'POST',
    path: () => `/work-orders/${acmeData.workOrder}/team`,
    body: () => ({ userId: acmeData.globexUser, access: 'read-write', version: 1 }),
    status: 404,
  },
  {
    name: 'comment on a work order',
    method: 'POST',
    path: () => `/work-orders/${acmeData.workOrder}/comments`,
    body: () => ({ text: 'Hello from globex' }),
    status: 404,
  },
  {
    name: 'lock a work order',
    method: 'POST',
    path: () => `/work-orders/${acmeData.workOrder}/lock`,
    body: () => ({ version: 1 }),
    status: 404,
  },
  {
    name: 'void a work order',
    method: 'POST',
    path: () => `/work-orders/${acmeData.workOrder}/void`,
    body: () => ({ version: 1 }),
    status: 404,
  },
  {
    name: 'delete a work order',
    method: 'DELETE',
    path: () => `/work-orders/${acmeData.workOrder}?version=1`,
    status: 404,
  },
  {
    name: "read an account's summary with its work orders",
    method: 'GET',
    path: () => `/accounts/${acmeData.account}/summary`,
    status: 404,
  },
];

describe('a principal of another tenant', () => {
  it.each(cases)('cannot $name ($status)', async ({ method, path, body, status }) => {
    const response = await api.request(method, path(), { token: globex, body: body?.() });
    expect(response.status).toBe(status);
  });

  it('sees none of the records in its lists', async () => {
    for (const path of [
      '/accounts',
      '/contacts',
      '/devices',
      '/products',
      '/users',
      '/departments',
      '/user-groups',
      '/work-orders?scene=all',
    ]) {
      const response = await api.request<{ items: { id: string }[] }>('GET', path, { token: globex });
      expect(response.status, path).toBe(200);
      // Its own users (its first admin, and one created to be assigned work): nothing of the first tenant.
      const own = path === '/users' ? [acmeData.globexUser, 'admin'].sort() : [];
      expect(response.body.items.map((item) => item.id).sort(), path).toEqual(own);
    }
  });

  it('finds nothing of the first tenant in a batch assignment or an export', async () => {
    const batch = await api.request<{ results: { outcome: string }[] }>('POST', '/work-orders/assign', {
      token: globex,
      body: { ids: [acmeData.workOrder], ownerId: acmeData.globexUser },
    });
    const exported = await fetch(`${api.url}/work-orders/export?scene=all`, {
      headers: { authorization: `Bearer ${globex}` },
    });
    const csv = await exported.text();
    expect(batch.body.results.map((r) => r.outcome)).toEqual(['not-found']);
    expect(exported.status).toBe(200);
    expect(csv.trim().split(/\r?\n/)).toHaveLength(1);
    expect(csv).not.toContain('Acme secret job');
  });

  it('may reuse values that are unique only inside a tenant', async () => {
    const device = await api.request('POST', '/devices', {
      token: globex,
      body: { name: 'Boiler', serialNumber: 'SN-ACME-1' },
    });
    expect(device.status).toBe(201);
  });

  it('left every record of the first tenant as it was', async () => {
    const account = await api.request('GET', `/accounts/${acmeData.account}`, { token: acme });
    const contacts = await api.request<{ items: { id: string }[] }>(
      'GET',
      `/accounts/${acmeData.account}/contacts`,
      { token: acme },
    );
    const lookup = await api.request('GET', '/devices/lookup?serialNumber=SN-ACME-1', { token: acme });
    expect(account.body).toMatchObject({ name: 'Acme Customer', version: 1 });
    expect(contacts.body.items.map((c) => c.id)).toEqual([acmeData.contact]);
    expect(lookup.body.id).toBe(acmeData.device);
    const workOrder = await api.request('GET', `/work-orders/${acmeData.workOrder}`, { token: acme });
    const timeline = await api.request<{ items: { kind: string }[] }>(
      'GET',
      `/work-orders/${acmeData.workOrder}/records`,
      { token: acme },
    );
    const exported = await fetch(`${api.url}/work-orders/export?scene=all`, {
      headers: { authorization: `Bearer ${acme}` },
    });
    expect(workOrder.body).toMatchObject({
      title: 'Acme secret job',
      status: 'new',
      lifecycle: 'normal',
      locked: false,
      ownerId: acmeData.user,
      team: [],
      version: 1,
    });
    expect(timeline.body.items.map((r) => r.kind)).toEqual(['created', 'assigned']);
    expect(await exported.text()).toContain('Acme secret job');
  });
});
