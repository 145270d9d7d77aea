import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../helpers/api';
import { buildOrganisation, principalOf } from '../helpers/organisation';

let api: TestApi;
let adminToken: string;
const admin = principalOf('fso', 'admin');
let accountA: string;
let accountB: string;
let contactOfA: string;
let contactOfB: string;

beforeAll(async () => {
  api = await startTestApi();
  await buildOrganisation(api.table);
  adminToken = api.token('fso', 'admin', 'crm-admin');
  const { accounts, contacts, users } = api.app.masterData;
  accountA = (await accounts.create(admin, { name: 'Alpha' })).id;
  accountB = (await accounts.create(admin, { name: 'Beta' })).id;
  contactOfA = (await contacts.create(admin, { lastName: 'Anders', accountId: accountA })).id;
  contactOfB = (await contacts.create(admin, { lastName: 'Berg', accountId: accountB })).id;
  const peer = await users.get(admin, 'peer');
  await users.update(admin, 'peer', peer.version, { status: 'disabled', version: peer.version });
}, 60_000);
afterAll(async () => api?.close());

const create = (body: Record<string, unknown>) =>
  api.request<{ id: string; version: number; accountId?: string; ownerId?: string; errors?: unknown }>(
    'POST',
    '/work-orders',
    {
      token: adminToken,
      body,
    },
  );

describe('customer references on edit follow the rules of create', () => {
  it('refuses a contact of another account on PATCH, naming body.contactId, and changes nothing', async () => {
    const created = await create({ title: 'Noise', accountId: accountA, contactId: contactOfA });
    const patched = await api.request('PATCH', `/work-orders/${created.body.id}`, {
      token: adminToken,
      body: { contactId: contactOfB, version: created.body.version },
    });
    expect(patched.status).toBe(400);
    expect(patched.body.errors).toEqual([
      { field: 'body.contactId', message: expect.stringContaining(accountB) },
    ]);
    const after = await api.request('GET', `/work-orders/${created.body.id}`, { token: adminToken });
    expect(after.body).toMatchObject({ contactId: contactOfA, accountId: accountA, version: 1 });
  });

  it('refuses a new account that the kept contact does not belong to', async () => {
    const created = await create({ title: 'Leak', contactId: contactOfA });
    expect(created.body.accountId).toBe(accountA);
    const patched = await api.request('PATCH', `/work-orders/${created.body.id}`, {
      token: adminToken,
      body: { accountId: accountB, version: created.body.version },
    });
    expect(patched.status).toBe(400);
  });

  it('brings the account with a contact set on PATCH, as create does', async () => {
    const created = await create({ title: 'Smell of gas' });
    const patched = await api.request('PATCH', `/work-orders/${created.body.id}`, {
      token: adminToken,
      body: { contactId: contactOfB, version: created.body.version },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ contactId: contactOfB, accountId: accountB });
  });
});

describe('a disabled user is never put in charge', () => {
  it('refuses a disabled owner on create', async () => {
    const created = await create({ title: 'To a disabled user', ownerId: 'peer' });
    expect(created.status).toBe(400);
    expect(created.body.errors).toEqual([{ field: 'body.ownerId', message: 'User peer is disabled' }]);
  });

  it('refuses a disabled owner on assign, single and batch', async () => {
    const created = await create({ title: 'Assign me', ownerId: 'tech1' });
    const single = await api.request('POST', `/work-orders/${created.body.id}/assign`, {
      token: adminToken,
      body: { ownerId: 'peer', version: created.body.version },
    });
    expect(single.status).toBe(400);
    const batch = await api.request('POST', '/work-orders/assign', {
      token: adminToken,
      body: { ids: [created.body.id], ownerId: 'peer' },
    });
    expect(batch.status).toBe(400);
    const after = await api.request('GET', `/work-orders/${created.body.id}`, { token: adminToken });
    expect(after.body).toMatchObject({ ownerId: 'tech1', version: 1 });
  });

  it("refuses a disabled user as a type's assignment rule, and skips a rule whose person was disabled since", async () => {
    const refused = await api.request('POST', '/work-order-types', {
      token: adminToken,
      body: { code: 'DISABLED', name: 'Disabled rule', defaultOwnerId: 'peer' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'body.defaultOwnerId', message: 'User peer is disabled' }]);

    const type = await api.app.workOrders.workOrderTypes.create(admin, {
      code: 'OUTSIDE',
      name: 'Outside work',
      defaultOwnerId: 'outsider',
    });
    const outsider = await api.app.masterData.users.get(admin, 'outsider');
    await api.app.masterData.users.update(admin, 'outsider', outsider.version, {
      status: 'disabled',
      version: outsider.version,
    });
    const created = await create({ title: 'Typed', typeId: type.id });
    expect(created.status).toBe(201);
    expect(created.body.ownerId).toBeUndefined();
  });
});
