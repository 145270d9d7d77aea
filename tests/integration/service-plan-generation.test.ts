import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicePlanGenerator } from '../../functions/composition/service-plans';
import { createAgreementEndHandler } from '../../functions/handlers/events/service-plan-agreement-end';
import { quiet } from '../helpers/consumption';
import { type Body, PlanWorld } from '../helpers/plans';

let world: PlanWorld;

beforeAll(async () => {
  world = await PlanWorld.start('plan-runs');
}, 60_000);

afterAll(() => world?.close());

const DAY = 24 * 3600 * 1000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('a plan whose line is chosen by the plan rules', () => {
  it('gives every generated work order the line as a service product, in the transaction that creates it', async () => {
    await world.ok('POST', '/plan-rules', {
      name: 'Recurring service lines',
      order: 1,
      conditions: { recordTypes: ['recurring-service'] },
    });
    const agreement = await world.agreement('2026-01-01', '2027-06-30', 'device');
    const plan = await world.ok('POST', '/service-plans', {
      name: 'Half-yearly check',
      agreementId: agreement.id,
      recurrence: { rrule: 'FREQ=MONTHLY;INTERVAL=6', timeZone: 'Europe/Vienna', start: '2027-01-05T08:00' },
      leadDays: 30,
    });
    expect(plan).toMatchObject({
      agreementLineId: '1',
      target: { kind: 'device', deviceId: world.deviceId },
    });
    expect(plan.lineRuleId).toEqual(expect.any(String));

    const report = await world.generate(plan.id);
    expect(report).toMatchObject({ outcome: 'generated', generated: [{ date: '2027-01-05' }] });
    // The next, 2027-07-05, lies past the agreement's last day: nothing more is due, and the forecast says so.
    expect(report.nextDue).toBeUndefined();
    const forecast = await world.ok('GET', `/service-plans/${plan.id}/forecast`);
    expect((forecast.occurrences as { date: string }[]).map((o) => o.date)).toEqual(['2027-01-05']);

    const [order] = await world.planWorkOrders(plan.id);
    expect(order).toMatchObject({ deviceId: world.deviceId, accountId: world.accountId });
    const products = await world.ok('GET', `/work-orders/${order?.id}/service-products`);
    expect(products.items).toEqual([
      expect.objectContaining({
        productId: world.serviceId,
        quantityUsed: 1,
        quantityToBill: 1,
        source: 'service-plan',
        agreementLine: { agreementId: agreement.id, lineId: '1' },
      }),
    ]);
  });
});

describe('a plan created late, with months of occurrences due', () => {
  it('pages through all of them with no cap, each once, each with its products, across runs that run out of time', async () => {
    const now = world.clock.now().getTime();
    const start = dayOf(now - 120 * DAY);
    const agreement = await world.agreement(start, dayOf(now + 365 * DAY));
    const plan = await world.ok('POST', '/service-plans', {
      name: 'Daily reading',
      agreementId: agreement.id,
      agreementLineId: '2',
      recurrence: { rrule: 'FREQ=DAILY', timeZone: 'UTC', start: `${start}T06:00` },
      leadDays: 0,
      template: { serviceProducts: [{ lineId: '2', quantity: 2 }] },
    });
    const { generator } = world.api.app.servicePlans;
    // A run whose time is already up does one page, then hands over to a fresh run.
    const first = await generator.run(
      { tenantId: world.tenantId, planId: plan.id },
      { deadline: new Date(0) },
    );
    expect(first.outcome).toBe('continues');
    expect(first.generated).toHaveLength(25);
    let runs = 1;
    for (let report = first; report.outcome === 'continues'; runs++)
      report = await generator.run({ tenantId: world.tenantId, planId: plan.id }, { deadline: new Date(0) });
    expect(runs).toBeGreaterThan(4);

    const orders = await world.planWorkOrders(plan.id);
    const expected: string[] = [];
    for (let day = Date.parse(`${start}T06:00:00Z`); day <= now; day += DAY) expected.push(dayOf(day));
    expect(orders.map((o) => o.servicePlan?.occurrence)).toEqual(expected);
    const sample = orders[Math.floor(orders.length / 2)];
    const products = await world.ok('GET', `/work-orders/${sample?.id}/service-products`);
    expect(products.items).toEqual([expect.objectContaining({ productId: world.partId, quantityUsed: 2 })]);
    const read = (await world.ok('GET', `/service-plans/${plan.id}`)) as Body & {
      progress: { generated: number };
    };
    expect(read.progress.generated).toBe(expected.length);
  }, 120_000);
});

describe('editing a plan mid-series', () => {
  it('changes only occurrences without a work order, answers added, removed and moved, and never back-dates', async () => {
    const now = world.clock.now().getTime();
    const agreement = await world.agreement(dayOf(now), dayOf(now + 400 * DAY));
    const firstOfNextMonth = (() => {
      const d = new Date(now);
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    })();
    const plan = await world.ok('POST', '/service-plans', {
      name: 'Monthly filter',
      agreementId: agreement.id,
      recurrence: {
        rrule: 'FREQ=MONTHLY;BYMONTHDAY=1;COUNT=6',
        timeZone: 'UTC',
        start: `${dayOf(firstOfNextMonth.getTime())}T10:00`,
      },
      leadDays: 40,
    });
    const generated = await world.generate(plan.id);
    const before = (generated.generated as { date: string }[]).map((g) => g.date);
    expect(before.length).toBeGreaterThan(0);

    const changed = await world.ok('PATCH', `/service-plans/${plan.id}`, {
      version: plan.version,
      recurrence: {
        rrule: 'FREQ=MONTHLY;BYMONTHDAY=15;COUNT=4',
        timeZone: 'UTC',
        start: `${dayOf(firstOfNextMonth.getTime())}T10:00`,
      },
    });
    const changes = changed.changes as {
      moved: { from: { date: string }; to: { date: string } }[];
      removed: { date: string }[];
      added: { date: string }[];
    };
    // Six on the 1st, some generated; four on the 15th: each 1st without a work order moves to a 15th.
    const open1st = 6 - before.length;
    expect(changes.moved).toHaveLength(Math.min(open1st, 4));
    for (const move of changes.moved) expect(move.to.date.slice(8)).toBe('15');
    expect(changes.moved.every((m) => m.from.date.slice(8) === '01')).toBe(true);
    expect(changes.removed.length + changes.moved.length).toBe(open1st);
    expect(changes.added.length + changes.moved.length).toBe(4);

    await world.generate(plan.id);
    const orders = await world.planWorkOrders(plan.id);
    const dates = orders.map((o) => o.servicePlan?.occurrence ?? '');
    expect(dates.filter((d) => d.endsWith('-01'))).toEqual(before);
    // Every 15th created after the edit lies ahead of it; none before the edit was made up.
    const seriesFrom = Date.parse(String((changed.plan as Body).seriesFrom));
    const fifteenths = orders.filter((o) => o.servicePlan?.occurrence.endsWith('-15'));
    expect(fifteenths.length).toBeGreaterThan(0);
    for (const order of fifteenths)
      expect(Date.parse(order.servicePlan?.dueAt ?? '')).toBeGreaterThan(seriesFrom);
  });
});

describe('a plan that cannot make its work order', () => {
  it('keeps the error on the plan, passes nothing over, and generates once the plan is fixed', async () => {
    const agreement = await world.agreement(
      dayOf(world.clock.now().getTime()),
      dayOf(world.clock.now().getTime() + 200 * DAY),
    );
    const user = await world.ok('POST', '/users', {
      id: 'leaver',
      name: 'Lee Leaver',
      email: 'lee@plan-runs.example',
      roles: ['service-staff'],
    });
    const plan = await world.ok('POST', '/service-plans', {
      name: 'Weekly round',
      agreementId: agreement.id,
      recurrence: {
        rrule: 'FREQ=WEEKLY',
        timeZone: 'UTC',
        start: `${dayOf(world.clock.now().getTime() + DAY)}T09:00`,
      },
      leadDays: 7,
      template: { ownerId: 'leaver' },
    });
    await world.ok('PATCH', '/users/leaver', { version: user.version, status: 'disabled' });

    const failed = await world.generate(plan.id);
    expect(failed).toMatchObject({ outcome: 'failed', generated: [] });
    const read = (await world.ok('GET', `/service-plans/${plan.id}`)) as Body & {
      progress: { lastError?: { message: string; date?: string } };
    };
    expect(read.progress.lastError?.message).toMatch(/leaver/);
    expect(await world.planWorkOrders(plan.id)).toEqual([]);

    await world.ok('PATCH', `/service-plans/${plan.id}`, { version: plan.version, template: {} });
    const fixed = await world.generate(plan.id);
    expect((fixed.generated as unknown[]).length).toBe(1);
    const after = (await world.ok('GET', `/service-plans/${plan.id}`)) as Body & {
      progress: { lastError?: unknown };
    };
    expect(after.progress.lastError).toBeUndefined();
  });
});

describe('the end of the agreement', () => {
  it('ends its plans and their schedules when it is terminated, once however often that is announced', async () => {
    const agreement = await world.agreement(
      dayOf(world.clock.now().getTime()),
      dayOf(world.clock.now().getTime() + 300 * DAY),
    );
    const plan = await world.ok('POST', '/service-plans', {
      name: 'Monthly visit',
      agreementId: agreement.id,
      recurrence: {
        rrule: 'FREQ=MONTHLY',
        timeZone: 'UTC',
        start: `${dayOf(world.clock.now().getTime() + 60 * DAY)}T09:00`,
      },
    });
    expect(await world.schedules()).toContain(`service-plan-${plan.id}`);
    const terminated = await world.ok('POST', `/service-agreements/${agreement.id}/terminate`, {
      version: agreement.version,
      reason: 'The customer sold the plant',
    });
    expect(terminated).toMatchObject({
      status: 'terminated',
      terminated: { by: 'admin', reason: expect.any(String) },
    });
    // The event the outbox publisher puts on the bus, as the rule delivers it to the function.
    const published = await world.outboxEvent('AgreementTerminated', agreement.id);
    const event = { id: 'e-1', 'detail-type': published.type, source: published.source, detail: published };
    const ended = createAgreementEndHandler(world.api.app.servicePlans.ending, quiet);
    expect(await ended(event)).toEqual({ ended: [plan.id] });
    expect(await ended(event)).toEqual({ ended: [] });
    expect(await world.ok('GET', `/service-plans/${plan.id}`)).toMatchObject({
      status: 'ended',
      endReason: 'agreement-terminated',
    });
    expect(await world.schedules()).not.toContain(`service-plan-${plan.id}`);
    const asked = await world.api.request('POST', `/service-plans/${plan.id}/generate`, {
      token: world.admin,
    });
    expect(asked.status).toBe(409);
  });
});

describe('a run that stops unseen halfway', () => {
  it('leaves its schedule set to resume it, and the next run finishes with none missing and none twice', async () => {
    const now = world.clock.now().getTime();
    const start = dayOf(now - 40 * DAY);
    const agreement = await world.agreement(start, dayOf(now + 100 * DAY));
    const plan = await world.ok('POST', '/service-plans', {
      name: 'Daily round',
      agreementId: agreement.id,
      recurrence: { rrule: 'FREQ=DAILY', timeZone: 'UTC', start: `${start}T05:00` },
      leadDays: 0,
    });
    const ports = world.api.app.ports;
    let created = 0;
    // The generator as composed, but its function dies (not a domain error) after 10 work orders, inside its first page.
    const real = servicePlanGenerator(ports);
    const dying = servicePlanGenerator({
      ...ports,
      table: {
        ...ports.table,
        client: new Proxy(ports.table.client, {
          get(target, name, receiver) {
            if (name !== 'send') return Reflect.get(target, name, receiver);
            return async (command: { input: { TransactItems?: unknown[] } }) => {
              // A work order's creation is a transaction of many items; a progress save is one of one.
              if ((command.input.TransactItems?.length ?? 0) > 1 && ++created > 10)
                throw new Error('Task timed out');
              return target.send(command as never);
            };
          },
        }),
      },
    });
    await expect(dying.run({ tenantId: world.tenantId, planId: plan.id })).rejects.toThrow('Task timed out');
    const progress = await world.api.app.servicePlans.plans.get(
      { tenantId: world.tenantId, userId: 'admin', roles: ['crm-admin'] },
      plan.id,
    );
    // The lease: resumed a quarter of an hour later, even before its first page was saved.
    expect(Date.parse(String(progress.progress.runAt))).toBeGreaterThan(
      world.clock.now().getTime() + 10 * 60_000,
    );
    expect(await world.planWorkOrders(plan.id)).toHaveLength(10);

    await real.run({ tenantId: world.tenantId, planId: plan.id });
    const dates = (await world.planWorkOrders(plan.id)).map((o) => o.servicePlan?.occurrence);
    const expected: string[] = [];
    for (let day = Date.parse(`${start}T05:00:00Z`); day <= world.clock.now().getTime(); day += DAY)
      expected.push(dayOf(day));
    expect(dates).toEqual(expected);
  });
});
