import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../helpers/api';

let api: TestApi;
let acme: string;
let globex: string;
const acmeData: Record<string, string> = {};

beforeAll(async () => {
  api = await startTestApi();
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
    ]) {
      const response = await api.request<{ items: unknown[] }>('GET', path, { token: globex });
      expect(response.status, path).toBe(200);
      expect(response.body.items, path).toEqual([]);
    }
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
  });
});
