import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import type { Scene } from '../../functions/domain/work-orders/scenes';
import { startTestApi, type TestApi } from '../helpers/api';
import { buildOrganisation, type Organisation, PEOPLE, type Person } from '../helpers/organisation';

let api: TestApi;
let org: Organisation;
type Wo = keyof Organisation['workOrders'];

const tokenOf = (person: Person, tenantId = 'fso') => api.token(tenantId, person, ...PEOPLE[person]);

async function sceneOf(person: Person, scene: Scene, tenantId = 'fso'): Promise<Wo[]> {
  const numbers: string[] = [];
  let cursor: string | undefined;
  do {
    const response = await api.request<{ items: { number: string }[]; nextCursor?: string }>(
      'GET',
      `/work-orders?scene=${scene}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      { token: tokenOf(person, tenantId) },
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    numbers.push(...response.body.items.map((item) => item.number));
    cursor = response.body.nextCursor;
  } while (cursor);
  const byNumber = new Map(Object.entries(org.workOrders).map(([key, wo]) => [wo.number, key as Wo]));
  return numbers.map((n) => byNumber.get(n) ?? (n as Wo)).sort();
}

beforeAll(async () => {
  api = await startTestApi();
  org = await buildOrganisation(api.table);
  const other = await buildOrganisation(api.table, 'other');
  expect(other.workOrders.wo1.number).toBe(org.workOrders.wo1.number);
}, 60_000);
afterAll(async () => api?.close());

/** Who sees what, scene by scene, in the organisation of tests/helpers/organisation.ts. */
const expectations: [Person, Scene, Wo[]][] = [
  ['admin', 'all', ['wo1', 'wo2', 'wo3', 'wo4', 'wo5', 'wo6', 'wo7', 'wo8']],
  ['admin', 'my-responsible', []],
  ['manager', 'all', ['wo1', 'wo2', 'wo3', 'wo4', 'wo5']],
  ['manager', 'my-responsible', ['wo5']],
  ['manager', 'my-participation', []],
  ['manager', 'my-subordinates-responsible', ['wo1', 'wo2', 'wo3']],
  ['manager', 'my-subordinates-participated', ['wo1', 'wo4']],
  ['manager', 'unresolved', ['wo5']],
  ['manager', 'my-department', []],
  ['manager', 'shared-to-me', []],
  ['lead', 'all', ['wo1', 'wo2', 'wo3', 'wo4']],
  ['lead', 'my-responsible', ['wo2']],
  ['lead', 'urgent', ['wo2']],
  ['lead', 'unresolved', ['wo2']],
  ['lead', 'my-subordinates-responsible', ['wo1', 'wo3']],
  ['lead', 'my-subordinates-participated', ['wo1', 'wo4']],
  ['tech1', 'all', ['wo1', 'wo4']],
  ['tech1', 'my-responsible', ['wo1']],
  ['tech1', 'my-participation', ['wo4']],
  ['tech1', 'unresolved', ['wo1']],
  ['tech1', 'my-subordinates-responsible', []],
  ['tech2', 'all', ['wo1', 'wo3']],
  ['tech2', 'closed', ['wo3']],
  ['tech2', 'unresolved', []],
  ['tech2', 'my-participation', ['wo1']],
  ['head', 'my-department', ['wo1', 'wo2', 'wo3', 'wo4']],
  ['head', 'all', ['wo1', 'wo2', 'wo3', 'wo4']],
  ['agent', 'shared-to-me', ['wo1']],
  ['agent', 'all', ['wo1']],
  ['peer', 'shared-to-me', ['wo1']],
  ['outsider', 'all', ['wo4', 'wo6']],
  ['outsider', 'my-responsible', ['wo4', 'wo6']],
  ['clerk', 'my-responsible', ['wo8']],
];

describe('work-order scenes', () => {
  it.each(expectations)('%s sees in %s: %j', async (person, scene, expected) => {
    expect(await sceneOf(person, scene)).toEqual([...expected].sort());
  });

  it('keeps tenants apart: the other tenant has its own wo1 with the same number', async () => {
    const other = await sceneOf('admin', 'all', 'other');
    expect(other).toHaveLength(8);
    const read = await api.request('GET', `/work-orders/${org.workOrders.wo1.id}`, {
      token: tokenOf('admin', 'other'),
    });
    expect(read.status).toBe(404);
  });

  it('narrows the department scene to the own department when the tenant says so', async () => {
    const tenant = await api.request('GET', '/tenant', { token: tokenOf('admin') });
    await api.request('PATCH', '/tenant', {
      token: tokenOf('admin'),
      body: { settings: { superiorVisibleDataScope: 'own-department' }, version: tenant.body.version },
    });
    try {
      expect(await sceneOf('head', 'my-department')).toEqual(['wo1', 'wo2', 'wo3']);
    } finally {
      const changed = await api.request('GET', '/tenant', { token: tokenOf('admin') });
      await api.request('PATCH', '/tenant', {
        token: tokenOf('admin'),
        body: {
          settings: { superiorVisibleDataScope: 'with-sub-departments' },
          version: changed.body.version,
        },
      });
    }
  });

  it('sorts by created or updated time, either way', async () => {
    const get = async (query: string) =>
      (
        await api.request<{ items: { number: string }[] }>('GET', `/work-orders?scene=all&${query}`, {
          token: tokenOf('manager'),
        })
      ).body.items.map((i) => i.number);
    const newest = await get('sort=created&order=desc');
    const oldest = await get('sort=created&order=asc');
    expect(oldest).toEqual([...newest].reverse());
    // wo3 was handled three times after it was created, so it is the most recently updated of manager's.
    const updated = await get('sort=updated&order=desc');
    expect(updated[0]).toBe(org.workOrders.wo5.number);
    expect(updated).toContain(org.workOrders.wo3.number);
  });

  it('refuses an unknown scene and a cursor of another scene', async () => {
    const unknown = await api.request('GET', '/work-orders?scene=everything', { token: tokenOf('manager') });
    const first = await api.request<{ nextCursor?: string }>('GET', '/work-orders?scene=all&limit=1', {
      token: tokenOf('manager'),
    });
    const misused = await api.request(
      'GET',
      `/work-orders?scene=my-responsible&cursor=${first.body.nextCursor}`,
      {
        token: tokenOf('manager'),
      },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'query.scene' })]);
    expect(misused.status).toBe(400);
    // One position serves every merged partition, so a wide scene's cursor stays short.
    expect(first.body.nextCursor?.length).toBeLessThan(200);
  });

  it('binds a cursor to its scene, sort, viewer and tenant: each alone refuses it', async () => {
    // outsider has two work orders in my-responsible: a page of one leaves a cursor with nothing exhausted.
    const page = (query: string, person: Person = 'outsider', tenantId = 'fso') =>
      api.request<{ items: { number: string }[]; nextCursor?: string; errors?: unknown[] }>(
        'GET',
        `/work-orders?${query}`,
        {
          token: tokenOf(person, tenantId),
        },
      );
    const first = await page('scene=my-responsible&sort=created&limit=1');
    const cursor = first.body.nextCursor ?? '';
    expect(cursor).not.toBe('');

    const resumed = await page(`scene=my-responsible&sort=created&cursor=${cursor}`);
    const otherSort = await page(`scene=my-responsible&sort=updated&cursor=${cursor}`);
    const otherScene = await page(`scene=unresolved&sort=created&cursor=${cursor}`);
    const otherViewer = await page(`scene=my-responsible&sort=created&cursor=${cursor}`, 'tech1');
    const otherTenant = await page(`scene=my-responsible&sort=created&cursor=${cursor}`, 'outsider', 'other');

    expect(resumed.status).toBe(200);
    expect([...first.body.items, ...resumed.body.items].map((i) => i.number).sort()).toEqual(
      [org.workOrders.wo4.number, org.workOrders.wo6.number].sort(),
    );
    for (const [what, response] of Object.entries({ otherSort, otherScene, otherViewer, otherTenant })) {
      expect(response.status, what).toBe(400);
      expect(response.body.errors, what).toEqual([expect.objectContaining({ field: 'query.cursor' })]);
    }
  });

  it('shows an account its last work orders in its summary', async () => {
    const admin = { tenantId: 'fso', userId: 'admin', roles: ['crm-admin' as const] };
    const svc = compose(basePorts(api.table)).masterData;
    const account = await svc.accounts.create(admin, { name: 'Summary GmbH' });
    for (let i = 0; i < 12; i++) {
      await api.request('POST', '/work-orders', {
        token: tokenOf('admin'),
        // tech1's work orders are shared with the agent's group: the summary lists what the agent may read.
        body: { title: `Visit ${i}`, accountId: account.id, ownerId: 'tech1' },
      });
    }
    const summary = await api.request<{ recentWorkOrders: { title: string }[]; account: { name: string } }>(
      'GET',
      `/accounts/${account.id}/summary`,
      { token: tokenOf('agent') },
    );
    expect(summary.body.account.name).toBe('Summary GmbH');
    expect(summary.body.recentWorkOrders.map((w) => w.title)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Visit ${11 - i}`),
    );
  });
});
