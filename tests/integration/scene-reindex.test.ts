import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSceneAccess } from '../../functions/adapters/dynamodb/scene-access';
import { DynamoSceneFiling } from '../../functions/adapters/dynamodb/scene-filing';
import { DynamoSceneIndexStore } from '../../functions/adapters/dynamodb/scene-index-store';
import { basePorts } from '../../functions/composition/ports';
import { sceneReindexer } from '../../functions/composition/work-orders';
import { SceneReindexer } from '../../functions/domain/work-orders/scene-reindexer';
import type { Scene } from '../../functions/domain/work-orders/scenes';
import type { WorkOrder } from '../../functions/domain/work-orders/work-order';
import { startTestApi, type TestApi } from '../helpers/api';
import { buildOrganisation, type Organisation, PEOPLE, type Person } from '../helpers/organisation';

let api: TestApi;
let tenants = 0;
type Wo = keyof Organisation['workOrders'];
const VIEWERS: Person[] = ['manager', 'lead', 'tech1', 'tech2', 'head', 'agent', 'peer', 'outsider'];
const SCENES: Scene[] = [
  'all',
  'my-subordinates-responsible',
  'my-subordinates-participated',
  'my-department',
];

beforeAll(async () => {
  api = await startTestApi();
}, 60_000);
afterAll(async () => api?.close());

/** A fresh tenant with the organisation of tests/helpers/organisation.ts. */
async function organisation(): Promise<Organisation> {
  tenants += 1;
  return buildOrganisation(api.table, `reidx-${tenants}`);
}

const tokenOf = (org: Organisation, person: Person) => api.token(org.tenantId, person, ...PEOPLE[person]);
const keyOf = (org: Organisation, number: string) =>
  (Object.entries(org.workOrders).find(([, wo]) => wo.number === number)?.[0] ?? number) as Wo;

async function sceneOf(org: Organisation, person: Person, scene: Scene): Promise<Wo[]> {
  const found: Wo[] = [];
  let cursor: string | undefined;
  do {
    const response = await api.request<{ items: { number: string }[]; nextCursor?: string }>(
      'GET',
      `/work-orders?scene=${scene}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      { token: tokenOf(org, person) },
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    found.push(...response.body.items.map((item) => keyOf(org, item.number)));
    cursor = response.body.nextCursor;
  } while (cursor);
  return found.sort();
}

/** What the person may read of the tenant's work orders, one GET each: the oracle of every scene. */
async function readable(org: Organisation, person: Person): Promise<Set<Wo>> {
  const keys = Object.keys(org.workOrders) as Wo[];
  const statuses = await Promise.all(
    keys.map(
      async (key) =>
        (await api.request('GET', `/work-orders/${org.workOrders[key].id}`, { token: tokenOf(org, person) }))
          .status,
    ),
  );
  return new Set(keys.filter((_, i) => statuses[i] === 200));
}

/** No scene of any viewer lists a work order the viewer may not read; "all" lists exactly those. */
async function expectScenesReadable(org: Organisation): Promise<void> {
  for (const person of VIEWERS) {
    const may = await readable(org, person);
    for (const scene of SCENES) {
      const shown = await sceneOf(org, person, scene);
      expect(
        shown.filter((wo) => !may.has(wo)),
        `${person} in ${scene}`,
      ).toEqual([]);
      if (scene === 'all') expect(shown, `${person} in all`).toEqual([...may].sort());
    }
  }
}

async function change(org: Organisation, path: string, body: Record<string, unknown>): Promise<void> {
  const admin = tokenOf(org, 'admin');
  const current = await api.request<{ version: number }>('GET', path, { token: admin });
  const changed = await api.request('PATCH', path, {
    token: admin,
    body: { ...body, version: current.body.version },
  });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
}

interface Job {
  id: string;
  status: string;
  holds: string[] | 'everyone';
  progress: { ordersSeen: number; entriesWritten: number; entriesDeleted: number };
}

async function jobs(org: Organisation): Promise<Job[]> {
  const listed = await api.request<{ items: Job[] }>('GET', '/scene-reindex-jobs', {
    token: tokenOf(org, 'admin'),
  });
  expect(listed.status).toBe(200);
  return listed.body.items;
}

/** Runs the re-filing step by step (one work order a step), checking every scene between steps. */
async function reindexWatching(
  org: Organisation,
  reindexer = sceneReindexer(basePorts(api.table), { ordersPerStep: 1, pageSize: 1 }),
) {
  const [job] = (await jobs(org)).filter((j) => j.status === 'running');
  expect(job, 'a running re-filing').toBeDefined();
  let steps = 0;
  for (let outcome = ''; outcome !== 'done'; steps++) {
    await expectScenesReadable(org);
    outcome = await reindexer.step(org.tenantId, (job as Job).id);
    expect(steps).toBeLessThan(100);
  }
  return { job: (await jobs(org)).find((j) => j.id === job?.id) as Job, steps };
}

/** The scene lists each work order of the tenant is filed in, by work-order key. */
async function filedEntries(org: Organisation): Promise<Record<string, string[]>> {
  const entries: Record<string, string[]> = {};
  for (const [key, wo] of Object.entries(org.workOrders)) {
    const { Items = [] } = await api.table.client.send(
      new QueryCommand({
        TableName: api.table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :view)',
        ExpressionAttributeValues: { ':pk': `TENANT#${org.tenantId}#WO#${wo.id}`, ':view': 'VIEW#' },
      }),
    );
    // Department ids differ between tenants: name them.
    entries[key] = Items.map((item) =>
      String(item.sk).replace(org.departments.service, 'service').replace(org.departments.north, 'north'),
    ).sort();
  }
  return entries;
}

describe('re-filing the scenes after an organisation change', () => {
  it('moves the work orders of a user who gets another superior out of the old chain and into the new one', async () => {
    const org = await organisation();
    expect(await sceneOf(org, 'manager', 'my-subordinates-responsible')).toEqual(['wo1', 'wo2', 'wo3']);
    await change(org, '/users/tech1', { superiorId: 'outsider' });
    // Before any step: the held viewers read live, so the move shows at once.
    expect(await sceneOf(org, 'manager', 'my-subordinates-responsible')).toEqual(['wo2', 'wo3']);
    expect(await sceneOf(org, 'outsider', 'my-subordinates-responsible')).toEqual(['wo1']);
    const held = (person: Person) => readSceneAccess(api.table, org.tenantId, person).then((a) => a.held);
    expect([await held('manager'), await held('lead'), await held('outsider'), await held('head')]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    const { job } = await reindexWatching(org);
    // Released: from now on they read the one list filed for each scene.
    expect([await held('manager'), await held('lead'), await held('outsider')]).toEqual([
      false,
      false,
      false,
    ]);
    expect(job).toMatchObject({
      status: 'done',
      holds: expect.arrayContaining(['lead', 'manager', 'outsider']),
    });
    expect(job.progress.entriesWritten + job.progress.entriesDeleted).toBeGreaterThan(0);
    await expectScenesReadable(org);
    expect(await sceneOf(org, 'manager', 'my-subordinates-responsible')).toEqual(['wo2', 'wo3']);
    expect(await sceneOf(org, 'lead', 'my-subordinates-responsible')).toEqual(['wo3']);
    expect(await sceneOf(org, 'outsider', 'my-subordinates-responsible')).toEqual(['wo1']);
    expect(await sceneOf(org, 'manager', 'my-subordinates-participated')).toEqual(['wo1']);
    expect(await sceneOf(org, 'outsider', 'my-subordinates-participated')).toEqual(['wo4']);
  });

  it("moves a sub-department out of its former parent head's scene", async () => {
    const org = await organisation();
    expect(await sceneOf(org, 'head', 'my-department')).toEqual(['wo1', 'wo2', 'wo3', 'wo4']);
    await change(org, `/departments/${org.departments.north}`, { parentId: null });
    await reindexWatching(org);
    // wo1 stays: its team member tech2 is in "service"; wo4's only department is "north".
    expect(await sceneOf(org, 'head', 'my-department')).toEqual(['wo1', 'wo2', 'wo3']);
    await expectScenesReadable(org);
  });

  it("gives a department's work to its new head and takes it from the old one", async () => {
    const org = await organisation();
    await change(org, `/departments/${org.departments.service}`, { headId: 'peer' });
    await reindexWatching(org);
    expect(await sceneOf(org, 'head', 'my-department')).toEqual([]);
    expect(await sceneOf(org, 'peer', 'my-department')).toEqual(['wo1', 'wo2', 'wo3', 'wo4']);
    await expectScenesReadable(org);
  });

  it('re-files every department when the tenant narrows what heads see, holding everyone meanwhile', async () => {
    const org = await organisation();
    await change(org, '/tenant', { settings: { superiorVisibleDataScope: 'own-department' } });
    const { job } = await reindexWatching(org);
    expect(job.holds).toBe('everyone');
    expect(await sceneOf(org, 'head', 'my-department')).toEqual(['wo1', 'wo2', 'wo3']);
    await expectScenesReadable(org);
  });

  it('shares with a user what is shared with the department they join or the group they are in, at once', async () => {
    const org = await organisation();
    const admin = tokenOf(org, 'admin');
    const rule = await api.request('POST', '/sharing-rules', {
      token: admin,
      body: {
        source: { kind: 'user', id: 'tech2' },
        target: { kind: 'department', id: org.departments.service },
        access: 'read-only',
      },
    });
    expect(rule.status).toBe(201);
    expect(await sceneOf(org, 'outsider', 'shared-to-me')).toEqual([]);
    await change(org, '/users/outsider', { mainDepartmentId: org.departments.service });
    expect(await sceneOf(org, 'outsider', 'shared-to-me')).toEqual(['wo3']);
    await expectScenesReadable(org);
    await change(org, '/users/outsider', { mainDepartmentId: null });
    expect(await sceneOf(org, 'outsider', 'shared-to-me')).toEqual([]);

    expect(await sceneOf(org, 'agent', 'shared-to-me')).toEqual(['wo1']);
    const group = await api.request<{ version: number }>('GET', `/user-groups/${org.groups.dispatch}`, {
      token: admin,
    });
    const left = await api.request('POST', `/user-groups/${org.groups.dispatch}/members`, {
      token: admin,
      body: { remove: ['agent'], version: group.body.version },
    });
    expect(left.status, JSON.stringify(left.body)).toBe(200);
    expect(await sceneOf(org, 'agent', 'shared-to-me')).toEqual([]);
    expect(await sceneOf(org, 'agent', 'all')).toEqual([]);
    // No organisation fact moved: nothing to re-file.
    expect(await jobs(org)).toEqual([]);
  });

  it('reads the reach of someone who sees only shared work once they are put on a work order or given subordinates', async () => {
    const org = await organisation();
    const agent = (scene: Scene) => sceneOf(org, 'agent', scene);
    expect(await agent('all')).toEqual(['wo1']);
    const created = await api.request<WorkOrder>('POST', '/work-orders', {
      token: tokenOf(org, 'admin'),
      body: { title: 'Call back the customer', ownerId: 'agent' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // Known to the checks from now on, as the organisation's own work orders are.
    (org.workOrders as Record<string, WorkOrder>).wo9 = created.body;
    expect(await agent('all')).toEqual(['wo1', 'wo9']);
    await change(org, '/users/tech2', { superiorId: 'agent' });
    await reindexWatching(org);
    // tech2 is in charge of wo3 and on the team of wo1 (which is also shared with the agent's group).
    expect(await agent('my-subordinates-responsible')).toEqual(['wo3']);
    expect(await agent('all')).toEqual(['wo1', 'wo3', 'wo9']);
    await expectScenesReadable(org);
    // peer was never on a work order: becoming tech1's superior gives peer a reach of its own.
    await change(org, '/users/tech1', { superiorId: 'peer' });
    await reindexWatching(org);
    expect(await sceneOf(org, 'peer', 'my-subordinates-responsible')).toEqual(['wo1']);
    await expectScenesReadable(org);
  });

  it('resumes a re-filing whose step failed halfway and ends as one that did not fail', async () => {
    const [interrupted, straight] = [await organisation(), await organisation()];
    for (const org of [interrupted, straight]) await change(org, '/users/tech1', { superiorId: 'outsider' });
    const ports = basePorts(api.table);
    const filing = new DynamoSceneFiling(api.table);
    let calls = 0;
    const failing = new SceneReindexer({
      store: new DynamoSceneIndexStore(api.table, ports.clock),
      filing: {
        filedUnder: (...args) => filing.filedUnder(...args),
        refile: async (...args) => {
          calls += 1;
          if (calls === 2) throw new Error('the function timed out');
          return filing.refile(...args);
        },
      },
      clock: ports.clock,
      ids: ports.ids,
      pageSize: 1,
    });
    const [job] = await jobs(interrupted);
    await expect(failing.step(interrupted.tenantId, (job as Job).id)).rejects.toThrow('timed out');
    const halfway = (await jobs(interrupted))[0] as Job;
    expect(halfway.status).toBe('running');
    expect(halfway.progress.ordersSeen).toBeGreaterThan(0);
    // Held viewers still read live while it waits to be re-driven.
    await expectScenesReadable(interrupted);

    const resumed = await reindexWatching(interrupted, sceneReindexer(ports, { pageSize: 1 }));
    await reindexWatching(straight, sceneReindexer(ports));
    expect(resumed.job.status).toBe('done');
    const entries = await filedEntries(interrupted);
    expect(entries).toEqual(await filedEntries(straight));
    expect(entries.wo1).toContain('VIEW#below-owner#outsider');
    expect(entries.wo1).not.toContain('VIEW#below-owner#lead');
  });
});
