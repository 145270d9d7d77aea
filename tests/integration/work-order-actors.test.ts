import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import type { SystemActor } from '../../functions/domain/access/actor';
import { ClaimTakenError, ForbiddenError } from '../../functions/domain/shared/errors';
import type { OnceClaim } from '../../functions/domain/shared/ports';
import { startTestApi, type TestApi } from '../helpers/api';
import {
  buildOrganisation,
  type Organisation,
  PEOPLE,
  type Person,
  principalOf,
} from '../helpers/organisation';

let api: TestApi;
let org: Organisation;
const tokenOf = (person: Person) => api.token('fso', person, ...PEOPLE[person]);
const wo = () => api.app.workOrders.workOrders;
const mailbox: SystemActor = { tenantId: 'fso', system: 'mailbox', id: 'service@fso.example' };
const plan: SystemActor = { tenantId: 'fso', system: 'service-plan', id: 'plan-1' };
const once = (scope: string, key: string): OnceClaim => ({ kind: 'once', scope, key });

async function outboxEventsOf(workOrderId: string) {
  const { Items = [] } = await api.table.client.send(
    new QueryCommand({
      TableName: api.table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.outboxEvent('fso', 'x').pk },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => item.event as { type: string; actorId?: string; detail: { id: string } }).filter(
    (event) => event.detail.id === workOrderId,
  );
}

beforeAll(async () => {
  api = await startTestApi();
  org = await buildOrganisation(api.table);
}, 60_000);
afterAll(async () => api?.close());

describe('system actors', () => {
  it('lets the mailbox create a work order as itself: creator, channel, timeline and event name it', async () => {
    const created = await wo().create(mailbox, { title: 'Heating broken' });
    expect(created).toMatchObject({ createdBy: 'mailbox:service@fso.example', channel: 'email' });
    expect(created.ownerId).toBeUndefined();
    const { items } = await wo().records(principalOf('fso', 'admin'), created.id, {});
    expect(items[0]).toMatchObject({ kind: 'created', actorId: 'mailbox:service@fso.example' });
    const events = await outboxEventsOf(created.id);
    expect(events.map((e) => [e.type, e.actorId])).toEqual([
      ['WorkOrderCreated', 'mailbox:service@fso.example'],
    ]);
  });

  it('lets a service plan create (channel plan) but not comment', async () => {
    const created = await wo().create(plan, { title: 'Quarterly inspection' });
    expect(created).toMatchObject({ createdBy: 'service-plan:plan-1', channel: 'plan' });
    await expect(wo().comment(plan, created.id, 'note')).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("lets the mailbox comment on a work order it has no viewer relation to, as the mail's sender would", async () => {
    const record = await wo().comment(mailbox, org.workOrders.wo6.id, 'Any news?');
    expect(record).toMatchObject({
      kind: 'comment',
      actorId: 'mailbox:service@fso.example',
      text: 'Any news?',
    });
  });

  it('refuses a system actor a tenant it does not act in: a work order of another tenant does not exist', async () => {
    const stranger: SystemActor = { ...mailbox, tenantId: 'other' };
    await expect(wo().comment(stranger, org.workOrders.wo6.id, 'Hello')).rejects.toMatchObject({
      kind: 'not-found',
    });
  });
});

describe('claims taken with the change', () => {
  it('takes every claim of a write in its transaction: one claim already held refuses the whole write', async () => {
    const first = await wo().create(mailbox, { title: 'From mail 1' }, [
      once('ses-message', 'ses-1'),
      once('message-id', '<a@customer.example>'),
    ]);
    // SES delivers the same mail again under a new messageId: the Message-ID claim still holds.
    const again = wo().create(mailbox, { title: 'From mail 1' }, [
      once('ses-message', 'ses-2'),
      once('message-id', '<a@customer.example>'),
    ]);
    await expect(again).rejects.toBeInstanceOf(ClaimTakenError);
    // Nothing of the refused write remains: its other claim is free, no second work order, no event.
    const third = await wo().create(mailbox, { title: 'From mail 2' }, [once('ses-message', 'ses-2')]);
    expect(third.number).not.toBe(first.number);
    const { items } = await wo().scene(principalOf('fso', 'admin'), { scene: 'all', limit: 100 });
    expect(items.filter((item) => item.title === 'From mail 1')).toHaveLength(1);
  });

  it('takes a claim with a comment, so a redelivered reply is appended once', async () => {
    const claim = once('message-id', '<reply-1@customer.example>');
    await wo().comment(mailbox, org.workOrders.wo2.id, 'Thanks, see you Monday', [claim]);
    await expect(
      wo().comment(mailbox, org.workOrders.wo2.id, 'Thanks, see you Monday', [claim]),
    ).rejects.toBeInstanceOf(ClaimTakenError);
    const { items } = await wo().records(principalOf('fso', 'admin'), org.workOrders.wo2.id, { limit: 100 });
    expect(items.filter((r) => r.text === 'Thanks, see you Monday')).toHaveLength(1);
  });

  it('keeps claims per tenant: the same Message-ID in another tenant is another mail', async () => {
    await api.app.masterData.tenants.create({
      id: 'other',
      name: 'Other',
      admin: { id: 'admin', name: 'Admin', email: 'admin@other.example' },
    });
    const claim = once('message-id', '<shared@customer.example>');
    await wo().create(mailbox, { title: 'Tenant one' }, [claim]);
    const other = await wo().create({ ...mailbox, tenantId: 'other' }, { title: 'Tenant two' }, [claim]);
    expect(other.tenantId).toBe('other');
  });
});

describe('the creator follows what they created', () => {
  it('lets a call-center agent read the work order they just created, but not handle it', async () => {
    const created = await api.request<{ id: string; version: number }>('POST', '/work-orders', {
      token: tokenOf('agent'),
      body: { title: 'Caller reports a leak' },
    });
    expect(created.status).toBe(201);
    const read = await api.request('GET', `/work-orders/${created.body.id}`, { token: tokenOf('agent') });
    expect(read.status).toBe(200);
    const records = await api.request('GET', `/work-orders/${created.body.id}/records`, {
      token: tokenOf('agent'),
    });
    expect(records.status).toBe(200);
    const handle = await api.request('POST', `/work-orders/${created.body.id}/status`, {
      token: tokenOf('agent'),
      body: { status: 'in-progress', version: created.body.version },
    });
    expect(handle.status).toBe(403);
    // Someone else without a relation still gets 404.
    const other = await api.request('GET', `/work-orders/${created.body.id}`, { token: tokenOf('clerk') });
    expect(other.status).toBe(404);
  });
});
