import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import type { Scene } from '../../functions/domain/work-orders/scenes';
import { startTestApi, type TestApi } from '../helpers/api';
import { buildOrganisation, PEOPLE, type Person, principalOf } from '../helpers/organisation';

/**
 * Two tenants with the same user ids and different hierarchies:
 *
 *   fso (tests/helpers/organisation.ts):  manager ── lead ──┬── tech1
 *                                                           └── tech2
 *   globex:                               outsider ── tech1      manager ── tech2      lead (nobody below)
 *
 * A superior's team below, and every scene built from it, must come from the caller's tenant only.
 */
let api: TestApi;
const globexOrders: Record<'tech1Job' | 'tech2Job' | 'leadJob', { id: string; number: string }> = {
  tech1Job: { id: '', number: '' },
  tech2Job: { id: '', number: '' },
  leadJob: { id: '', number: '' },
};
const fsoNumbers = new Map<string, string>();

const tokenOf = (tenantId: string, person: Person) => api.token(tenantId, person, ...PEOPLE[person]);

beforeAll(async () => {
  api = await startTestApi();
  const fso = await buildOrganisation(api.table, 'fso');
  for (const [name, wo] of Object.entries(fso.workOrders)) fsoNumbers.set(wo.number, name);

  const services = compose(basePorts(api.table));
  await services.masterData.tenants.create({
    id: 'globex',
    name: 'Globex Service',
    admin: { id: 'admin', name: 'Admin', email: 'admin@globex.example' },
  });
  const admin = principalOf('globex', 'admin');
  const user = (id: Person, superiorId?: string) =>
    services.masterData.users.create(admin, {
      id,
      name: `Globex ${id}`,
      email: `${id}@globex.example`,
      roles: PEOPLE[id],
      ...(superiorId ? { superiorId } : {}),
    });
  await user('manager');
  await user('lead');
  await user('outsider');
  await user('tech1', 'outsider');
  await user('tech2', 'manager');
  const create = (title: string, ownerId: Person, team: { userId: Person; access: 'read-write' }[] = []) =>
    services.workOrders.workOrders.create(admin, { title, ownerId, team });
  globexOrders.tech1Job = await create('Globex tech1 job', 'tech1');
  globexOrders.tech2Job = await create('Globex tech2 job', 'tech2');
  globexOrders.leadJob = await create('Globex lead job', 'lead', [{ userId: 'tech1', access: 'read-write' }]);
}, 60_000);
afterAll(async () => api?.close());

async function subordinatesOf(tenantId: string, person: Person): Promise<string[]> {
  const response = await api.request<{ items: { id: string; tenantId: string }[] }>(
    'GET',
    `/users/${person}/subordinates`,
    { token: tokenOf(tenantId, 'admin') },
  );
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(response.body.items.every((u) => u.tenantId === tenantId)).toBe(true);
  return response.body.items.map((u) => u.id).sort();
}

/** The titles of a scene: work orders of both tenants share numbers, titles tell them apart. */
async function sceneOf(tenantId: string, person: Person, scene: Scene): Promise<string[]> {
  const response = await api.request<{ items: { title: string; tenantId: string }[] }>(
    'GET',
    `/work-orders?scene=${scene}&limit=100`,
    { token: tokenOf(tenantId, person) },
  );
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(response.body.items.every((w) => w.tenantId === tenantId)).toBe(true);
  return response.body.items.map((w) => w.title).sort();
}

describe('the superior hierarchy of two tenants with the same user ids', () => {
  it.each([
    ['fso', 'manager', ['lead']],
    ['fso', 'lead', ['tech1', 'tech2']],
    ['fso', 'outsider', []],
    ['globex', 'manager', ['tech2']],
    ['globex', 'lead', []],
    ['globex', 'outsider', ['tech1']],
  ] as const)('%s: the direct subordinates of %s are %j', async (tenantId, person, expected) => {
    expect(await subordinatesOf(tenantId, person)).toEqual(expected);
  });

  it.each([
    ['globex', 'lead', 'my-subordinates-responsible', []],
    ['globex', 'lead', 'my-subordinates-participated', []],
    ['globex', 'lead', 'all', ['Globex lead job']],
    ['globex', 'manager', 'my-subordinates-responsible', ['Globex tech2 job']],
    ['globex', 'manager', 'all', ['Globex tech2 job']],
    ['globex', 'outsider', 'my-subordinates-responsible', ['Globex tech1 job']],
    ['globex', 'outsider', 'my-subordinates-participated', ['Globex lead job']],
    ['fso', 'outsider', 'my-subordinates-responsible', []],
    ['fso', 'outsider', 'my-subordinates-participated', []],
    ['fso', 'outsider', 'all', ['Pump noise', 'Unrelated job']],
    [
      'fso',
      'manager',
      'my-subordinates-responsible',
      ['Annual service done', 'Boiler leaking', 'No heating at all'],
    ],
  ] as const)('%s: %s sees in %s: %j', async (tenantId, person, scene, expected) => {
    expect(await sceneOf(tenantId, person, scene)).toEqual([...expected].sort());
  });

  it("refuses a page cursor of one superior's subordinates for another superior or tenant", async () => {
    const list = (tenantId: string, person: Person, query = '') =>
      api.request<{ items: { id: string }[]; nextCursor?: string }>(
        'GET',
        `/users/${person}/subordinates?limit=1${query}`,
        { token: tokenOf(tenantId, 'admin') },
      );
    const first = await list('fso', 'lead');
    const cursor = first.body.nextCursor ?? '';
    expect(cursor).not.toBe('');

    const resumed = await list('fso', 'lead', `&cursor=${cursor}`);
    const otherSuperior = await list('fso', 'manager', `&cursor=${cursor}`);
    const otherTenant = await list('globex', 'lead', `&cursor=${cursor}`);

    expect([...first.body.items, ...resumed.body.items].map((u) => u.id).sort()).toEqual(['tech1', 'tech2']);
    expect(otherSuperior.status).toBe(400);
    expect(otherTenant.status).toBe(400);
  });

  it("does not let a superior of another tenant's hierarchy assign a work order in a batch", async () => {
    const response = await api.request<{ results: { id: string; outcome: string }[] }>(
      'POST',
      '/work-orders/assign',
      {
        token: tokenOf('globex', 'lead'),
        body: { ids: [globexOrders.tech1Job.id, globexOrders.tech2Job.id], ownerId: 'lead' },
      },
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.results.map((r) => r.outcome)).toEqual(['not-found', 'not-found']);
    const stored = await api.request('GET', `/work-orders/${globexOrders.tech1Job.id}`, {
      token: tokenOf('globex', 'admin'),
    });
    expect(stored.body).toMatchObject({ ownerId: 'tech1', version: 1 });
  });
});
