import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceProduct } from '../../functions/domain/consumption/service-product';
import { ConsumptionWorld, coveredCustomers } from '../helpers/consumption-world';

let w: ConsumptionWorld;
let ids: Awaited<ReturnType<typeof coveredCustomers>>;

beforeAll(async () => {
  w = await ConsumptionWorld.start('cb', new Date('2031-03-10T09:00:00Z'));
  ids = await coveredCustomers(w);
});
afterAll(async () => {
  await w?.close();
});

describe('consumption then billing, every branch of the flow', () => {
  it('covers warranty work at price 0 and bills nothing for it', async () => {
    const before = await w.ledger(ids.partial, '1');
    const workOrderId = await w.workOrderWith(ids.covered, [{ productId: ids.repair, quantityUsed: 1 }]);
    const waiting = await w.awaitingApproval(workOrderId);
    expect(waiting.lines[0]).toMatchObject({
      covered: 1,
      nonWarranty: 0,
      coveredBy: { agreementId: ids.partial, lineId: '1', kind: 'counted-line' },
    });
    expect(waiting).not.toHaveProperty('taskToken');
    expect((await w.ledger(ids.partial, '1')).remaining).toBe(before.remaining - 1);

    expect((await w.decide(waiting.id, 'approve')).status).toBe(200);
    const done = await w.reaches(waiting.id, ['confirmed', 'released']);
    expect(done).toMatchObject({
      status: 'confirmed',
      outcome: 'confirmed',
      totals: { billed: { amount: 0 }, warrantyValue: { amount: 8000 } },
    });
    expect(done).not.toHaveProperty('orderId');
    const products = await w.request('GET', `/work-orders/${workOrderId}/service-products`, w.tech);
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
    const events = await w.outboxEvents();
    expect(
      events.filter((e) => e.type === 'ConsumptionConfirmed' && e.detail.id === waiting.id),
    ).toHaveLength(1);
    expect(
      events.filter((e) => e.type === 'BillingOrderCreated' && e.detail.confirmationId === waiting.id),
    ).toHaveLength(0);
    const timeline = await w.request('GET', `/work-orders/${workOrderId}/records?limit=100`, w.tech);
    const consumption = (timeline.body.items as { kind: string }[]).filter((r) => r.kind === 'consumption');
    expect(consumption.length).toBeGreaterThanOrEqual(6);
  });

  it('prices non-warranty work and makes it an order with a payment QR, once however often it is approved', async () => {
    const workOrderId = await w.workOrderWith(ids.uncovered, [
      { productId: ids.repair, quantityUsed: 2 },
      { productId: ids.filter, quantityUsed: 3, quantityToBill: 2 },
    ]);
    const waiting = await w.awaitingApproval(workOrderId);
    expect(waiting.lines.map((l) => [l.covered, l.nonWarranty])).toEqual([
      [0, 2],
      [0, 3],
    ]);
    const [first, second] = await Promise.all([
      w.decide(waiting.id, 'approve'),
      w.decide(waiting.id, 'approve'),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 200]);
    const done = await w.reaches(waiting.id, ['confirmed', 'released']);
    expect(done.status).toBe('confirmed');
    const order = await w.request('GET', `/sales-orders/${String(done.orderId)}`, w.manager);
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
    expect((await w.decide(waiting.id, 'approve')).status).toBe(200);
    expect((await w.decide(waiting.id, 'reject')).status).toBe(409);
    const events = await w.outboxEvents();
    expect(
      events.filter((e) => e.type === 'BillingOrderCreated' && e.detail.confirmationId === waiting.id),
    ).toHaveLength(1);
    const orders = await w.request('GET', '/sales-orders?limit=100', w.admin);
    expect(
      (orders.body.items as { billing?: { confirmationId: string } }[]).filter(
        (o) => o.billing?.confirmationId === waiting.id,
      ),
    ).toHaveLength(1);
  });

  it('splits a line the agreement covers only in part', async () => {
    const remaining = (await w.ledger(ids.partial, '2')).remaining;
    const workOrderId = await w.workOrderWith(ids.covered, [
      { productId: ids.filter, quantityUsed: remaining + 2 },
    ]);
    const waiting = await w.awaitingApproval(workOrderId);
    expect(waiting.lines[0]).toMatchObject({ covered: remaining, nonWarranty: 2 });
    await w.decide(waiting.id, 'approve');
    const done = await w.reaches(waiting.id, ['confirmed', 'released']);
    const order = await w.request('GET', `/sales-orders/${String(done.orderId)}`, w.manager);
    expect(order.body).toMatchObject({
      lines: [{ productCode: 'FLT', quantity: 2, total: { amount: 2500 } }],
    });
    expect(await w.ledger(ids.partial, '2')).toMatchObject({ remaining: 0 });
  });

  it('covers everything under full coverage without counting anything', async () => {
    const workOrderId = await w.workOrderWith(ids.full, [
      { productId: ids.repair, quantityUsed: 3 },
      { productId: ids.filter, quantityUsed: 1 },
    ]);
    const waiting = await w.awaitingApproval(workOrderId);
    expect(waiting.lines.map((l) => l.coveredBy?.kind)).toEqual(['full', 'full']);
    await w.decide(waiting.id, 'approve');
    const done = await w.reaches(waiting.id, ['confirmed', 'released']);
    expect(done).toMatchObject({
      status: 'confirmed',
      totals: { billed: { amount: 0 }, warrantyValue: { amount: 3 * 8000 + 1250 } },
    });
    expect(done).not.toHaveProperty('orderId');
  });

  it('releases the redemptions when a service w.manager rejects, and the work order can be confirmed again', async () => {
    const before = await w.ledger(ids.partial, '1');
    const workOrderId = await w.workOrderWith(ids.covered, [{ productId: ids.repair, quantityUsed: 1 }]);
    const waiting = await w.awaitingApproval(workOrderId);
    expect((await w.ledger(ids.partial, '1')).remaining).toBe(before.remaining - 1);
    expect((await w.decide(waiting.id, 'approve', w.tech)).status).toBe(403);
    const rejected = await w.request('POST', `/consumption-confirmations/${waiting.id}/reject`, w.manager, {
      reason: 'Not done yet',
    });
    expect(rejected.status).toBe(200);
    const done = await w.reaches(waiting.id, ['released']);
    expect(done).toMatchObject({
      outcome: 'rejected',
      decision: { decision: 'rejected', by: 'manager', reason: 'Not done yet' },
    });
    expect(await w.ledger(ids.partial, '1')).toMatchObject({
      remaining: before.remaining,
      redeemed: before.redeemed + 1,
      released: before.released + 1,
    });
    expect((await w.decide(waiting.id, 'approve')).status).toBe(409);
    const again = await w.startConfirmation(workOrderId);
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(waiting.id);
    await w.reaches(again.body.id, ['awaiting-approval']);
    await w.decide(again.body.id, 'reject');
    await w.reaches(again.body.id, ['released']);
  });

  it('releases the redemptions when nobody decides in time', async () => {
    const before = await w.ledger(ids.partial, '1');
    const workOrderId = await w.workOrderWith(ids.covered, [{ productId: ids.repair, quantityUsed: 1 }]);
    const waiting = await w.awaitingApproval(workOrderId);
    w.stack.clock.moveTo(new Date(w.stack.clock.now().getTime() + 8 * 24 * 3600 * 1000));
    const done = await w.reaches(waiting.id, ['released']);
    expect(done).toMatchObject({ outcome: 'timed-out', failure: { error: 'States.Timeout' } });
    expect((await w.ledger(ids.partial, '1')).remaining).toBe(before.remaining);
    expect(w.stack.machine.describe(waiting.id)).toMatchObject({
      status: 'FAILED',
      error: 'ApprovalTimedOut',
    });
    expect((await w.decide(waiting.id, 'approve')).status).toBe(409);
  });

  it('releases the redemptions when the order cannot be made, and says why', async () => {
    const before = await w.ledger(ids.partial, '1');
    const workOrderId = await w.workOrderWith(ids.covered, [
      { productId: ids.repair, quantityUsed: 1 },
      { productId: ids.swissPart, quantityUsed: 1 },
      { productId: ids.repair, quantityUsed: 5 },
    ]);
    const waiting = await w.awaitingApproval(workOrderId);
    await w.decide(waiting.id, 'approve');
    const done = await w.reaches(waiting.id, ['released', 'confirmed']);
    expect(done).toMatchObject({
      status: 'released',
      outcome: 'failed',
      failure: { error: 'ConsumptionRefused' },
    });
    expect(String((done.failure as { cause?: string }).cause)).toContain('one order has one currency');
    expect((await w.ledger(ids.partial, '1')).remaining).toBe(before.remaining);
    expect(w.stack.machine.describe(waiting.id)).toMatchObject({
      status: 'FAILED',
      error: 'ConsumptionFailed',
    });
  });
});
