import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgreementEndHandler } from '../../functions/handlers/events/service-plan-agreement-end';
import { quiet } from '../helpers/consumption';
import { type Body, PlanWorld } from '../helpers/plans';

let world: PlanWorld;

beforeAll(async () => {
  world = await PlanWorld.start('plan-unstarted');
  const tenant = await world.ok('GET', '/tenant');
  await world.ok('PATCH', '/tenant', {
    version: tenant.version,
    settings: { servicePlans: { regenerateUnstarted: true, unstartedOnAgreementEnd: 'cancel' } },
  });
}, 60_000);

afterAll(() => world?.close());

const DAY = 24 * 3600 * 1000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A weekly plan with a long lead: four work orders generated ahead at once. */
async function weeklyPlan(agreement: Body) {
  const plan = await world.ok('POST', '/service-plans', {
    name: 'Weekly check',
    agreementId: agreement.id,
    recurrence: {
      rrule: 'FREQ=WEEKLY;COUNT=4',
      timeZone: 'UTC',
      start: `${dayOf(world.clock.now().getTime() + 3 * DAY)}T08:00`,
    },
    leadDays: 30,
    template: { priority: 'low' },
  });
  await world.tick(world.clock.now().toISOString());
  const orders = await world.planWorkOrders(plan.id);
  expect(orders).toHaveLength(4);
  return { plan, orders };
}

async function start(workOrderId: string, version: number) {
  await world.ok('POST', `/work-orders/${workOrderId}/status`, { status: 'in-progress', version });
}

describe('with the tenant regenerating unstarted work orders', () => {
  it('an edit of the template cancels and remakes the unstarted ones, and leaves a started one as it is', async () => {
    const agreement = await world.agreement(
      dayOf(world.clock.now().getTime()),
      dayOf(world.clock.now().getTime() + 200 * DAY),
    );
    const { plan, orders } = await weeklyPlan(agreement);
    const [first, ...rest] = orders;
    await start(first?.id ?? '', first?.version ?? 0);

    const changed = await world.ok('PATCH', `/service-plans/${plan.id}`, {
      version: plan.version,
      template: { priority: 'urgent' },
    });
    expect((changed.plan as Body).revision).toBe(2);
    await world.tick(world.clock.now().toISOString());

    const after = await world.planWorkOrders(plan.id);
    const byId = new Map(after.map((o) => [o.id, o]));
    expect(byId.get(first?.id ?? '')).toMatchObject({ status: 'in-progress', priority: 'low' });
    for (const old of rest) expect(byId.get(old.id)).toMatchObject({ status: 'cancelled' });
    const live = after.filter((o) => o.status !== 'cancelled');
    expect(live.map((o) => o.servicePlan?.occurrence)).toEqual(orders.map((o) => o.servicePlan?.occurrence));
    expect(live.filter((o) => o.id !== first?.id).every((o) => o.priority === 'urgent')).toBe(true);

    const listed = await world.ok('GET', `/service-plans/${plan.id}/occurrences`);
    expect((listed.items as { withdrawnAt?: string }[]).every((record) => !record.withdrawnAt)).toBe(true);
  });

  it("the agreement's end cancels the plan's unstarted work orders, once, and keeps the started ones", async () => {
    const agreement = await world.agreement(
      dayOf(world.clock.now().getTime()),
      dayOf(world.clock.now().getTime() + 200 * DAY),
    );
    const { plan, orders } = await weeklyPlan(agreement);
    const [first] = orders;
    await start(first?.id ?? '', first?.version ?? 0);
    await world.ok('POST', `/service-agreements/${agreement.id}/terminate`, {
      version: agreement.version,
      reason: 'Contract cancelled',
    });
    const published = await world.outboxEvent('AgreementTerminated', agreement.id);
    const ended = createAgreementEndHandler(world.api.app.servicePlans.ending, quiet);
    const event = { id: 'e-2', 'detail-type': published.type, source: published.source, detail: published };
    expect(await ended(event)).toEqual({ ended: [plan.id] });
    expect(await ended(event)).toEqual({ ended: [] });

    const after = await world.planWorkOrders(plan.id);
    expect(after.map((o) => o.status)).toEqual(['in-progress', 'cancelled', 'cancelled', 'cancelled']);
    const cancelled = after[1];
    const timeline = await world.ok('GET', `/work-orders/${cancelled?.id}/records`);
    expect(JSON.stringify(timeline)).toMatch(/agreement was terminated/);
  });
});
