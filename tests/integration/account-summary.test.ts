import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkOrder } from '../../functions/domain/work-orders/work-order';
import { startTestApi, type TestApi } from '../helpers/api';
import { buildOrganisation, PEOPLE, type Person, principalOf } from '../helpers/organisation';

let api: TestApi;
let accountId: string;
const orders: Record<string, WorkOrder> = {};
const tokenOf = (person: Person) => api.token('fso', person, ...PEOPLE[person]);

beforeAll(async () => {
  api = await startTestApi();
  await buildOrganisation(api.table);
  const admin = principalOf('fso', 'admin');
  const account = await api.app.masterData.accounts.create(admin, { name: 'Hotel Alpenblick' });
  accountId = account.id;
  const create = (title: string, ownerId: string, extra = {}) =>
    api.app.workOrders.workOrders.create(admin, { title, ownerId, accountId, ...extra });
  // The outsider may read their own and the one they are on the team of, nothing else of the account.
  orders.own = await create('Outsider fixes the lift', 'outsider');
  orders.team = await create('Sauna heater', 'tech2', {
    team: [{ userId: 'outsider', access: 'read-only' }],
  });
  orders.hidden = await create('Confidential: staff complaint', 'tech1');
  orders.managers = await create('Budget for the new boiler', 'manager');
}, 60_000);
afterAll(async () => api?.close());

const summaryOf = (person: Person) =>
  api.request<{ recentWorkOrders: { id: string; number: string; title: string }[] }>(
    'GET',
    `/accounts/${accountId}/summary`,
    { token: tokenOf(person) },
  );

describe('GET /accounts/{id}/summary', () => {
  it('lists only the work orders the viewer may read', async () => {
    const summary = await summaryOf('outsider');
    const listed = summary.body.recentWorkOrders.map((w) => w.id);

    expect(summary.status).toBe(200);
    expect(listed.sort()).toEqual([orders.own?.id, orders.team?.id].sort());
    expect(JSON.stringify(summary.body)).not.toContain('Confidential');
    // Each hidden one is a 404 to the same person: the summary tells nothing more.
    for (const hidden of [orders.hidden, orders.managers]) {
      const read = await api.request('GET', `/work-orders/${hidden?.id}`, { token: tokenOf('outsider') });
      expect(read.status).toBe(404);
    }
  });

  it('lists every work order of the account, newest first, for an admin', async () => {
    const summary = await summaryOf('admin');

    expect(summary.body.recentWorkOrders.map((w) => w.id)).toEqual(
      [orders.managers, orders.hidden, orders.team, orders.own].map((w) => w?.id),
    );
  });

  it('lists what a superior may read through the hierarchy', async () => {
    const summary = await summaryOf('lead');

    expect(summary.body.recentWorkOrders.map((w) => w.id).sort()).toEqual(
      [orders.hidden?.id, orders.team?.id].sort(),
    );
  });
});
