import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { queryAll } from '../../functions/adapters/dynamodb/query';
import { compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import type { WorkOrderServices } from '../../functions/composition/work-orders';
import { ConflictError } from '../../functions/domain/shared/errors';
import type { DomainEvent } from '../../functions/domain/shared/events';
import { workOrderEvent } from '../../functions/domain/work-orders/events';
import type { WorkOrder } from '../../functions/domain/work-orders/work-order';
import { startTestApi, type TestApi } from '../helpers/api';
import {
  buildOrganisation,
  type Organisation,
  PEOPLE,
  type Person,
  principalOf,
} from '../helpers/organisation';

let api: TestApi;
let wo: WorkOrderServices;
let fso: Organisation;
let other: Organisation;
const admin = () => principalOf('fso', 'admin');
const tokenOf = (person: Person, tenantId = 'fso') => api.token(tenantId, person, ...PEOPLE[person]);

beforeAll(async () => {
  api = await startTestApi();
  fso = await buildOrganisation(api.table);
  other = await buildOrganisation(api.table, 'other');
  wo = compose(basePorts(api.table)).workOrders;
}, 60_000);
afterAll(async () => api?.close());

describe('looking a work order up by its number', () => {
  it("finds the order of that number in the caller's tenant, for whoever may read it", async () => {
    const { wo1 } = fso.workOrders;
    const lookup = (person: Person, number: string, tenantId = 'fso') =>
      api.request<WorkOrder>('GET', `/work-orders/by-number/${number}`, { token: tokenOf(person, tenantId) });

    const byOwner = await lookup('tech1', wo1.number);
    const byOtherTenant = await lookup('admin', wo1.number, 'other');
    const byOutsider = await lookup('outsider', wo1.number);
    const unknown = await lookup('admin', 'WO-1999-000001');
    const malformed = await lookup('admin', '42');

    expect(byOwner.status, JSON.stringify(byOwner.body)).toBe(200);
    expect(byOwner.body).toMatchObject({ id: wo1.id, number: wo1.number, title: 'Boiler leaking' });
    expect(byOtherTenant.body).toMatchObject({ id: other.workOrders.wo1.id, number: wo1.number });
    expect(byOtherTenant.body.id).not.toBe(wo1.id);
    expect(byOutsider.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(400);
  });
});

describe('the number guard of the repository', () => {
  it('refuses a second work order with a number already taken, writing none of it', async () => {
    // Prepare: a work order, then the year's sequence set back so the next create draws its number again.
    const repository = wo.repositories.workOrders;
    const first = await wo.workOrders.create(admin(), { title: 'Holds the number' });
    const year = Number(first.number.split('-')[1]);
    const sequence = Number(first.number.split('-')[2]);
    await api.table.client.send(
      new PutCommand({
        TableName: api.table.tableName,
        Item: { ...keys.workOrderNumberCounter('fso', year), value: sequence - 1 },
      }),
    );
    const now = new Date(first.createdAt).toISOString();
    const draft: Omit<WorkOrder, 'number'> = {
      id: '01DUPLICATENUMBER000000000',
      tenantId: 'fso',
      version: 1,
      createdAt: now,
      updatedAt: now,
      title: 'Wants the same number',
      priority: 'normal',
      channel: 'staff',
      team: [],
      status: 'new',
      lifecycle: 'normal',
      locked: false,
      createdBy: 'admin',
    };

    // Act
    const second = repository.create(draft, [], (workOrder) => ({
      events: [
        workOrderEvent('WorkOrderCreated', workOrder, { id: '01DUPLICATENUMBEREVENT0000', occurredAt: now }),
      ],
    }));

    // Assess
    await expect(second).rejects.toThrow(ConflictError);
    await expect(second).rejects.toThrow(`Work-order number ${first.number} is already taken`);
    expect(await repository.get('fso', draft.id)).toBeUndefined();
    expect((await repository.findByNumber('fso', first.number))?.id).toBe(first.id);
    const outbox = await queryAll(api.table, { pk: keys.outboxEvent('fso', 'any').pk });
    expect(outbox.map((item) => (item.event as DomainEvent).detail.id)).not.toContain(draft.id);
  });
});

describe('the title of a work order', () => {
  const title = (length: number) => 'T'.repeat(length);

  it.each([
    [200, 201],
    [201, 400],
    [1024 * 1024, 400],
  ])('of %i characters on create: %i', async (length, status) => {
    const response = await api.request('POST', '/work-orders', {
      token: tokenOf('tech1'),
      body: { title: title(length) },
    });
    expect(response.status).toBe(status);
    if (status === 400)
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'body.title' })]);
  });

  it('over 200 characters on edit: 400, the work order unchanged', async () => {
    const created = await wo.workOrders.create(admin(), { title: 'Short', ownerId: 'tech1' });
    const response = await api.request('PATCH', `/work-orders/${created.id}`, {
      token: tokenOf('tech1'),
      body: { title: title(201), version: created.version },
    });
    expect(response.status).toBe(400);
    expect(await wo.workOrders.get(admin(), created.id)).toEqual(created);
  });

  it('on import: 200 characters are created, 201 and nearly 1 MB are refused by row', async () => {
    const nearlyOneMegabyte = title(1024 * 1024 - 1000);
    const csv = ['title', title(200), title(201), nearlyOneMegabyte, ''].join('\n');
    const response = await api.request<{
      results: { row: number; outcome: string; errors?: { field: string }[] }[];
    }>('POST', '/work-orders/import', {
      token: tokenOf('tech1'),
      rawBody: csv,
      headers: { 'content-type': 'text/csv; charset=utf-8' },
    });
    expect(response.status, JSON.stringify(response.body).slice(0, 500)).toBe(200);
    expect(response.body.results.map((r) => [r.row, r.outcome, r.errors?.map((e) => e.field)])).toEqual([
      [2, 'created', undefined],
      [3, 'refused', ['title']],
      [4, 'refused', ['title']],
    ]);
  });
});
