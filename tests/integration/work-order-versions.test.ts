import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { queryAll } from '../../functions/adapters/dynamodb/query';
import { compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import type { WorkOrderServices } from '../../functions/composition/work-orders';
import { VersionConflictError } from '../../functions/domain/shared/errors';
import type { DomainEvent } from '../../functions/domain/shared/events';
import { workOrderEvent } from '../../functions/domain/work-orders/events';
import type { WorkOrder } from '../../functions/domain/work-orders/work-order';
import { startTestApi, type TestApi } from '../helpers/api';
import { buildOrganisation, PEOPLE, type Person, principalOf } from '../helpers/organisation';

let api: TestApi;
let wo: WorkOrderServices;
const admin = () => principalOf('fso', 'admin');
const tokenOf = (person: Person) => api.token('fso', person, ...PEOPLE[person]);

beforeAll(async () => {
  api = await startTestApi();
  await buildOrganisation(api.table);
  wo = compose(basePorts(api.table)).workOrders;
}, 60_000);
afterAll(async () => api?.close());

/** The events waiting in the tenant's outbox for one work order, oldest first. */
async function outboxOf(workOrderId: string): Promise<DomainEvent[]> {
  const { pk } = keys.outboxEvent('fso', 'any');
  const items = await queryAll(api.table, { pk });
  return items
    .map((item) => item.event as DomainEvent)
    .filter((event) => event.detail.id === workOrderId)
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** A work order of tech1's, edited once: its version is 2, and version 1 is stale. */
async function editedOnce(): Promise<WorkOrder> {
  const created = await wo.workOrders.create(admin(), { title: 'Versioned', ownerId: 'tech1' });
  return wo.workOrders.update(admin(), created.id, { title: 'Edited once', version: created.version });
}

const staleRequests: Record<string, (w: WorkOrder) => { method: string; path: string; body?: unknown }> = {
  edit: (w) => ({ method: 'PATCH', path: `/work-orders/${w.id}`, body: { title: 'Stale edit', version: 1 } }),
  'status change': (w) => ({
    method: 'POST',
    path: `/work-orders/${w.id}/status`,
    body: { status: 'in-progress', version: 1 },
  }),
  assign: (w) => ({
    method: 'POST',
    path: `/work-orders/${w.id}/assign`,
    body: { ownerId: 'tech2', version: 1 },
  }),
  'team change': (w) => ({
    method: 'POST',
    path: `/work-orders/${w.id}/team`,
    body: { userId: 'tech2', access: 'read-write', version: 1 },
  }),
  void: (w) => ({ method: 'POST', path: `/work-orders/${w.id}/void`, body: { version: 1 } }),
};

describe('a change sent with a stale version', () => {
  it.each(Object.keys(staleRequests))(
    '%s: 409, the work order unchanged, no record and no event',
    async (name) => {
      // Prepare
      const workOrder = await editedOnce();
      const eventsBefore = await outboxOf(workOrder.id);
      const recordsBefore = (await wo.workOrders.records(admin(), workOrder.id, {})).items;
      const request = (staleRequests[name] as (typeof staleRequests)[string])(workOrder);

      // Act
      const response = await api.request(request.method, request.path, {
        token: tokenOf('tech1'),
        body: request.body,
      });

      // Assess
      expect(response.status, JSON.stringify(response.body)).toBe(409);
      expect(await wo.workOrders.get(admin(), workOrder.id)).toEqual(workOrder);
      expect((await wo.workOrders.records(admin(), workOrder.id, {})).items).toEqual(recordsBefore);
      expect(await outboxOf(workOrder.id)).toEqual(eventsBefore);
      expect(eventsBefore.map((e) => e.type)).toEqual([
        'WorkOrderCreated',
        'WorkOrderAssigned',
        'WorkOrderUpdated',
      ]);
    },
  );
});

describe('a change that loses the race at the repository', () => {
  it('is refused as a version conflict and writes neither the change, its record nor its event', async () => {
    // Prepare: both writers read version 1; the first one's change is stored.
    const repository = wo.repositories.workOrders;
    const created = await wo.workOrders.create(admin(), { title: 'Raced', ownerId: 'tech1' });
    const readByLoser = (await repository.get('fso', created.id)) as WorkOrder;
    const winner = await wo.workOrders.update(admin(), created.id, { title: 'Winner', version: 1 });
    const eventsBefore = await outboxOf(created.id);
    const next: WorkOrder = {
      ...readByLoser,
      title: 'Loser',
      version: 2,
      updatedAt: new Date().toISOString(),
    };
    const event = workOrderEvent('WorkOrderUpdated', next, {
      id: '01LOSTRACEEVENT00000000000',
      occurredAt: next.updatedAt,
      actorId: 'tech1',
    });
    const record = {
      id: '01LOSTRACERECORD0000000000',
      workOrderId: created.id,
      at: next.updatedAt,
      kind: 'edited' as const,
      actorId: 'tech1',
    };

    // Act
    const losing = repository.update(readByLoser, next, [record], { events: [event] });

    // Assess
    await expect(losing).rejects.toBeInstanceOf(VersionConflictError);
    expect(await repository.get('fso', created.id)).toEqual(winner);
    const records = (await wo.workOrders.records(admin(), created.id, {})).items;
    expect(records.map((r) => r.id)).not.toContain(record.id);
    const events = await outboxOf(created.id);
    expect(events.map((e) => e.id)).not.toContain(event.id);
    expect(events).toEqual(eventsBefore);
  });
});
