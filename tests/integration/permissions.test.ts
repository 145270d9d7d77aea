import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import { MASTER_DATA_PERMISSIONS, type Permission } from '../../functions/domain/access/permissions';
import { ROLES, type Role } from '../../functions/domain/access/principal';
import { localConsumptionWorkflow } from '../../local/consumption';
import {
  LocalAgreementExpiryScheduler,
  LocalPlanScheduler,
  LocalScheduler,
  MovableClock,
} from '../../local/scheduler/local-scheduler';
import type { LocalStateMachine } from '../../local/workflows/local-state-machine';
import { startTestApi, type TestApi } from '../helpers/api';
import { confirmationReaches, quiet } from '../helpers/consumption';

let api: TestApi;
let machine: LocalStateMachine | undefined;
let admin: string;
let counter = 0;
const unique = () => `${Date.now().toString(36)}-${counter++}`;

/** One representative request per permission; each builds fresh records so cells do not interfere. */
const probes: Record<Permission, () => Promise<{ method: string; path: string; body?: unknown }>> = {
  'tenant:read': async () => ({ method: 'GET', path: '/tenant' }),
  'tenant:configure': async () => {
    const tenant = await api.request('GET', '/tenant', { token: admin });
    return { method: 'PATCH', path: '/tenant', body: { name: 'Perm Co', version: tenant.body.version } };
  },
  'user:read': async () => ({ method: 'GET', path: '/users' }),
  'user:write': async () => ({
    method: 'POST',
    path: '/users',
    body: { name: 'New', email: `${unique()}@perm.example`, roles: ['service-staff'] },
  }),
  'department:read': async () => ({ method: 'GET', path: '/departments' }),
  'department:write': async () => ({ method: 'POST', path: '/departments', body: { name: 'Dept' } }),
  'user-group:read': async () => ({ method: 'GET', path: '/user-groups' }),
  'user-group:write': async () => ({ method: 'POST', path: '/user-groups', body: { name: 'Group' } }),
  'product:read': async () => ({ method: 'GET', path: '/products' }),
  'product:write': async () => ({
    method: 'POST',
    path: '/products',
    body: { code: unique(), name: 'Part', kind: 'spare-part', price: { amount: 1, currency: 'EUR' } },
  }),
  'customer:read': async () => ({ method: 'GET', path: '/accounts' }),
  'customer:write': async () => ({ method: 'POST', path: '/accounts', body: { name: 'Customer' } }),
  'sharing-rule:read': async () => ({ method: 'GET', path: '/sharing-rules' }),
  'sharing-rule:write': async () => ({
    method: 'POST',
    path: '/sharing-rules',
    body: {
      source: { kind: 'user', id: 'perm-admin' },
      target: { kind: 'user', id: 'perm-admin' },
      access: 'read-only',
    },
  }),
  'work-order-type:read': async () => ({ method: 'GET', path: '/work-order-types' }),
  'work-order-type:write': async () => ({
    method: 'POST',
    path: '/work-order-types',
    body: { code: unique(), name: 'Repair' },
  }),
  'work-order:create': async () => ({
    method: 'POST',
    path: '/work-orders',
    body: { title: 'Permission probe' },
  }),
  'mailbox:read': async () => ({ method: 'GET', path: '/mailboxes' }),
  'mailbox:write': async () => ({
    method: 'POST',
    path: '/mailboxes',
    body: { address: `${unique()}@perm.example` },
  }),
  'inbound-mail:read': async () => ({ method: 'GET', path: '/inbound-mails' }),
  'scene-index:read': async () => ({ method: 'GET', path: '/scene-reindex-jobs' }),
  'sales-order:read': async () => ({ method: 'GET', path: '/sales-orders' }),
  'sales-order:write': async () => ({ method: 'POST', path: '/sales-orders', body: orderBody() }),
  'agreement-rule:read': async () => ({ method: 'GET', path: '/agreement-rules' }),
  'agreement-rule:write': async () => ({
    method: 'POST',
    path: '/agreement-rules',
    body: { name: 'Services', subject: 'account', coverage: 'partial' },
  }),
  'agreement:read': async () => ({ method: 'GET', path: '/service-agreements' }),
  'agreement:write': async () => ({ method: 'POST', path: '/service-agreements', body: agreementBody() }),
  'agreement:activate': async () => {
    const draft = await api.request('POST', '/service-agreements', { token: admin, body: agreementBody() });
    return { method: 'POST', path: `/service-agreements/${draft.body.id}/activate`, body: { version: 1 } };
  },
  'agreement:terminate': async () => {
    const draft = await api.request('POST', '/service-agreements', { token: admin, body: agreementBody() });
    await api.request('POST', `/service-agreements/${draft.body.id}/activate`, {
      token: admin,
      body: { version: 1 },
    });
    return {
      method: 'POST',
      path: `/service-agreements/${draft.body.id}/terminate`,
      body: { version: 2, reason: 'Customer moved away' },
    };
  },
  'agreement:generate': async () => {
    const order = await api.request('POST', '/sales-orders', { token: admin, body: orderBody() });
    return { method: 'POST', path: `/sales-orders/${order.body.id}/generate-agreements` };
  },
  'service-product:write': async () => ({
    method: 'POST',
    path: `/work-orders/${await teamWorkOrder()}/service-products`,
    body: { productId },
  }),
  'spare-part:record': async () => ({
    method: 'POST',
    path: `/work-orders/${await teamWorkOrder()}/spare-parts`,
    body: { productId: sparePartId, quantity: 1 },
  }),
  'consumption:confirm': async () => {
    const workOrderId = await teamWorkOrder();
    await api.request('POST', `/work-orders/${workOrderId}/service-products`, {
      token: admin,
      body: { productId },
    });
    return { method: 'POST', path: `/work-orders/${workOrderId}/consumption-confirmations`, body: {} };
  },
  'consumption:approve': async () => {
    const workOrderId = await teamWorkOrder();
    await api.request('POST', `/work-orders/${workOrderId}/service-products`, {
      token: admin,
      body: { productId },
    });
    const started = await api.request('POST', `/work-orders/${workOrderId}/consumption-confirmations`, {
      token: admin,
      body: {},
    });
    await confirmationReaches(api, admin, String(started.body.id), ['awaiting-approval']);
    return {
      method: 'POST',
      path: `/consumption-confirmations/${String(started.body.id)}/approve`,
      body: {},
    };
  },
  'billing-rule:read': async () => ({ method: 'GET', path: '/billing-rules' }),
  'billing-rule:write': async () => ({
    method: 'POST',
    path: '/billing-rules',
    body: { name: 'Goodwill', billable: false },
  }),
  'service-plan:read': async () => ({ method: 'GET', path: '/service-plans' }),
  'service-plan:write': async () => {
    const draft = await api.request('POST', '/service-agreements', { token: admin, body: agreementBody() });
    await api.request('POST', `/service-agreements/${draft.body.id}/activate`, {
      token: admin,
      body: { version: 1 },
    });
    return {
      method: 'POST',
      path: '/service-plans',
      body: {
        name: 'Quarterly check',
        agreementId: draft.body.id,
        recurrence: {
          rrule: 'FREQ=MONTHLY;INTERVAL=3',
          timeZone: 'Europe/Berlin',
          start: '2027-01-04T09:00',
        },
      },
    };
  },
  'plan-rule:read': async () => ({ method: 'GET', path: '/plan-rules' }),
  'plan-rule:write': async () => ({ method: 'POST', path: '/plan-rules', body: { name: 'Recurring lines' } }),
  'customer:delete': async () => {
    const account = await api.request('POST', '/accounts', { token: admin, body: { name: 'To delete' } });
    return { method: 'DELETE', path: `/accounts/${account.body.id}?version=1` };
  },
};

/** An account and a service product every order and agreement probe refers to. */
let accountId = '';
let productId = '';
let sparePartId = '';

/**
 * A work order of the account whose team is one user per role (read-write): each role's caller may
 * handle it exactly when the role lets them handle work orders at all.
 */
async function teamWorkOrder(): Promise<string> {
  const created = await api.request('POST', '/work-orders', {
    token: admin,
    body: {
      title: 'Consumption probe',
      accountId,
      team: ROLES.map((role) => ({ userId: `u-${role}`, access: 'read-write' })),
    },
  });
  return String(created.body.id);
}
const orderBody = () => ({ accountId, orderDate: '2026-01-15', lines: [{ productId, quantity: 2 }] });
const agreementBody = () => ({
  name: 'Probe agreement',
  subject: 'account',
  accountId,
  startDate: '2026-01-01',
  endDate: '2099-12-31',
  coverage: 'partial',
  lines: [{ productId, quantity: 3 }],
});

beforeAll(async () => {
  const clock = new MovableClock();
  const workflow = localConsumptionWorkflow({ app: () => api.app, clock, logger: quiet, retryIntervalMs: 5 });
  machine = workflow.machine;
  api = await startTestApi({
    clock,
    agreementExpiry: new LocalAgreementExpiryScheduler(new LocalScheduler()),
    planSchedules: new LocalPlanScheduler(new LocalScheduler()),
    workflow: workflow.workflow,
    approvals: workflow.approvals,
  });
  admin = api.token('perm', 'perm-admin', 'crm-admin');
  await compose(basePorts(api.table)).masterData.tenants.create({
    id: 'perm',
    name: 'Perm',
    admin: { id: 'perm-admin', name: 'Admin', email: 'admin@perm.example' },
  });
  const account = await api.request('POST', '/accounts', { token: admin, body: { name: 'Buyer' } });
  accountId = account.body.id as string;
  const product = await api.request('POST', '/products', {
    token: admin,
    body: {
      code: unique(),
      name: 'Repair visit',
      kind: 'service',
      serviceType: 'non-recurring',
      price: { amount: 9000, currency: 'EUR' },
    },
  });
  productId = product.body.id as string;
  const part = await api.request('POST', '/products', {
    token: admin,
    body: { code: unique(), name: 'Filter', kind: 'spare-part', price: { amount: 900, currency: 'EUR' } },
  });
  sparePartId = part.body.id as string;
  const root = { tenantId: 'perm', userId: 'perm-admin', roles: ['crm-admin'] as Role[] };
  for (const role of ROLES)
    await api.app.masterData.users.create(root, {
      id: `u-${role}`,
      name: role,
      email: `${role}@perm.example`,
      roles: [role],
    });
});
afterAll(async () => {
  await machine?.stop();
  await api?.close();
});

const cells = (Object.keys(MASTER_DATA_PERMISSIONS) as Permission[]).flatMap((permission) =>
  ROLES.map((role) => ({
    permission,
    role,
    allowed: (MASTER_DATA_PERMISSIONS[permission] as readonly Role[]).includes(role),
  })),
);

describe('the master-data permission table, through the API', () => {
  it.each(cells)('$permission for $role: allowed=$allowed', async ({ permission, role, allowed }) => {
    const probe = await probes[permission]();
    const response = await api.request(probe.method, probe.path, {
      token: api.token('perm', `u-${role}`, role),
      body: probe.body,
    });
    if (allowed) expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
    else expect(response.status).toBe(403);
  });

  it('gives a token without any known role nothing', async () => {
    const response = await api.request('GET', '/accounts', { token: api.token('perm', 'u-none') });
    expect(response.status).toBe(403);
  });
});
