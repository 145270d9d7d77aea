import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsumptionWorld, coveredCustomers } from '../helpers/consumption-world';

let w: ConsumptionWorld;
let ids: Awaited<ReturnType<typeof coveredCustomers>>;

beforeAll(async () => {
  w = await ConsumptionWorld.start('cr', new Date('2031-03-10T09:00:00Z'));
  ids = await coveredCustomers(w);
});
afterAll(async () => {
  await w?.close();
});

describe('consumption confirmations as requests: repeated, refused, paid', () => {
  it("is paid by the order's payment QR, made from the tenant's payment settings", async () => {
    const workOrderId = await w.workOrderWith(ids.uncovered, [{ productId: ids.filter, quantityUsed: 2 }]);
    const waiting = await w.awaitingApproval(workOrderId);
    await w.decide(waiting.id, 'approve');
    const done = await w.reaches(waiting.id, ['confirmed', 'released']);
    const path = `/sales-orders/${String(done.orderId)}/payment-qr`;
    expect((await w.request('GET', path, w.manager)).status).toBe(409);

    const tenant = await w.request('GET', '/tenant', w.admin);
    const settings = {
      payment: {
        kind: 'sepa-credit-transfer',
        iban: 'DE89 3704 0044 0532 0130 00',
        beneficiary: 'Covered Service',
      },
    };
    const patched = await w.request('PATCH', '/tenant', w.admin, { settings, version: tenant.body.version });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const svg = await fetch(`${w.api.url}${path}`, { headers: { authorization: `Bearer ${w.manager}` } });
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg /);
    const png = await fetch(`${w.api.url}${path}?format=png`, {
      headers: { authorization: `Bearer ${w.manager}` },
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
    expect((await w.request('GET', `${path}?format=gif`, w.manager)).status).toBe(400);
  });

  it('starts one flow for a repeated request, and one confirmation at a time per work order', async () => {
    const workOrderId = await w.workOrderWith(ids.uncovered, [{ productId: ids.repair, quantityUsed: 1 }]);
    const headers = { 'idempotency-key': 'confirm-once' };
    const [first, second] = await Promise.all([
      w.startConfirmation(workOrderId, w.tech, headers),
      w.startConfirmation(workOrderId, w.tech, headers),
    ]);
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    await w.reaches(first.body.id, ['awaiting-approval']);
    const other = await w.startConfirmation(workOrderId);
    expect(other.status).toBe(409);
    const locked = await w.request('POST', `/work-orders/${workOrderId}/service-products`, w.tech, {
      productId: ids.repair,
    });
    expect(locked.status).toBe(409);
    const listed = await w.request('GET', `/work-orders/${workOrderId}/consumption-confirmations`, w.tech);
    expect((listed.body.items as { id: string }[]).map((c) => c.id)).toEqual([first.body.id]);
    expect(w.stack.machine.executions().filter((e) => e.name === first.body.id)).toHaveLength(1);
    await w.decide(first.body.id, 'reject');
    await w.reaches(first.body.id, ['released']);
  });

  it('turns spare parts recorded on site into service products when the consumption is confirmed', async () => {
    const workOrderId = await w.workOrderWith(ids.uncovered, []);
    const refused = await w.request('POST', `/work-orders/${workOrderId}/spare-parts`, w.tech, {
      productId: ids.repair,
      quantity: 1,
    });
    expect(refused.status).toBe(409);
    const recorded = await w.request('POST', `/work-orders/${workOrderId}/spare-parts`, w.tech, {
      productId: ids.filter,
      quantity: 2,
    });
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
    const waiting = await w.awaitingApproval(workOrderId);
    expect(waiting.lines).toEqual([
      expect.objectContaining({
        serviceProductId: recorded.body.id,
        source: 'spare-part',
        quantityUsed: 2,
        unitPrice: { amount: 1250, currency: 'EUR' },
      }),
    ]);
    const parts = await w.request('GET', `/work-orders/${workOrderId}/spare-parts`, w.tech);
    expect(parts.body.items).toEqual([
      expect.objectContaining({ id: recorded.body.id, serviceProductId: recorded.body.id }),
    ]);
    await w.decide(waiting.id, 'reject');
    await w.reaches(waiting.id, ['released']);
  });

  it('refuses what cannot be confirmed, clearly', async () => {
    const empty = await w.workOrderWith(ids.uncovered, []);
    const nothing = await w.startConfirmation(empty);
    expect(nothing.status).toBe(409);
    expect(JSON.stringify(nothing.body)).toContain('no unconfirmed service products');
    const future = await w.request('POST', `/work-orders/${empty}/consumption-confirmations`, w.tech, {
      serviceDate: '2099-01-01',
    });
    expect(future.status).toBe(400);
    expect(JSON.stringify(future.body)).toContain('body.serviceDate');
    const tooMuch = await w.request('POST', `/work-orders/${empty}/service-products`, w.tech, {
      productId: ids.repair,
      quantityUsed: 1,
      quantityToBill: 2,
    });
    expect(tooMuch.status).toBe(400);
    expect(JSON.stringify(tooMuch.body)).toContain('quantityToBill');
    const unknown = await w.request('POST', `/work-orders/${empty}/service-products`, w.tech, {
      productId: 'no-such-product',
    });
    expect(unknown.status).toBe(400);
    const stranger = await w.request(
      'GET',
      `/work-orders/${empty}/service-products`,
      w.api.token(w.tenantId, 'nobody', 'service-staff'),
    );
    expect(stranger.status).toBe(404);
  });
});
