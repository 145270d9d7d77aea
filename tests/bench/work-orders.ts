import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { DynamoSceneIndexStore } from '../../functions/adapters/dynamodb/scene-index-store';
import type { Application } from '../../functions/composition/application';
import type { Principal, Role } from '../../functions/domain/access/principal';
import type { Scene } from '../../functions/domain/work-orders/scenes';
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
  for (const [userId, roles, scene] of scenes) {
    let cursor: string | undefined;
    for (let page = 1; page <= 3; page++) {
      m.reset();
      const result = await wo.workOrders.scene(principal(userId, ...roles), { scene, limit: PAGE, cursor });
      const calls = m.read().calls;
      const sceneCalls = calls.filter((c) => c.partition?.includes('#WOVIEW#'));
      const read = sceneCalls.reduce((sum, c) => sum + c.itemsRead, 0);
      const partitions = new Set(sceneCalls.map((c) => c.partition)).size;
      if (page !== 2) {
        rows.push(
          `| ${userId} | ${scene} | ${partitions} | ${page} | ${result.items.length} | ${read} | ${(read / PAGE).toFixed(2)} | ${sceneCalls.length} | ${calls.length - sceneCalls.length} |`,
        );
      }
      cursor = result.nextCursor;
      if (!cursor) break;
    }
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
