import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumptionConfirmation } from '../../functions/domain/consumption/confirmation';
import { createAgreementProductsHandler } from '../../functions/handlers/events/agreement-products';
import { asEventBridgeEvent } from '../../local/mail/work-order-actions';
import {
  type ConsumptionStack,
  confirmationReaches,
  quiet,
  startConsumptionStack,
  userPrincipal,
} from '../helpers/consumption';

const TENANT = 'cc';
let stack: ConsumptionStack;
let admin: string;
let tech: string;
let manager: string;
let accountId = '';
let deviceId = '';
let repair = '';
let filter = '';
let agreementId = '';

type Body = Record<string, unknown> & { id: string; version: number; status: string };
const request = async (method: string, path: string, token: string, body?: unknown) =>
  stack.api.request<Body>(method, path, { token, ...(body === undefined ? {} : { body }) });

async function ledgerOf(lineId: string) {
  const { body } = await request('GET', `/service-agreements/${agreementId}/lines/${lineId}/ledger`, admin);
  return body as unknown as {
    quantity: number;
    redeemed: number;
    released: number;
    remaining: number;
    entries: { kind: string; quantity: number; confirmationId: string }[];
  };
}

/** remaining = quantity − redeemed + released, never below zero, and the entries add up to the counts. */
async function expectLedgerHolds(lineId: string) {
  const ledger = await ledgerOf(lineId);
  expect(ledger.remaining).toBe(ledger.quantity - ledger.redeemed + ledger.released);
  expect(ledger.remaining).toBeGreaterThanOrEqual(0);
  const sum = (kind: string) =>
    ledger.entries.filter((e) => e.kind === kind).reduce((total, e) => total + e.quantity, 0);
  expect(sum('redemption')).toBe(ledger.redeemed);
  expect(sum('release')).toBe(ledger.released);
  const audit = await stack.api.app.agreements.ledgerAudit.check(TENANT);
  expect(audit.discrepancies).toEqual([]);
  return ledger;
}

async function workOrderWith(products: { productId: string; quantityUsed: number }[], extra = {}) {
  const created = await request('POST', '/work-orders', admin, {
    title: 'Inspection',
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

beforeAll(async () => {
  stack = await startConsumptionStack();
  stack.clock.moveTo(new Date('2032-02-01T09:00:00Z'));
  await stack.api.createTenant(TENANT);
  const root = userPrincipal(TENANT, 'admin', 'crm-admin');
  const users = stack.api.app.masterData.users;
  await users.create(root, {
    id: 'manager',
    name: 'Mia',
    email: 'mia@cc.example',
    roles: ['service-manager', 'service-staff'],
  });
  await users.create(root, {
    id: 'tech',
    name: 'Tom',
    email: 'tom@cc.example',
    roles: ['service-staff'],
    superiorId: 'manager',
  });
  admin = stack.api.token(TENANT, 'admin', 'crm-admin');
  tech = stack.api.token(TENANT, 'tech', 'service-staff');
  manager = stack.api.token(TENANT, 'manager', 'service-manager', 'service-staff');
  accountId = (await request('POST', '/accounts', admin, { name: 'Busy Hotel' })).body.id;
  deviceId = (await request('POST', '/devices', admin, { name: 'Chiller', serialNumber: 'CH-1', accountId }))
    .body.id;
  const product = async (code: string, body: Record<string, unknown>) =>
    (await request('POST', '/products', admin, { code, price: { amount: 6000, currency: 'EUR' }, ...body }))
      .body.id;
  repair = await product('REP', { name: 'Repair', kind: 'service', serviceType: 'non-recurring' });
  filter = await product('FLT', {
    name: 'Filter',
    kind: 'spare-part',
    price: { amount: 700, currency: 'EUR' },
  });
  const created = await request('POST', '/service-agreements', admin, {
    name: 'Chiller care',
    subject: 'device',
    accountId,
    deviceId,
    startDate: '2032-01-01',
    endDate: '2032-03-31',
    coverage: 'partial',
    lines: [
      { productId: repair, quantity: 10 },
      { productId: filter, quantity: 5, autoCreate: false },
    ],
  });
  agreementId = created.body.id;
  expect(
    (await request('POST', `/service-agreements/${agreementId}/activate`, admin, { version: 1 })).status,
  ).toBe(200);
});
afterAll(async () => {
  await stack?.close();
});

describe('consumption confirmations at once', () => {
  it('redeem a line of 10 exactly 10 times out of 50, the rest non-warranty; 20 rejections release exactly what they redeemed', async () => {
    const workOrders = await Promise.all(
      Array.from({ length: 50 }, () => workOrderWith([{ productId: repair, quantityUsed: 1 }], { deviceId })),
    );
    const started = await Promise.all(
      workOrders.map((id) => request('POST', `/work-orders/${id}/consumption-confirmations`, tech, {})),
    );
    expect(started.map((s) => s.status)).toEqual(workOrders.map(() => 202));
    const waiting = (await Promise.all(
      started.map((s) => confirmationReaches(stack.api, manager, s.body.id, ['awaiting-approval'], 60_000)),
    )) as unknown as ConsumptionConfirmation[];
    const covered = waiting.filter((c) => c.lines[0]?.covered === 1);
    const priced = waiting.filter((c) => c.lines[0]?.covered === 0 && c.lines[0]?.nonWarranty === 1);
    expect(covered).toHaveLength(10);
    expect(priced).toHaveLength(40);
    expect(await expectLedgerHolds('1')).toMatchObject({ redeemed: 10, released: 0, remaining: 0 });

    // 20 rejections at once, half of them of confirmations that redeemed.
    const rejected = [...covered.slice(0, 10), ...priced.slice(0, 10)];
    const answers = await Promise.all(
      rejected.map((c) => request('POST', `/consumption-confirmations/${c.id}/reject`, manager, {})),
    );
    expect(answers.map((a) => a.status)).toEqual(rejected.map(() => 200));
    await Promise.all(
      rejected.map((c) => confirmationReaches(stack.api, manager, c.id, ['released'], 60_000)),
    );
    expect(await expectLedgerHolds('1')).toMatchObject({ redeemed: 10, released: 10, remaining: 10 });

    // The rest are approved: the priced ones are billed, and the line stays as the rejections left it.
    const approved = waiting.filter((c) => !rejected.includes(c));
    await Promise.all(
      approved.map((c) => request('POST', `/consumption-confirmations/${c.id}/approve`, manager, {})),
    );
    const done = await Promise.all(
      approved.map((c) => confirmationReaches(stack.api, manager, c.id, ['confirmed'], 60_000)),
    );
    expect(done.filter((c) => c.orderId !== undefined)).toHaveLength(30);
    expect(await expectLedgerHolds('1')).toMatchObject({ remaining: 10 });
  }, 180_000);

  it('prices the work non-warranty when the agreement ended between the work order and its confirmation', async () => {
    const workOrderId = await workOrderWith([{ productId: repair, quantityUsed: 1 }], { deviceId });
    const before = await ledgerOf('1');
    // The agreement's last day passes and its expiry schedule fires.
    stack.clock.moveTo(new Date('2032-04-01T00:30:00Z'));
    await stack.scheduler.advanceTo(stack.clock.now());
    const agreement = await request('GET', `/service-agreements/${agreementId}`, admin);
    expect(agreement.body.status).toBe('non-warranty');

    const started = await request('POST', `/work-orders/${workOrderId}/consumption-confirmations`, tech, {});
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const waiting = await confirmationReaches(stack.api, manager, started.body.id, ['awaiting-approval']);
    expect((waiting.lines as ConsumptionConfirmation['lines'])[0]).toMatchObject({
      covered: 0,
      nonWarranty: 1,
    });
    expect(waiting).not.toHaveProperty('agreementId');
    expect((await ledgerOf('1')).remaining).toBe(before.remaining);
    await request('POST', `/consumption-confirmations/${started.body.id}/approve`, manager, {});
    const done = await confirmationReaches(stack.api, manager, started.body.id, ['confirmed']);
    expect(done.totals).toMatchObject({ billed: { amount: 6000 } });
  });
});

describe("a new work order's agreement products", () => {
  it('are the auto-create lines of the agreement covering its device, added once however often its creation is announced', async () => {
    // A fresh device agreement, as the one above has ended.
    const created = await request('POST', '/service-agreements', admin, {
      name: 'Chiller care, second term',
      subject: 'device',
      accountId,
      deviceId,
      startDate: '2032-04-01',
      endDate: '2033-03-31',
      coverage: 'partial',
      lines: [
        { productId: repair, quantity: 4 },
        { productId: filter, quantity: 2, autoCreate: false },
      ],
    });
    await request('POST', `/service-agreements/${created.body.id}/activate`, admin, { version: 1 });
    const workOrderId = await workOrderWith([], { deviceId });
    const handler = createAgreementProductsHandler(stack.api.app.consumption.consumption, quiet);
    const event = {
      id: 'evt-1',
      type: 'WorkOrderCreated',
      source: 'fieldservice.work-orders' as const,
      tenantId: TENANT,
      occurredAt: stack.clock.now().toISOString(),
      detail: { id: workOrderId },
    };
    const results = await Promise.all([
      handler(asEventBridgeEvent(event)),
      handler(asEventBridgeEvent(event)),
    ]);
    expect(results.map((r) => r.added).sort()).toEqual([0, 1]);
    await handler(asEventBridgeEvent(event));
    const products = await request('GET', `/work-orders/${workOrderId}/service-products`, tech);
    expect(products.body.items).toEqual([
      expect.objectContaining({
        productId: repair,
        quantityUsed: 1,
        source: 'agreement',
        agreementLine: { agreementId: created.body.id, lineId: '1' },
      }),
    ]);

    const unrelated = (await request('POST', '/accounts', admin, { name: 'No agreement' })).body.id;
    const plain = await request('POST', '/work-orders', admin, { title: 'Plain', accountId: unrelated });
    const none = await handler(asEventBridgeEvent({ ...event, id: 'evt-2', detail: { id: plain.body.id } }));
    expect(none).toMatchObject({ added: 0 });
  });
});
