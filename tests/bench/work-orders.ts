import { BatchWriteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { DynamoSceneIndexStore } from '../../functions/adapters/dynamodb/scene-index-store';
import type { Application } from '../../functions/composition/application';
import { sceneReindexer } from '../../functions/composition/work-orders';
import type { Principal, Role } from '../../functions/domain/access/principal';
import { audienceViews } from '../../functions/domain/work-orders/scene-audience';
import { SCENES, type Scene, viewsOf } from '../../functions/domain/work-orders/scenes';
import type { BusinessStatus, Priority, WorkOrder } from '../../functions/domain/work-orders/work-order';
import { formatNumber } from '../../functions/domain/work-orders/work-order';
import type { meter } from './dynamodb-meter';

const TENANT = 'bench-wo';
const COUNT = 10_000;
const PAGE = 25;

type Meter = ReturnType<typeof meter>;
const principal = (userId: string, ...roles: Role[]): Principal => ({ tenantId: TENANT, userId, roles });

/**
 * 10,000 work orders in one tenant with a manager, 3 leads, 15 technicians,
 * a department tree and a sharing rule; then, per scene: items read per page
 * against the page size, Query calls, and the fan-out of the hierarchy scenes.
 */
export async function workOrderBench(app: Application, m: Meter, call: Caller): Promise<string[]> {
  const svc = app.masterData;
  const wo = app.workOrders;
  const admin = principal('admin', 'crm-admin');
  await svc.tenants.create({
    id: TENANT,
    name: 'Bench',
    admin: { id: 'admin', name: 'Admin', email: 'admin@wo.bench' },
  });
  const user = (id: string, roles: Role[], extra: { superiorId?: string; mainDepartmentId?: string } = {}) =>
    svc.users.create(admin, { id, name: id, email: `${id}@wo.bench`, roles, ...extra });
  await user('head', ['service-manager', 'service-staff']);
  const service = await svc.departments.create(admin, { name: 'Service', headId: 'head' });
  await user('manager', ['service-manager', 'service-staff'], { mainDepartmentId: service.id });
  const techs: string[] = [];
  for (let l = 0; l < 3; l++) {
    const team = await svc.departments.create(admin, { name: `Team ${l}`, parentId: service.id });
    await user(`lead${l}`, ['service-staff'], { superiorId: 'manager', mainDepartmentId: team.id });
    for (let t = 0; t < 5; t++) {
      await user(`tech${l}${t}`, ['service-staff'], { superiorId: `lead${l}`, mainDepartmentId: team.id });
      techs.push(`tech${l}${t}`);
    }
  }
  await user('agent', ['call-center-agent']);
  const group = await svc.userGroups.create(admin, { name: 'Dispatch' });
  await svc.userGroups.changeMembers(admin, group.id, { add: ['agent'], version: 1 });
  await wo.sharingRules.create(admin, {
    source: { kind: 'user', id: 'tech00' },
    target: { kind: 'group', id: group.id },
    access: 'read-only',
  });

  const users = new Map((await svc.users.list(admin, { limit: 100 })).items.map((u) => [u.id, u]));
  const owners = [...techs, ...techs, 'lead0', 'lead1', 'lead2', 'manager'];
  const chart = await new DynamoSceneIndexStore(app.ports.table, app.ports.clock).chart(TENANT);
  const started = Date.parse('2026-01-01T00:00:00Z');
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < COUNT; i++) {
    const ownerId = owners[i % owners.length] as string;
    const owner = users.get(ownerId);
    const status: BusinessStatus =
      (['new', 'in-progress', 'in-progress', 'resolved', 'closed'] as const)[i % 5] ?? 'new';
    const priority: Priority = i % 20 === 0 ? 'urgent' : 'normal';
    const memberId = i % 3 === 0 ? techs[(i * 7) % techs.length] : undefined;
    const at = new Date(started + i * 60_000).toISOString();
    const workOrder: WorkOrder = {
      id: `WO${String(i).padStart(8, '0')}`,
      tenantId: TENANT,
      version: 1,
      createdAt: at,
      updatedAt: new Date(started + ((i * 7919) % COUNT) * 60_000).toISOString(),
      number: formatNumber(2026, i + 1),
      title: `Job ${i}`,
      priority,
      channel: 'staff',
      ownerId,
      ...(owner?.mainDepartmentId ? { ownerDepartmentId: owner.mainDepartmentId } : {}),
      team:
        memberId && memberId !== ownerId
          ? [{ userId: memberId, access: 'read-write', departmentId: users.get(memberId)?.mainDepartmentId }]
          : [],
      status,
      lifecycle: 'normal',
      locked: false,
      createdBy: 'admin',
    };
    items.push(
      ...wo.repositories.workOrders.itemsOf(
        workOrder,
        [{ id: `R${i}`, workOrderId: workOrder.id, at, kind: 'created', actorId: 'admin' }],
        chart,
      ),
    );
  }
  await bulkWrite(app, items);
  // The creates these items stand for mark the people on them as having a reach, as each create does.
  for (const userId of new Set(owners.concat(techs)))
    await app.ports.table.client.send(
      new UpdateCommand({
        TableName: app.ports.table.tableName,
        Key: keys.viewerScenes(TENANT, userId),
        UpdateExpression: 'SET reached = :reached',
        ExpressionAttributeValues: { ':reached': true },
      }),
    );
  await app.ports.table.client.send(
    new PutCommand({
      TableName: app.ports.table.tableName,
      Item: { ...keys.workOrderNumberCounter(TENANT, 2026), value: COUNT },
    }),
  );

  const rows: string[] = [
    `## Work orders: ${COUNT.toLocaleString('en')} in one tenant (${items.length.toLocaleString('en')} items), page size ${PAGE}\n`,
    '| viewer | scene | partitions read | page | returned | items read | read / page size | Query calls (scene) | other calls |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const scenes: [string, Role[], Scene][] = [
    ['admin', ['crm-admin'], 'all'],
    ['tech00', ['service-staff'], 'my-responsible'],
    ['tech00', ['service-staff'], 'my-participation'],
    ['tech00', ['service-staff'], 'unresolved'],
    ['tech00', ['service-staff'], 'urgent'],
    ['tech00', ['service-staff'], 'closed'],
    ['lead0', ['service-staff'], 'my-subordinates-responsible'],
    ['manager', ['service-manager', 'service-staff'], 'my-subordinates-responsible'],
    ['manager', ['service-manager', 'service-staff'], 'my-subordinates-participated'],
    ['head', ['service-manager', 'service-staff'], 'my-department'],
    ['agent', ['call-center-agent'], 'shared-to-me'],
    ['manager', ['service-manager', 'service-staff'], 'all'],
  ];
  const readPages = async (userId: string, roles: Role[], scene: Scene, pages: number) => {
    const measured: {
      page: number;
      returned: number;
      read: number;
      sceneCalls: number;
      calls: number;
      partitions: number;
    }[] = [];
    let cursor: string | undefined;
    for (let page = 1; page <= pages; page++) {
      m.reset();
      const result = await wo.workOrders.scene(principal(userId, ...roles), { scene, limit: PAGE, cursor });
      const calls = m.read().calls;
      const sceneCalls = calls.filter((c) => c.partition?.includes('#WOVIEW#'));
      measured.push({
        page,
        returned: result.items.length,
        read: sceneCalls.reduce((sum, c) => sum + c.itemsRead, 0),
        sceneCalls: sceneCalls.length,
        calls: calls.length,
        partitions: new Set(sceneCalls.map((c) => c.partition)).size,
      });
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    return measured;
  };
  for (const [userId, roles, scene] of scenes) {
    for (const r of await readPages(userId, roles, scene, 3)) {
      if (r.page === 2) continue;
      rows.push(
        `| ${userId} | ${scene} | ${r.partitions} | ${r.page} | ${r.returned} | ${r.read} | ${(r.read / PAGE).toFixed(2)} | ${r.sceneCalls} | ${r.calls - r.sceneCalls} |`,
      );
    }
  }

  // Every viewer of the tenant, every scene, first three pages: the worst of each scene against the goals.
  const viewers: [string, Role[]][] = [...users.values()].map((u) => [u.id, u.roles]);
  rows.push(
    '',
    `Every viewer (${viewers.length}) × every scene, pages 1–3: the worst page of each scene (goal: ≤ 1.20 items read per item returned, ≤ 3 round trips).\n`,
    '| scene | worst items read / returned | (viewer) | worst round trips per page | (viewer) |',
    '|---|---:|---|---:|---|',
  );
  for (const scene of SCENES) {
    let ratio = { value: 0, who: '' };
    let trips = { value: 0, who: '' };
    for (const [userId, roles] of viewers) {
      for (const r of await readPages(userId, roles, scene, 3)) {
        const value = r.returned > 0 ? r.read / r.returned : r.read > 0 ? Number.POSITIVE_INFINITY : 0;
        if (value > ratio.value) ratio = { value, who: userId };
        if (r.calls > trips.value) trips = { value: r.calls, who: userId };
      }
    }
    rows.push(`| ${scene} | ${ratio.value.toFixed(2)} | ${ratio.who} | ${trips.value} | ${trips.who} |`);
  }

  rows.push(
    '',
    '| operation (through the API) | round trips | RCU | WCU | calls |',
    '|---|---:|---:|---:|---|',
  );
  const token = principal('manager', 'service-manager', 'service-staff');
  const dispatcher = principal('lead0', 'service-staff');
  // The local gateway checks once per tenant that a token's tenant exists (Cognito does that in AWS):
  // a first request outside the measurements keeps that read out of them.
  await call(token, 'GET', '/tenant');
  const measure = async (name: string, run: () => Promise<unknown>) => {
    m.reset();
    const result = await run();
    const r = m.read();
    rows.push(
      `| ${name} | ${r.roundTrips} | ${r.readUnits.toFixed(1)} | ${r.writeUnits.toFixed(1)} | ${summarise(r.commands)} |`,
    );
    return result;
  };
  // Created by a lead, so the manager reads it as a superior of its person in charge, not as its creator.
  const created = (await measure('POST /work-orders', () =>
    call(dispatcher, 'POST', '/work-orders', { title: 'Bench', ownerId: 'tech00' }),
  )) as {
    id: string;
  };
  await measure('GET /work-orders/{id} (manager, via hierarchy)', () =>
    call(token, 'GET', `/work-orders/${created.id}`),
  );
  await measure('POST /work-orders/{id}/assign', () =>
    call(token, 'POST', `/work-orders/${created.id}/assign`, { ownerId: 'tech01', version: 1 }),
  );
  const ids = Array.from({ length: 100 }, (_, i) => `WO${String(i * 3 + 1).padStart(8, '0')}`);
  const batch = (await measure('POST /work-orders/assign (100)', () =>
    call(token, 'POST', '/work-orders/assign', { ids, ownerId: 'lead1' }),
  )) as {
    results: { outcome: string }[];
  };
  rows.push(`\nBatch outcomes: ${JSON.stringify(countBy(batch.results.map((r) => r.outcome)))}\n`);

  // The scene entries of the work order created above, as it was created and after its assignment:
  // those by its own fields (all there was before the organisation filed it) and those by the organisation.
  const entries = (order: WorkOrder) =>
    `${viewsOf(order).length} by its own fields + ${audienceViews(order, chart).length} by the organisation`;
  const assigned = (await wo.repositories.workOrders.get(TENANT, created.id)) as WorkOrder;
  rows.push(
    `Scene entries written: create ${entries({ ...assigned, ownerId: 'tech00', ownerDepartmentId: users.get('tech00')?.mainDepartmentId } as WorkOrder)}; assign ${entries(assigned)}.\n`,
  );
  rows.push(...(await hierarchyChange(app, m, items)));
  return rows;
}

export type Caller = (p: Principal, method: string, path: string, body?: unknown) => Promise<unknown>;

async function bulkWrite(app: Application, items: Record<string, unknown>[]) {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  const worker = async () => {
    for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
      let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const { UnprocessedItems } = await app.ports.table.client.send(
          new BatchWriteCommand({ RequestItems: { [app.ports.table.tableName]: pending } }),
        );
        pending = (UnprocessedItems?.[app.ports.table.tableName] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

function summarise(commands: string[]): string {
  return Object.entries(countBy(commands))
    .map(([command, n]) => (n > 1 ? `${command} ×${n}` : command))
    .join(', ');
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/**
 * A team lead with 5 technicians below gets another superior: what the re-filing of the work orders
 * owned by them or with them on the team costs, run to its end step by step.
 */
async function hierarchyChange(
  app: Application,
  m: Meter,
  items: Record<string, unknown>[],
): Promise<string[]> {
  const admin = principal('admin', 'crm-admin');
  const team = new Set(['lead0', 'tech00', 'tech01', 'tech02', 'tech03', 'tech04']);
  const below = items.filter(
    (item) =>
      item.entityType === 'WorkOrder' &&
      (team.has(String(item.ownerId)) ||
        (item.team as { userId: string }[]).some((member) => team.has(member.userId))),
  ).length;
  const lead = await app.masterData.users.get(admin, 'lead0');
  m.reset();
  const started = performance.now();
  await app.masterData.users.update(admin, 'lead0', lead.version, {
    superiorId: 'head',
    version: lead.version,
  });
  const change = { ...m.read() };
  const [job] = (await app.masterData.sceneReindexJobs.list(admin, { limit: 1 })).items;
  if (!job) throw new Error('The change started no re-filing');
  const reindexer = sceneReindexer(app.ports);
  let steps = 0;
  for (let outcome = ''; outcome !== 'done'; steps++) outcome = await reindexer.step(TENANT, job.id);
  const seconds = (performance.now() - started) / 1000;
  const total = m.read();
  const { progress } = await app.masterData.sceneReindexJobs.get(admin, job.id);
  return [
    `## Hierarchy change: lead0 (5 technicians below, ${below.toLocaleString('en')} work orders owned or on the team) gets another superior\n`,
    '| change (round trips, WCU) | lists walked | work orders seen | re-filed | entries written | entries deleted | steps | round trips | WCU | seconds |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${change.roundTrips}, ${change.writeUnits.toFixed(1)} | ${job.targets.length} | ${progress.ordersSeen} | ${progress.ordersRefiled} | ${progress.entriesWritten} | ${progress.entriesDeleted} | ${steps} | ${total.roundTrips} | ${total.writeUnits.toFixed(0)} | ${seconds.toFixed(1)} |`,
    '',
  ];
}
