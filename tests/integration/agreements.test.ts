import { execFile } from 'node:child_process';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import type { DomainEvent } from '../../functions/domain/shared/events';
import { createAgreementGenerator } from '../../functions/handlers/events/agreement-generator';
import { createAgreementExpiryHandler } from '../../functions/handlers/schedules/agreement-expiry';
import { createLogger } from '../../functions/shared/logger';
import { asEventBridgeEvent } from '../../local/mail/work-order-actions';
import {
  LocalAgreementExpiryScheduler,
  LocalScheduler,
  MovableClock,
} from '../../local/scheduler/local-scheduler';
import { startTestApi, type TestApi } from '../helpers/api';

const quiet = createLogger({}, () => undefined);
let api: TestApi;
let admin: string;
let manager: string;
const clock = new MovableClock();
const scheduler = new LocalScheduler({ clock });
let accountId = '';
let otherAccountId = '';
let deviceId = '';
const products: Record<'inspection' | 'repair' | 'filter', string> = {
  inspection: '',
  repair: '',
  filter: '',
};

type Body = Record<string, unknown> & { id: string; version: number };
const post = async (path: string, body?: unknown, token = admin) =>
  api.request<Body>('POST', path, { token, ...(body === undefined ? {} : { body }) });
const get = async (path: string, token = admin) => api.request<Body>('GET', path, { token });

async function outboxEvents(tenantId: string) {
  const { Items = [] } = await api.table.client.send(
    new QueryCommand({
      TableName: api.table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.outboxEvent(tenantId, 'x').pk },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => item.event as { type: string; detail: Record<string, unknown> });
}

const product = async (code: string, body: Record<string, unknown>) =>
  (await post('/products', { code, price: { amount: 5000, currency: 'EUR' }, ...body })).body.id;

beforeAll(async () => {
  api = await startTestApi({ clock, agreementExpiry: new LocalAgreementExpiryScheduler(scheduler) });
  scheduler.target('agreement-expiry', createAgreementExpiryHandler(api.app.agreements.agreements, quiet));
  clock.moveTo(new Date('2030-03-01T10:00:00Z'));
  await api.createTenant('agr');
  await api.createTenant('other');
  admin = api.token('agr', 'admin', 'crm-admin');
  manager = api.token('agr', 'manager', 'service-manager');
  accountId = (await post('/accounts', { name: 'Heating Ltd', address: { country: 'AT' } })).body.id;
  otherAccountId = (await post('/accounts', { name: 'Someone else' })).body.id;
  deviceId = (await post('/devices', { name: 'Boiler', serialNumber: 'B-1', accountId })).body.id;
  products.inspection = await product('INSP', {
    name: 'Quarterly inspection',
    kind: 'service',
    serviceType: 'recurring',
  });
  products.repair = await product('REP', {
    name: 'Repair visit',
    kind: 'service',
    serviceType: 'non-recurring',
  });
  products.filter = await product('FLT', {
    name: 'Filter',
    kind: 'spare-part',
    price: { amount: 1250, currency: 'EUR' },
  });
});
afterAll(async () => {
  await scheduler.stop();
  await api?.close();
});

describe('sales orders', () => {
  it('are priced from the catalog, recurring lines for all their periods, and announced', async () => {
    const order = await post('/sales-orders', {
      accountId,
      deviceId,
      orderDate: '2030-02-15',
      lines: [
        { productId: products.inspection, quantity: 1, period: 'quarterly', periods: 4 },
        { productId: products.filter, quantity: 3 },
      ],
    });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({
      origin: 'sales',
      lines: [
        { id: '1', productCode: 'INSP', period: 'quarterly', periods: 4, total: { amount: 20000 } },
        { id: '2', productCode: 'FLT', quantity: 3, total: { amount: 3750, currency: 'EUR' } },
      ],
      total: { amount: 23750, currency: 'EUR' },
    });
    expect((await get(`/sales-orders/${order.body.id}`)).body).toEqual(order.body);
    const events = await outboxEvents('agr');
    expect(
      events.filter((e) => e.type === 'SalesOrderCreated' && e.detail.id === order.body.id),
    ).toHaveLength(1);
  });

  it('refuses what cannot be ordered, naming each line, and stores nothing', async () => {
    const before = (await get('/sales-orders?limit=100')).body.items as unknown[];
    const refused = await post('/sales-orders', {
      accountId,
      deviceId,
      orderDate: '2030-02-15',
      lines: [
        { productId: products.inspection, quantity: 1 },
        { productId: products.repair, quantity: 1, period: 'yearly', periods: 2 },
        { productId: 'no-such-product', quantity: 1 },
      ],
    });
    expect(refused.status).toBe(400);
    const fields = (refused.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(['body.lines.0.period', 'body.lines.1.period', 'body.lines.2.productId']);
    const wrongDevice = await post('/sales-orders', {
      accountId: otherAccountId,
      deviceId,
      orderDate: '2030-02-15',
      lines: [{ productId: products.filter, quantity: 1 }],
    });
    expect(wrongDevice.status).toBe(400);
    expect(wrongDevice.body.errors).toEqual([
      { field: 'body.deviceId', message: `Device ${deviceId} is not the account's` },
    ]);
    expect((await get('/sales-orders?limit=100')).body.items).toHaveLength(before.length);
  });
});

describe('agreements generated from sales orders by the rules', () => {
  let servicesRule = '';
  let partsRule = '';

  beforeAll(async () => {
    servicesRule = (
      await post('/agreement-rules', {
        name: 'Service contract',
        subject: 'device',
        coverage: 'partial',
        conditions: { productKinds: ['service'], accountCountries: ['AT', 'DE'] },
      })
    ).body.id;
    partsRule = (
      await post('/agreement-rules', {
        name: 'Spare parts',
        subject: 'account',
        coverage: 'partial',
        autoCreate: false,
        termMonths: 24,
      })
    ).body.id;
  });

  const order = (lines: unknown[], extra: Record<string, unknown> = {}) =>
    post('/sales-orders', { accountId, deviceId, orderDate: '2030-01-31', lines, ...extra });

  it('makes one agreement per rule from the lines each takes first, once however often asked', async () => {
    const placed = await order([
      { productId: products.inspection, quantity: 2, period: 'quarterly', periods: 4 },
      { productId: products.repair, quantity: 5 },
      { productId: products.filter, quantity: 10 },
    ]);
    const first = await post(`/sales-orders/${placed.body.id}/generate-agreements`, undefined, manager);
    expect(first.status).toBe(200);
    const created = first.body.created as Body[];
    expect(created.map((a) => (a.origin as { ruleId: string }).ruleId)).toEqual([servicesRule, partsRule]);
    const [services, parts] = created as [Body, Body];
    expect(services).toMatchObject({
      status: 'draft',
      subject: { kind: 'device', accountId, deviceId },
      startDate: '2030-01-31',
      // Four quarters from 31 January: the last covered day is 30 January a year later.
      endDate: '2031-01-30',
      coverage: 'partial',
      lines: [
        {
          id: '1',
          productId: products.inspection,
          recordType: 'recurring-service',
          quantity: 2,
          period: 'quarterly',
          periods: 4,
          autoCreate: true,
        },
        {
          id: '2',
          productId: products.repair,
          recordType: 'non-recurring-service',
          quantity: 5,
          ledger: { quantity: 5, redeemed: 0, released: 0, remaining: 5 },
        },
      ],
    });
    expect((services.lines as { ledger?: unknown }[])[0]?.ledger).toBeUndefined();
    expect(parts).toMatchObject({
      subject: { kind: 'account', accountId },
      endDate: '2032-01-30',
      lines: [
        { id: '1', recordType: 'spare-part', quantity: 10, autoCreate: false, ledger: { remaining: 10 } },
      ],
    });
    expect(parts.subject).not.toHaveProperty('deviceId');

    const again = await post(`/sales-orders/${placed.body.id}/generate-agreements`);
    expect(again.body.created).toEqual([]);
    expect(again.body.existing).toEqual([
      { ruleId: servicesRule, agreementId: services.id },
      { ruleId: partsRule, agreementId: parts.id },
    ]);
    const listed = (await get(`/service-agreements?accountId=${accountId}&limit=100`)).body.items as Body[];
    expect(
      listed.filter((a) => (a.origin as { salesOrderId?: string })?.salesOrderId === placed.body.id),
    ).toHaveLength(2);
  });

  it('creates each agreement once when generations race', async () => {
    const placed = await order([{ productId: products.filter, quantity: 1 }]);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => post(`/sales-orders/${placed.body.id}/generate-agreements`)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    const created = answers.flatMap((a) => a.body.created as Body[]);
    expect(created).toHaveLength(1);
    const named = new Set(
      answers.flatMap((a) => (a.body.existing as { agreementId: string }[]).map((e) => e.agreementId)),
    );
    expect([...named]).toEqual([created[0]?.id]);
  });

  it('skips a device rule for an order without a device, and lets the next rule take the lines', async () => {
    const placed = await order([{ productId: products.repair, quantity: 1 }], { deviceId: undefined });
    const result = await post(`/sales-orders/${placed.body.id}/generate-agreements`);
    expect(result.body.skipped).toEqual([
      { ruleId: servicesRule, reason: 'The rule covers a device and the order names none' },
    ]);
    expect((result.body.created as Body[]).map((a) => (a.origin as { ruleId: string }).ruleId)).toEqual([
      partsRule,
    ]);
  });

  it('leaves out accounts the rule does not take', async () => {
    const placed = await post('/sales-orders', {
      accountId: otherAccountId,
      orderDate: '2030-01-31',
      lines: [{ productId: products.repair, quantity: 1 }],
    });
    const result = await post(`/sales-orders/${placed.body.id}/generate-agreements`);
    // The services rule wants Austria or Germany; the account has no country. The parts rule takes any line.
    expect((result.body.created as Body[]).map((a) => (a.origin as { ruleId: string }).ruleId)).toEqual([
      partsRule,
    ]);
  });

  it('are generated by the SalesOrderCreated event, once however often it is delivered', async () => {
    const placed = await order([{ productId: products.filter, quantity: 2 }]);
    const announced = (await outboxEvents('agr')).find(
      (e) => e.type === 'SalesOrderCreated' && e.detail.id === placed.body.id,
    ) as unknown as DomainEvent;
    const generator = createAgreementGenerator(api.app.agreements.generation, quiet);
    const delivery = asEventBridgeEvent(announced);
    expect(await generator(delivery, {} as never)).toEqual({ created: 1, existing: 0 });
    expect(await generator(delivery, {} as never)).toEqual({ created: 0, existing: 1 });
    const listed = (await get(`/service-agreements?accountId=${accountId}&limit=100`)).body.items as Body[];
    expect(
      listed.filter((a) => (a.origin as { salesOrderId?: string })?.salesOrderId === placed.body.id),
    ).toHaveLength(1);
    await expect(generator({ ...delivery, 'detail-type': 'SalesOrderDeleted' }, {} as never)).rejects.toThrow(
      'Not a SalesOrderCreated event',
    );
  });

  it('answers 404 for an order of another tenant', async () => {
    const placed = await order([{ productId: products.filter, quantity: 1 }]);
    const stranger = api.token('other', 'admin', 'crm-admin');
    expect(
      (await post(`/sales-orders/${placed.body.id}/generate-agreements`, undefined, stranger)).status,
    ).toBe(404);
    expect((await get(`/sales-orders/${placed.body.id}`, stranger)).status).toBe(404);
  });
});

describe('service agreements created directly', () => {
  const draft = (extra: Record<string, unknown> = {}) =>
    post('/service-agreements', {
      name: 'Full care',
      subject: 'account',
      accountId,
      startDate: '2030-01-01',
      endDate: '2030-06-30',
      coverage: 'partial',
      lines: [{ productId: products.repair, quantity: 3 }],
      ...extra,
    });

  it('start as drafts with a ledger per counted line', async () => {
    const created = await draft();
    expect(created.status).toBe(201);
    const ledger = await get(`/service-agreements/${created.body.id}/lines/1/ledger`);
    expect(ledger.body).toEqual({
      agreementId: created.body.id,
      lineId: '1',
      quantity: 3,
      redeemed: 0,
      released: 0,
      remaining: 3,
      entries: [],
    });
  });

  it('refuse wrong references and dates, naming the fields', async () => {
    const refused = await draft({
      subject: 'device',
      endDate: '2029-12-31',
      lines: [{ productId: products.inspection, quantity: 1 }],
    });
    expect(refused.status).toBe(400);
    expect((refused.body.errors as { field: string }[]).map((e) => e.field)).toEqual([
      'body.deviceId',
      'body.endDate',
      'body.lines.0.period',
    ]);
    const nothingCovered = await draft({ lines: [] });
    expect(nothingCovered.body.errors).toEqual([
      { field: 'body.lines', message: 'Partial coverage covers only its lines: give at least one' },
    ]);
    expect((await draft({ coverage: 'full', lines: [] })).status).toBe(201);
  });

  it('are activated once, by a person who may, with the version they read', async () => {
    const created = await draft();
    const path = `/service-agreements/${created.body.id}/activate`;
    expect((await post(path, { version: 1 }, api.token('agr', 'tech', 'service-staff'))).status).toBe(403);
    expect((await post(path, { version: 2 })).status).toBe(409);
    const activated = await post(path, { version: 1 }, manager);
    expect(activated.status, JSON.stringify(activated.body)).toBe(200);
    expect(activated.body).toMatchObject({ status: 'active', version: 2 });
    expect(String(activated.body.activatedAt).slice(0, 10)).toBe(clock.now().toISOString().slice(0, 10));
    expect(activated.body.lines).toEqual(created.body.lines);
    const again = await post(path, { version: 2 });
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    const events = await outboxEvents('agr');
    expect(
      events.filter((e) => e.type === 'AgreementActivated' && e.detail.id === created.body.id),
    ).toHaveLength(1);
  });

  it('turn non-warranty when the day after their last day begins, not before', async () => {
    const created = await draft({ endDate: '2030-04-30' });
    await post(`/service-agreements/${created.body.id}/activate`, { version: 1 });
    expect(await scheduler.advanceTo(new Date('2030-04-30T23:59:00Z'))).toEqual([]);
    expect((await get(`/service-agreements/${created.body.id}`)).body.status).toBe('active');
    const fired = await scheduler.advanceTo(new Date('2030-05-01T00:00:01Z'));
    expect(fired).toContain(`agreement-expiry-${created.body.id}`);
    const expired = (await get(`/service-agreements/${created.body.id}`)).body;
    expect(expired).toMatchObject({ status: 'non-warranty', version: 3 });
    const events = await outboxEvents('agr');
    expect(
      events.filter((e) => e.type === 'AgreementExpired' && e.detail.id === created.body.id),
    ).toHaveLength(1);
    // A repeated delivery of the schedule changes nothing.
    expect(
      await api.app.agreements.agreements.expire({ tenantId: 'agr', agreementId: created.body.id }),
    ).toBe('not-active');
  });

  it("show on the account's summary while active, and only then", async () => {
    const summary = async () =>
      ((await get(`/accounts/${accountId}/summary`)).body.activeAgreements as { id: string }[]).map(
        (a) => a.id,
      );
    const created = await draft({ name: 'Summary care', endDate: '2030-09-30' });
    expect(await summary()).not.toContain(created.body.id);
    await post(`/service-agreements/${created.body.id}/activate`, { version: 1 });
    expect(await summary()).toContain(created.body.id);
    const headline = ((await get(`/accounts/${accountId}/summary`)).body.activeAgreements as Body[]).find(
      (a) => a.id === created.body.id,
    );
    expect(headline).toEqual({
      id: created.body.id,
      name: 'Summary care',
      subject: { kind: 'account', accountId },
      startDate: '2030-01-01',
      endDate: '2030-09-30',
      coverage: 'partial',
    });
    await scheduler.advanceTo(new Date('2030-10-01T00:00:01Z'));
    expect(await summary()).not.toContain(created.body.id);
  });

  it('cannot be activated once their last day has passed', async () => {
    const created = await draft({ startDate: '2029-01-01', endDate: '2029-12-31' });
    const refused = await post(`/service-agreements/${created.body.id}/activate`, { version: 1 });
    expect(refused.status).toBe(409);
    expect((await get(`/service-agreements/${created.body.id}`)).body.status).toBe('draft');
  });

  it('are invisible to another tenant', async () => {
    const created = await draft();
    const stranger = api.token('other', 'admin', 'crm-admin');
    expect((await get(`/service-agreements/${created.body.id}`, stranger)).status).toBe(404);
    expect((await get(`/service-agreements/${created.body.id}/lines/1/ledger`, stranger)).status).toBe(404);
    expect(
      (await post(`/service-agreements/${created.body.id}/activate`, { version: 1 }, stranger)).status,
    ).toBe(404);
    expect((await get(`/service-agreements?accountId=${accountId}`, stranger)).body.items).toEqual([]);
  });
});

describe('npm run ledger:check', () => {
  const run = (tenant: string) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          '--import',
          'tsx',
          'bin/ledger-check.ts',
          '--region',
          'local',
          '--table',
          api.table.tableName,
          '--tenant',
          tenant,
          '--endpoint',
          api.table.endpoint,
        ],
        { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
        (error, stdout) => resolve({ code: error ? (error.code as number) : 0, out: stdout }),
      );
    });

  it('finds every ledger of a tenant in order, then names a count its entries do not back', async () => {
    const clean = await run('agr');
    expect(clean.code, clean.out).toBe(0);
    expect(clean.out).toMatch(/Every ledger adds up/);
    const victim = (
      await post('/service-agreements', {
        name: 'Tampered',
        subject: 'account',
        accountId,
        startDate: '2030-01-01',
        endDate: '2030-12-31',
        coverage: 'partial',
        lines: [{ productId: products.repair, quantity: 2 }],
      })
    ).body;
    await api.table.client.send(
      new UpdateCommand({
        TableName: api.table.tableName,
        Key: keys.agreementLine('agr', victim.id, '1'),
        UpdateExpression: 'SET redeemed = :r',
        ExpressionAttributeValues: { ':r': 3 },
      }),
    );
    const report = await api.app.agreements.ledgerAudit.check('agr', 5);
    expect(report.discrepancies).toEqual([
      // The count moved without the remaining it keeps beside it: a drift the redemptions would trust.
      { agreementId: victim.id, lineId: '1', problem: 'remaining 2 is stored but the counts make -1' },
      { agreementId: victim.id, lineId: '1', problem: 'redeemed 3 but entries redeem 0' },
      { agreementId: victim.id, lineId: '1', problem: 'remaining -1 is below zero' },
    ]);
    const dirty = await run('agr');
    expect(dirty.code).toBe(1);
    expect(dirty.out).toContain(`agreement ${victim.id} line 1: redeemed 3 but entries redeem 0`);
  });
});
