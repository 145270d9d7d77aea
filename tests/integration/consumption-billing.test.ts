import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import type { ConsumptionConfirmation } from '../../functions/domain/consumption/confirmation';
import type { ServiceProduct } from '../../functions/domain/consumption/service-product';
import {
  type ConsumptionStack,
  confirmationReaches,
  startConsumptionStack,
  userPrincipal,
} from '../helpers/consumption';

const TENANT = 'cb';
let stack: ConsumptionStack;
let admin: string;
let tech: string;
let manager: string;
const ids = {
  covered: '',
  uncovered: '',
  full: '',
  device: '',
  repair: '',
  filter: '',
  swissPart: '',
  partial: '',
  fullAgreement: '',
};

type Body = Record<string, unknown> & { id: string; version: number; status: string };
const request = async (method: string, path: string, token: string, body?: unknown, headers = {}) =>
  stack.api.request<Body>(method, path, { token, headers, ...(body === undefined ? {} : { body }) });

async function ledger(agreementId = ids.partial, lineId = '1') {
  const { body } = await request('GET', `/service-agreements/${agreementId}/lines/${lineId}/ledger`, admin);
  return body as unknown as { quantity: number; redeemed: number; released: number; remaining: number };
}

async function outboxEvents() {
  const { Items = [] } = await stack.api.table.client.send(
    new QueryCommand({
      TableName: stack.api.table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.outboxEvent(TENANT, 'x').pk },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => item.event as { type: string; detail: Record<string, unknown> });
}

/** A work order owned by the technician for an account, with the given service products. */
async function workOrderWith(
  accountId: string,
  products: { productId: string; quantityUsed: number; quantityToBill?: number }[],
  extra = {},
) {
  const created = await request('POST', '/work-orders', admin, {
    title: 'Boiler repair',
    accountId,
    ownerId: 'tech',
    ...extra,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  for (const product of products) {
    const added = await request('POST', `/work-orders/${created.body.id}/service-products`, tech, product);
    expect(added.status, JSON.stringify(added.body)).toBe(201);
  }
  return created.body.id;
}

async function startConfirmation(workOrderId: string, token = tech, headers = {}) {
  return request('POST', `/work-orders/${workOrderId}/consumption-confirmations`, token, {}, headers);
}

/** Starts a confirmation and waits until a person can decide on it. */
async function awaitingApproval(workOrderId: string) {
  const started = await startConfirmation(workOrderId);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return confirmationReaches(stack.api, manager, started.body.id, ['awaiting-approval']) as Promise<
    ConsumptionConfirmation & Record<string, unknown>
  >;
}

async function decide(id: string, decision: 'approve' | 'reject', token = manager) {
  return request('POST', `/consumption-confirmations/${id}/${decision}`, token, {});
}

beforeAll(async () => {
  stack = await startConsumptionStack();
  stack.clock.moveTo(new Date('2031-03-10T09:00:00Z'));
  await stack.api.createTenant(TENANT);
  const users = stack.api.app.masterData.users;
  const root = userPrincipal(TENANT, 'admin', 'crm-admin');
  await users.create(root, {
    id: 'manager',
    name: 'Mia Manager',
    email: 'mia@cb.example',
    roles: ['service-manager', 'service-staff'],
  });
  await users.create(root, {
    id: 'tech',
    name: 'Tom Tech',
    email: 'tom@cb.example',
    roles: ['service-staff'],
    superiorId: 'manager',
  });
  admin = stack.api.token(TENANT, 'admin', 'crm-admin');
  tech = stack.api.token(TENANT, 'tech', 'service-staff');
  manager = stack.api.token(TENANT, 'manager', 'service-manager', 'service-staff');
  const product = async (code: string, body: Record<string, unknown>) =>
    (await request('POST', '/products', admin, { code, price: { amount: 8000, currency: 'EUR' }, ...body }))
      .body.id;
  ids.repair = await product('REP', { name: 'Repair visit', kind: 'service', serviceType: 'non-recurring' });
  ids.filter = await product('FLT', {
    name: 'Filter',
    kind: 'spare-part',
    price: { amount: 1250, currency: 'EUR' },
  });
  ids.swissPart = await product('CH-PUMP', {
    name: 'Pump (CH)',
    kind: 'spare-part',
    price: { amount: 9900, currency: 'CHF' },
  });
  ids.covered = (await request('POST', '/accounts', admin, { name: 'Covered Ltd' })).body.id;
  ids.uncovered = (await request('POST', '/accounts', admin, { name: 'Walk-in GmbH' })).body.id;
  ids.full = (await request('POST', '/accounts', admin, { name: 'Full Care AG' })).body.id;
  const agreement = async (accountId: string, coverage: string, lines: unknown[]) => {
    const created = await request('POST', '/service-agreements', admin, {
      name: `${coverage} care`,
      subject: 'account',
      accountId,
      startDate: '2031-01-01',
      endDate: '2031-12-31',
      coverage,
      lines,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const activated = await request('POST', `/service-agreements/${created.body.id}/activate`, admin, {
      version: 1,
    });
    expect(activated.status, JSON.stringify(activated.body)).toBe(200);
    return created.body.id;
  };
  ids.partial = await agreement(ids.covered, 'partial', [
    { productId: ids.repair, quantity: 2 },
    { productId: ids.filter, quantity: 10 },
  ]);
  ids.fullAgreement = await agreement(ids.full, 'full', []);
});
afterAll(async () => {
  await stack?.close();
});

describe('consumption then billing', () => {
  it('covers warranty work at price 0 and bills nothing for it', async () => {
    const before = await ledger();
    const workOrderId = await workOrderWith(ids.covered, [{ productId: ids.repair, quantityUsed: 1 }]);
    const waiting = await awaitingApproval(workOrderId);
    expect(waiting.lines[0]).toMatchObject({
      covered: 1,
      nonWarranty: 0,
      coveredBy: { agreementId: ids.partial, lineId: '1', kind: 'counted-line' },
    });
    expect(waiting).not.toHaveProperty('taskToken');
    expect((await ledger()).remaining).toBe(before.remaining - 1);

    expect((await decide(waiting.id, 'approve')).status).toBe(200);
    const done = await confirmationReaches(stack.api, manager, waiting.id, ['confirmed', 'released']);
    expect(done).toMatchObject({
      status: 'confirmed',
      outcome: 'confirmed',
      totals: { billed: { amount: 0 }, warrantyValue: { amount: 8000 } },
    });
    expect(done).not.toHaveProperty('orderId');
    const products = await request('GET', `/work-orders/${workOrderId}/service-products`, tech);
    expect((products.body.items as ServiceProduct[])[0]?.confirmedBy).toBe(waiting.id);
    const steps = (done.steps as { step: string }[]).map((s) => s.step);
    expect(steps).toEqual([
      'start',
      'validate',
      'redeem',
      'await-approval',
      'approve',
      'apply-billing-rules',
      'create-order',
    ]);
    const events = await outboxEvents();
    expect(
      events.filter((e) => e.type === 'ConsumptionConfirmed' && e.detail.id === waiting.id),
    ).toHaveLength(1);
    expect(
      events.filter((e) => e.type === 'BillingOrderCreated' && e.detail.confirmationId === waiting.id),
    ).toHaveLength(0);
    const timeline = await request('GET', `/work-orders/${workOrderId}/records?limit=100`, tech);
    const consumption = (timeline.body.items as { kind: string }[]).filter((r) => r.kind === 'consumption');
    expect(consumption.length).toBeGreaterThanOrEqual(6);
  });

  it('prices non-warranty work and makes it an order with a payment QR, once however often it is approved', async () => {
    const workOrderId = await workOrderWith(ids.uncovered, [
      { productId: ids.repair, quantityUsed: 2 },
      { productId: ids.filter, quantityUsed: 3, quantityToBill: 2 },
    ]);
    const waiting = await awaitingApproval(workOrderId);
    expect(waiting.lines.map((l) => [l.covered, l.nonWarranty])).toEqual([
      [0, 2],
      [0, 3],
    ]);
    const [first, second] = await Promise.all([decide(waiting.id, 'approve'), decide(waiting.id, 'approve')]);
    expect([first.status, second.status].sort()).toEqual([200, 200]);
    const done = await confirmationReaches(stack.api, manager, waiting.id, ['confirmed', 'released']);
    expect(done.status).toBe('confirmed');
    const order = await request('GET', `/sales-orders/${String(done.orderId)}`, manager);
    expect(order.body).toMatchObject({
      origin: 'service-billing',
      accountId: ids.uncovered,
      lines: [
        { productCode: 'REP', quantity: 2, total: { amount: 16000, currency: 'EUR' } },
        { productCode: 'FLT', quantity: 2, total: { amount: 2500 } },
      ],
      total: { amount: 18500, currency: 'EUR' },
      billing: { workOrderId, confirmationId: waiting.id },
    });
    // Approving again, after it was billed, bills nothing new.
    expect((await decide(waiting.id, 'approve')).status).toBe(200);
    expect((await decide(waiting.id, 'reject')).status).toBe(409);
    const events = await outboxEvents();
    expect(
      events.filter((e) => e.type === 'BillingOrderCreated' && e.detail.confirmationId === waiting.id),
    ).toHaveLength(1);
    const orders = await request('GET', '/sales-orders?limit=100', admin);
    expect(
      (orders.body.items as { billing?: { confirmationId: string } }[]).filter(
        (o) => o.billing?.confirmationId === waiting.id,
      ),
    ).toHaveLength(1);
  });

  it("is paid by the order's payment QR, made from the tenant's payment settings", async () => {
    const workOrderId = await workOrderWith(ids.uncovered, [{ productId: ids.filter, quantityUsed: 2 }]);
    const waiting = await awaitingApproval(workOrderId);
    await decide(waiting.id, 'approve');
    const done = await confirmationReaches(stack.api, manager, waiting.id, ['confirmed', 'released']);
    const path = `/sales-orders/${String(done.orderId)}/payment-qr`;
    expect((await request('GET', path, manager)).status).toBe(409);

    const tenant = await request('GET', '/tenant', admin);
    const settings = {
      payment: {
        kind: 'sepa-credit-transfer',
        iban: 'DE89 3704 0044 0532 0130 00',
        beneficiary: 'Covered Service',
      },
    };
    const patched = await request('PATCH', '/tenant', admin, { settings, version: tenant.body.version });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const svg = await fetch(`${stack.api.url}${path}`, { headers: { authorization: `Bearer ${manager}` } });
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg /);
    const png = await fetch(`${stack.api.url}${path}?format=png`, {
      headers: { authorization: `Bearer ${manager}` },
    });
    expect(png.headers.get('content-type')).toBe('image/png');
    const image = PNG.sync.read(Buffer.from(await png.arrayBuffer()));
    const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
    expect(decoded?.data.split('\n')).toEqual([
      'BCD',
      '002',
      '1',
      'SCT',
      '',
      'Covered Service',
      'DE89370400440532013000',
      'EUR25.00',
      '',
      '',
      expect.stringContaining(String(done.orderId)),
    ]);
    expect((await request('GET', `${path}?format=gif`, manager)).status).toBe(400);
  });

  it('splits a line the agreement covers only in part', async () => {
    const remaining = (await ledger(ids.partial, '2')).remaining;
    const workOrderId = await workOrderWith(ids.covered, [
      { productId: ids.filter, quantityUsed: remaining + 2 },
    ]);
    const waiting = await awaitingApproval(workOrderId);
    expect(waiting.lines[0]).toMatchObject({ covered: remaining, nonWarranty: 2 });
    await decide(waiting.id, 'approve');
    const done = await confirmationReaches(stack.api, manager, waiting.id, ['confirmed', 'released']);
    const order = await request('GET', `/sales-orders/${String(done.orderId)}`, manager);
    expect(order.body).toMatchObject({
      lines: [{ productCode: 'FLT', quantity: 2, total: { amount: 2500 } }],
    });
    expect(await ledger(ids.partial, '2')).toMatchObject({ remaining: 0 });
  });

  it('covers everything under full coverage without counting anything', async () => {
    const workOrderId = await workOrderWith(ids.full, [
      { productId: ids.repair, quantityUsed: 3 },
      { productId: ids.filter, quantityUsed: 1 },
    ]);
    const waiting = await awaitingApproval(workOrderId);
    expect(waiting.lines.map((l) => l.coveredBy?.kind)).toEqual(['full', 'full']);
    await decide(waiting.id, 'approve');
    const done = await confirmationReaches(stack.api, manager, waiting.id, ['confirmed', 'released']);
    expect(done).toMatchObject({
      status: 'confirmed',
      totals: { billed: { amount: 0 }, warrantyValue: { amount: 3 * 8000 + 1250 } },
    });
    expect(done).not.toHaveProperty('orderId');
  });

  it('releases the redemptions when a service manager rejects, and the work order can be confirmed again', async () => {
    const before = await ledger();
    const workOrderId = await workOrderWith(ids.covered, [{ productId: ids.repair, quantityUsed: 1 }]);
    const waiting = await awaitingApproval(workOrderId);
    expect((await ledger()).remaining).toBe(before.remaining - 1);
    expect((await decide(waiting.id, 'approve', tech)).status).toBe(403);
    const rejected = await request('POST', `/consumption-confirmations/${waiting.id}/reject`, manager, {
      reason: 'Not done yet',
    });
    expect(rejected.status).toBe(200);
    const done = await confirmationReaches(stack.api, manager, waiting.id, ['released']);
    expect(done).toMatchObject({
      outcome: 'rejected',
      decision: { decision: 'rejected', by: 'manager', reason: 'Not done yet' },
    });
    expect(await ledger()).toMatchObject({
      remaining: before.remaining,
      redeemed: before.redeemed + 1,
      released: before.released + 1,
    });
    expect((await decide(waiting.id, 'approve')).status).toBe(409);
    const again = await startConfirmation(workOrderId);
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(waiting.id);
    await confirmationReaches(stack.api, manager, again.body.id, ['awaiting-approval']);
    await decide(again.body.id, 'reject');
    await confirmationReaches(stack.api, manager, again.body.id, ['released']);
  });

  it('releases the redemptions when nobody decides in time', async () => {
    const before = await ledger();
    const workOrderId = await workOrderWith(ids.covered, [{ productId: ids.repair, quantityUsed: 1 }]);
    const waiting = await awaitingApproval(workOrderId);
    stack.clock.moveTo(new Date(stack.clock.now().getTime() + 8 * 24 * 3600 * 1000));
    const done = await confirmationReaches(stack.api, manager, waiting.id, ['released']);
    expect(done).toMatchObject({ outcome: 'timed-out', failure: { error: 'States.Timeout' } });
    expect((await ledger()).remaining).toBe(before.remaining);
    expect(stack.machine.describe(waiting.id)).toMatchObject({ status: 'FAILED', error: 'ApprovalTimedOut' });
    expect((await decide(waiting.id, 'approve')).status).toBe(409);
  });

  it('releases the redemptions when the order cannot be made, and says why', async () => {
    const before = await ledger();
    const workOrderId = await workOrderWith(ids.covered, [
      { productId: ids.repair, quantityUsed: 1 },
      { productId: ids.swissPart, quantityUsed: 1 },
      { productId: ids.repair, quantityUsed: 5 },
    ]);
    const waiting = await awaitingApproval(workOrderId);
    await decide(waiting.id, 'approve');
    const done = await confirmationReaches(stack.api, manager, waiting.id, ['released', 'confirmed']);
    expect(done).toMatchObject({
      status: 'released',
      outcome: 'failed',
      failure: { error: 'ConsumptionRefused' },
    });
    expect(String((done.failure as { cause?: string }).cause)).toContain('one order has one currency');
    expect((await ledger()).remaining).toBe(before.remaining);
    expect(stack.machine.describe(waiting.id)).toMatchObject({
      status: 'FAILED',
      error: 'ConsumptionFailed',
    });
  });

  it('starts one flow for a repeated request, and one confirmation at a time per work order', async () => {
    const workOrderId = await workOrderWith(ids.uncovered, [{ productId: ids.repair, quantityUsed: 1 }]);
    const headers = { 'idempotency-key': 'confirm-once' };
    const [first, second] = await Promise.all([
      startConfirmation(workOrderId, tech, headers),
      startConfirmation(workOrderId, tech, headers),
    ]);
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    await confirmationReaches(stack.api, manager, first.body.id, ['awaiting-approval']);
    const other = await startConfirmation(workOrderId);
    expect(other.status).toBe(409);
    const locked = await request('POST', `/work-orders/${workOrderId}/service-products`, tech, {
      productId: ids.repair,
    });
    expect(locked.status).toBe(409);
    const listed = await request('GET', `/work-orders/${workOrderId}/consumption-confirmations`, tech);
    expect((listed.body.items as { id: string }[]).map((c) => c.id)).toEqual([first.body.id]);
    expect(stack.machine.executions().filter((e) => e.name === first.body.id)).toHaveLength(1);
    await decide(first.body.id, 'reject');
    await confirmationReaches(stack.api, manager, first.body.id, ['released']);
  });

  it('turns spare parts recorded on site into service products when the consumption is confirmed', async () => {
    const workOrderId = await workOrderWith(ids.uncovered, []);
    const refused = await request('POST', `/work-orders/${workOrderId}/spare-parts`, tech, {
      productId: ids.repair,
      quantity: 1,
    });
    expect(refused.status).toBe(409);
    const recorded = await request('POST', `/work-orders/${workOrderId}/spare-parts`, tech, {
      productId: ids.filter,
      quantity: 2,
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    const waiting = await awaitingApproval(workOrderId);
    expect(waiting.lines).toEqual([
      expect.objectContaining({
        serviceProductId: recorded.body.id,
        source: 'spare-part',
        quantityUsed: 2,
        unitPrice: { amount: 1250, currency: 'EUR' },
      }),
    ]);
    const parts = await request('GET', `/work-orders/${workOrderId}/spare-parts`, tech);
    expect(parts.body.items).toEqual([
      expect.objectContaining({ id: recorded.body.id, serviceProductId: recorded.body.id }),
    ]);
    await decide(waiting.id, 'reject');
    await confirmationReaches(stack.api, manager, waiting.id, ['released']);
  });

  it('refuses what cannot be confirmed, clearly', async () => {
    const empty = await workOrderWith(ids.uncovered, []);
    const nothing = await startConfirmation(empty);
    expect(nothing.status).toBe(409);
    expect(JSON.stringify(nothing.body)).toContain('no unconfirmed service products');
    const future = await request('POST', `/work-orders/${empty}/consumption-confirmations`, tech, {
      serviceDate: '2099-01-01',
    });
    expect(future.status).toBe(400);
    expect(JSON.stringify(future.body)).toContain('body.serviceDate');
    const tooMuch = await request('POST', `/work-orders/${empty}/service-products`, tech, {
      productId: ids.repair,
      quantityUsed: 1,
      quantityToBill: 2,
    });
    expect(tooMuch.status).toBe(400);
    expect(JSON.stringify(tooMuch.body)).toContain('quantityToBill');
    const unknown = await request('POST', `/work-orders/${empty}/service-products`, tech, {
      productId: 'no-such-product',
    });
    expect(unknown.status).toBe(400);
    const stranger = await request(
      'GET',
      `/work-orders/${empty}/service-products`,
      stack.api.token(TENANT, 'nobody', 'service-staff'),
    );
    expect(stranger.status).toBe(404);
  });
});
