import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumptionConfirmation } from '../../functions/domain/consumption/confirmation';
import { createAgreementProductsHandler } from '../../functions/handlers/events/agreement-products';
import { asEventBridgeEvent } from '../../local/mail/work-order-actions';
import { quiet } from '../helpers/consumption';
import { ConsumptionWorld } from '../helpers/consumption-world';

const TENANT = 'cc';
let w: ConsumptionWorld;
let accountId = '';
let deviceId = '';
let repair = '';
let filter = '';
let agreementId = '';

/** remaining = quantity − redeemed + released, never below zero, and the entries add up to the counts. */
async function expectLedgerHolds(lineId: string) {
  const ledger = await w.ledger(agreementId, lineId);
  expect(ledger.remaining).toBe(ledger.quantity - ledger.redeemed + ledger.released);
  expect(ledger.remaining).toBeGreaterThanOrEqual(0);
  const sum = (kind: string) =>
    ledger.entries.filter((e) => e.kind === kind).reduce((total, e) => total + e.quantity, 0);
  expect(sum('redemption')).toBe(ledger.redeemed);
  expect(sum('release')).toBe(ledger.released);
  const audit = await w.api.app.agreements.ledgerAudit.check(TENANT);
  expect(audit.discrepancies).toEqual([]);
  return ledger;
}

beforeAll(async () => {
  w = await ConsumptionWorld.start(TENANT, new Date('2032-02-01T09:00:00Z'));
  accountId = await w.account('Busy Hotel');
  deviceId = (
    await w.request('POST', '/devices', w.admin, { name: 'Chiller', serialNumber: 'CH-1', accountId })
  ).body.id;
  repair = await w.product('REP', {
    name: 'Repair',
    kind: 'service',
    serviceType: 'non-recurring',
    price: { amount: 6000, currency: 'EUR' },
  });
  filter = await w.product('FLT', {
    name: 'Filter',
    kind: 'spare-part',
    price: { amount: 700, currency: 'EUR' },
  });
  agreementId = await w.activeAgreement({
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
});
afterAll(async () => {
  await w?.close();
});

describe('consumption confirmations at once', () => {
  it('redeem a line of 10 exactly 10 times out of 50, the rest non-warranty; 20 rejections release exactly what they redeemed', async () => {
    const workOrders = await Promise.all(
      Array.from({ length: 50 }, () =>
        w.workOrderWith(accountId, [{ productId: repair, quantityUsed: 1 }], { deviceId }),
      ),
    );
    const started = await Promise.all(
      workOrders.map((id) => w.request('POST', `/work-orders/${id}/consumption-confirmations`, w.tech, {})),
    );
    expect(started.map((s) => s.status)).toEqual(workOrders.map(() => 202));
    const waiting = (await Promise.all(
      started.map((s) => w.reaches(s.body.id, ['awaiting-approval'], 60_000)),
    )) as unknown as ConsumptionConfirmation[];
    const covered = waiting.filter((c) => c.lines[0]?.covered === 1);
    const priced = waiting.filter((c) => c.lines[0]?.covered === 0 && c.lines[0]?.nonWarranty === 1);
    expect(covered).toHaveLength(10);
    expect(priced).toHaveLength(40);
    expect(await expectLedgerHolds('1')).toMatchObject({ redeemed: 10, released: 0, remaining: 0 });

    // 20 rejections at once, half of them of confirmations that redeemed.
    const rejected = [...covered.slice(0, 10), ...priced.slice(0, 10)];
    const answers = await Promise.all(
      rejected.map((c) => w.request('POST', `/consumption-confirmations/${c.id}/reject`, w.manager, {})),
    );
    expect(answers.map((a) => a.status)).toEqual(rejected.map(() => 200));
    await Promise.all(rejected.map((c) => w.reaches(c.id, ['released'], 60_000)));
    expect(await expectLedgerHolds('1')).toMatchObject({ redeemed: 10, released: 10, remaining: 10 });

    // The rest are approved: the priced ones are billed, and the line stays as the rejections left it.
    const approved = waiting.filter((c) => !rejected.includes(c));
    await Promise.all(
      approved.map((c) => w.request('POST', `/consumption-confirmations/${c.id}/approve`, w.manager, {})),
    );
    const done = await Promise.all(approved.map((c) => w.reaches(c.id, ['confirmed'], 60_000)));
    expect(done.filter((c) => c.orderId !== undefined)).toHaveLength(30);
    expect(await expectLedgerHolds('1')).toMatchObject({ remaining: 10 });
  }, 180_000);

  it('prices the work non-warranty when the agreement ended between the work order and its confirmation', async () => {
    const workOrderId = await w.workOrderWith(accountId, [{ productId: repair, quantityUsed: 1 }], {
      deviceId,
    });
    const before = await w.ledger(agreementId, '1');
    // The agreement's last day passes and its expiry schedule fires.
    w.stack.clock.moveTo(new Date('2032-04-01T00:30:00Z'));
    await w.stack.scheduler.advanceTo(w.stack.clock.now());
    const agreement = await w.request('GET', `/service-agreements/${agreementId}`, w.admin);
    expect(agreement.body.status).toBe('non-warranty');

    const started = await w.request(
      'POST',
      `/work-orders/${workOrderId}/consumption-confirmations`,
      w.tech,
      {},
    );
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const waiting = await w.reaches(started.body.id, ['awaiting-approval']);
    expect((waiting.lines as ConsumptionConfirmation['lines'])[0]).toMatchObject({
      covered: 0,
      nonWarranty: 1,
    });
    expect(waiting).not.toHaveProperty('agreementId');
    expect((await w.ledger(agreementId, '1')).remaining).toBe(before.remaining);
    await w.request('POST', `/consumption-confirmations/${started.body.id}/approve`, w.manager, {});
    const done = await w.reaches(started.body.id, ['confirmed']);
    expect(done.totals).toMatchObject({ billed: { amount: 6000 } });
  });
});

describe("a new work order's agreement products", () => {
  it('are the auto-create lines of the agreement covering its device, added once however often its creation is announced', async () => {
    // A fresh device agreement, as the one above has ended.
    const created = await w.request('POST', '/service-agreements', w.admin, {
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
    await w.request('POST', `/service-agreements/${created.body.id}/activate`, w.admin, { version: 1 });
    const workOrderId = await w.workOrderWith(accountId, [], { deviceId });
    const handler = createAgreementProductsHandler(w.api.app.consumption.agreementProducts, quiet);
    const event = {
      id: 'evt-1',
      type: 'WorkOrderCreated',
      source: 'fieldservice.work-orders' as const,
      tenantId: TENANT,
      occurredAt: w.stack.clock.now().toISOString(),
      detail: { id: workOrderId },
    };
    const results = await Promise.all([
      handler(asEventBridgeEvent(event)),
      handler(asEventBridgeEvent(event)),
    ]);
    expect(results.map((r) => r.added).sort()).toEqual([0, 1]);
    await handler(asEventBridgeEvent(event));
    const products = await w.request('GET', `/work-orders/${workOrderId}/service-products`, w.tech);
    expect(products.body.items).toEqual([
      expect.objectContaining({
        productId: repair,
        quantityUsed: 1,
        source: 'agreement',
        agreementLine: { agreementId: created.body.id, lineId: '1' },
      }),
    ]);

    const unrelated = (await w.request('POST', '/accounts', w.admin, { name: 'No agreement' })).body.id;
    const plain = await w.request('POST', '/work-orders', w.admin, { title: 'Plain', accountId: unrelated });
    const none = await handler(asEventBridgeEvent({ ...event, id: 'evt-2', detail: { id: plain.body.id } }));
    expect(none).toMatchObject({ added: 0 });
  });
});
