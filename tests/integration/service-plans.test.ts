import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgreementEndHandler } from '../../functions/handlers/events/service-plan-agreement-end';
import { quiet } from '../helpers/consumption';
import { type Body, PlanWorld } from '../helpers/plans';

let world: PlanWorld;

beforeAll(async () => {
  world = await PlanWorld.start('plans');
}, 60_000);

afterAll(() => world?.close());

const quarterly = (start: string, extra: Record<string, unknown> = {}) => ({
  rrule: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1',
  timeZone: 'Europe/Berlin',
  start,
  ...extra,
});

interface Progress {
  generated: number;
  lastGenerated?: { date: string; workOrderId: string };
  nextDue?: { date: string; at: string; generateAt: string };
  lastError?: { message: string; date?: string };
}

describe('a quarterly plan under an agreement', () => {
  let agreement: Body;
  let plan: Body & { progress: Progress };

  beforeAll(async () => {
    agreement = await world.agreement('2027-01-01', '2027-12-31');
    plan = (await world.ok('POST', '/service-plans', {
      name: 'Quarterly maintenance',
      agreementId: agreement.id,
      recurrence: quarterly('2027-01-01T09:00'),
      leadDays: 14,
      template: { priority: 'high', ownerId: 'manager' },
    })) as typeof plan;
  });

  it('consumes no line when it names none and no plan rule takes one, and targets the agreement account', () => {
    expect(plan).toMatchObject({
      status: 'active',
      agreementId: agreement.id,
      target: { kind: 'account', accountId: world.accountId },
      leadDays: 14,
      progress: { generated: 0 },
    });
    expect(plan.agreementLineId).toBeUndefined();
  });

  it('forecasts the four occurrences of the year with when each is created, creating nothing', async () => {
    const forecast = await world.ok('GET', `/service-plans/${plan.id}/forecast?count=10`);
    const occurrences = forecast.occurrences as {
      date: string;
      at: string;
      generateAt: string;
      state: string;
    }[];
    expect(occurrences.map((o) => [o.date, o.at, o.generateAt])).toEqual([
      // 09:00 in Berlin: CET (UTC+1) in winter, CEST (UTC+2) from the end of March.
      ['2027-01-01', '2027-01-01T08:00:00.000Z', '2026-12-18T08:00:00.000Z'],
      ['2027-04-01', '2027-04-01T07:00:00.000Z', '2027-03-18T07:00:00.000Z'],
      ['2027-07-01', '2027-07-01T07:00:00.000Z', '2027-06-17T07:00:00.000Z'],
      ['2027-10-01', '2027-10-01T07:00:00.000Z', '2027-09-17T07:00:00.000Z'],
    ]);
    expect(occurrences.every((o) => o.state === 'scheduled')).toBe(true);
    expect(await world.planWorkOrders(plan.id)).toEqual([]);
  });

  it('creates nothing before the lead window opens, then the first work order when it does', async () => {
    await world.tick('2026-12-18T07:59:00Z');
    expect(await world.planWorkOrders(plan.id)).toEqual([]);

    await world.tick('2026-12-18T08:00:30Z');
    const [first, ...rest] = await world.planWorkOrders(plan.id);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({
      channel: 'plan',
      title: 'Quarterly maintenance (2027-01-01)',
      priority: 'high',
      ownerId: 'manager',
      accountId: world.accountId,
      createdBy: `service-plan:${plan.id}`,
      servicePlan: { planId: plan.id, occurrence: '2027-01-01', dueAt: '2027-01-01T08:00:00.000Z' },
    });
    const read = (await world.ok('GET', `/service-plans/${plan.id}`)) as Body & { progress: Progress };
    expect(read.progress).toMatchObject({
      generated: 1,
      lastGenerated: { date: '2027-01-01', workOrderId: first?.id },
      nextDue: { date: '2027-04-01', generateAt: '2027-03-18T07:00:00.000Z' },
    });
    expect(read.progress.lastError).toBeUndefined();
    const listed = await world.ok('GET', '/service-plans?limit=100');
    expect((listed.items as Body[]).find((p) => p.id === plan.id)).toMatchObject({
      progress: { generated: 1, nextDue: { date: '2027-04-01' } },
    });
  });

  it('generates each occurrence once however often it runs: by hand, twice, and ten runs at once', async () => {
    const again = await world.generate(plan.id);
    expect(again).toMatchObject({ outcome: 'generated', generated: [], nextDue: { date: '2027-04-01' } });

    // The window of the second opens while ten runs race for it; then its schedule fires too.
    world.clock.moveTo(new Date('2027-03-18T07:00:30Z'));
    const { generator } = world.api.app.servicePlans;
    const runs = await Promise.all(
      Array.from({ length: 10 }, () => generator.run({ tenantId: world.tenantId, planId: plan.id })),
    );
    expect(runs.flatMap((run) => run.generated).map((g) => g.date)).toEqual(['2027-04-01']);
    await world.tick(world.clock.now().toISOString());
    const orders = await world.planWorkOrders(plan.id);
    expect(orders.map((o) => o.servicePlan?.occurrence)).toEqual(['2027-01-01', '2027-04-01']);
  });

  it('never generates past the end of the series, and lists what it generated', async () => {
    await world.tick('2028-02-01T00:00:00Z');
    const orders = await world.planWorkOrders(plan.id);
    expect(orders.map((o) => o.servicePlan?.occurrence)).toEqual([
      '2027-01-01',
      '2027-04-01',
      '2027-07-01',
      '2027-10-01',
    ]);
    expect(new Set(orders.map((o) => o.number)).size).toBe(4);
    const listed = await world.ok('GET', `/service-plans/${plan.id}/occurrences`);
    expect((listed.items as { workOrderId: string }[]).map((o) => o.workOrderId)).toEqual(
      orders.map((o) => o.id),
    );
    expect(await world.schedules()).not.toContain(`service-plan-${plan.id}`);
  });

  it('ends when the agreement expires after its last day', async () => {
    // The tick past 31 December fired the agreement's expiry schedule too.
    expect(await world.ok('GET', `/service-agreements/${agreement.id}`)).toMatchObject({
      status: 'non-warranty',
    });
    const published = await world.outboxEvent('AgreementExpired', agreement.id);
    const ended = createAgreementEndHandler(world.api.app.servicePlans.ending, quiet);
    expect(
      await ended({ id: 'e-x', 'detail-type': published.type, source: published.source, detail: published }),
    ).toEqual({
      ended: [plan.id],
    });
    expect(await world.ok('GET', `/service-plans/${plan.id}`)).toMatchObject({
      status: 'ended',
      endReason: 'agreement-expired',
      progress: { generated: 4 },
    });
  });
});
