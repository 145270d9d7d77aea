import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainEventSchema } from '../../functions/domain/shared/events';
import { WORK_ORDER_EVENTS } from '../../functions/domain/work-orders/events';
import { createOutboxPublisher } from '../../functions/handlers/streams/outbox-publisher';
import { createLogger } from '../../functions/shared/logger';
import { LocalEventBus } from '../../local/bus/local-bus';
import { LocalStreamPoller } from '../../local/bus/stream-poller';
import { pollUntil } from '../../local/poll';
import { startTestApi, type TestApi } from '../helpers/api';
import { buildOrganisation, PEOPLE } from '../helpers/organisation';

let api: TestApi;
let poller: LocalStreamPoller;
const bus = new LocalEventBus();

beforeAll(async () => {
  api = await startTestApi();
  poller = new LocalStreamPoller(
    api.table.endpoint,
    api.table.tableName,
    createOutboxPublisher(
      bus,
      createLogger({}, () => undefined),
    ),
    {
      startAt: 'TRIM_HORIZON',
      intervalMs: 50,
    },
  );
  await poller.start();
  await buildOrganisation(api.table);
}, 60_000);
afterAll(async () => {
  await poller?.stop();
  await api?.close();
});

describe('work-order events on the bus', () => {
  it('publishes WorkOrderCreated, WorkOrderAssigned and WorkOrderStatusChanged, each valid against its schema', async () => {
    const token = api.token('fso', 'tech1', ...PEOPLE.tech1);
    const created = await api.request<{ id: string; number: string }>('POST', '/work-orders', {
      token,
      body: { title: 'Evented', priority: 'high' },
    });
    await api.request('POST', `/work-orders/${created.body.id}/assign`, {
      token,
      body: { ownerId: 'tech2', version: 1 },
    });
    await api.request('POST', `/work-orders/${created.body.id}/status`, {
      token: api.token('fso', 'lead', ...PEOPLE.lead),
      body: { status: 'in-progress', version: 2 },
    });

    const events = await pollUntil(
      () => {
        const mine = bus.published.filter((e) => e.detail.id === created.body.id);
        return mine.length >= 4 && mine;
      },
      { timeoutMs: 15_000, what: 'the work-order events on the bus' },
    );
    expect(events.map((e) => e.type)).toEqual([
      'WorkOrderCreated',
      'WorkOrderAssigned',
      'WorkOrderAssigned',
      'WorkOrderStatusChanged',
    ]);
    for (const event of events) {
      expect(domainEventSchema.safeParse(event).success).toBe(true);
      expect(event.source).toBe('fieldservice.work-orders');
      const schema = WORK_ORDER_EVENTS[event.type as keyof typeof WORK_ORDER_EVENTS];
      expect(schema.safeParse(event.detail).success, JSON.stringify(event.detail)).toBe(true);
    }
    expect(events[2]?.detail).toMatchObject({
      previousOwnerId: 'tech1',
      ownerId: 'tech2',
      number: created.body.number,
    });
    expect(events[3]?.detail).toMatchObject({ from: 'new', to: 'in-progress' });
  });
});
