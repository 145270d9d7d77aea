import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoServicePlanRepository } from '../../functions/adapters/dynamodb/repositories/service-plans';
import { type Body, PlanWorld } from '../helpers/plans';

let world: PlanWorld;
let agreement: Body;

beforeAll(async () => {
  world = await PlanWorld.start('plan-input');
  agreement = await world.agreement('2027-01-01', '2028-12-31');
}, 60_000);

afterAll(() => world?.close());

const valid = () => ({
  name: 'Spring check',
  agreementId: agreement.id,
  recurrence: {
    rrule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=-1FR',
    timeZone: 'Europe/Berlin',
    start: '2027-01-01T09:00',
  },
});

type Problem = { status: number; errors?: { field: string; message: string }[]; detail?: string };

async function refused(body: unknown, status = 400): Promise<Problem> {
  const before = await world.ok('GET', '/service-plans?limit=100');
  const response = await world.api.request('POST', '/service-plans', { token: world.admin, body });
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  const after = await world.ok('GET', '/service-plans?limit=100');
  expect((after.items as unknown[]).length).toBe((before.items as unknown[]).length);
  return response.body as Problem;
}

const fields = (problem: Problem) => (problem.errors ?? []).map((e) => e.field);

describe('a plan that cannot be', () => {
  it('names the part of the rule that is wrong', async () => {
    const problem = await refused({
      ...valid(),
      recurrence: { ...valid().recurrence, rrule: 'FREQ=HOURLY' },
    });
    expect(problem.errors).toEqual([
      expect.objectContaining({ field: 'body.recurrence.rrule', message: expect.stringMatching(/daily/) }),
    ]);
    expect(
      fields(
        await refused({ ...valid(), recurrence: { ...valid().recurrence, rrule: 'FREQ=WEEKLY;BYWEEKNO=3' } }),
      ),
    ).toEqual(['body.recurrence.rrule']);
  });

  it('names an unknown time zone and a start that is not a local date and time', async () => {
    expect(
      fields(await refused({ ...valid(), recurrence: { ...valid().recurrence, timeZone: 'Mars/Olympus' } })),
    ).toEqual(['body.recurrence.timeZone']);
    expect(
      fields(
        await refused({ ...valid(), recurrence: { ...valid().recurrence, start: '2027-01-01T09:00:00Z' } }),
      ),
    ).toEqual(['body.recurrence.start']);
  });

  it('keeps the series inside the agreement, and refuses one with no occurrence there', async () => {
    expect(
      fields(await refused({ ...valid(), recurrence: { ...valid().recurrence, start: '2026-12-31T09:00' } })),
    ).toEqual(['body.recurrence.start']);
    expect(
      fields(await refused({ ...valid(), recurrence: { ...valid().recurrence, until: '2029-01-31' } })),
    ).toEqual(['body.recurrence.until']);
    expect(
      fields(
        await refused({
          ...valid(),
          recurrence: {
            ...valid().recurrence,
            rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
            until: '2027-12-31',
          },
        }),
      ),
    ).toEqual(['body.recurrence']);
  });

  it('names lines the agreement does not have, and people and types that do not exist', async () => {
    const problem = await refused({
      ...valid(),
      agreementLineId: '9',
      template: { serviceProducts: [{ lineId: '7', quantity: 1 }], ownerId: 'nobody', typeId: 'no-type' },
    });
    expect(fields(problem).sort()).toEqual(
      [
        'body.agreementLineId',
        'body.template.ownerId',
        'body.template.serviceProducts.0.lineId',
        'body.template.typeId',
      ].sort(),
    );
  });

  it('belongs to an active agreement only', async () => {
    const draft = await world.ok('POST', '/service-agreements', {
      name: 'Draft',
      subject: 'account',
      accountId: world.accountId,
      startDate: '2027-01-01',
      endDate: '2027-12-31',
      coverage: 'full',
    });
    const problem = await refused({ ...valid(), agreementId: draft.id }, 409);
    expect(problem.detail).toMatch(/draft/);
    expect(fields(await refused({ ...valid(), agreementId: 'no-such-agreement' }))).toEqual([
      'body.agreementId',
    ]);
  });

  it('is not for service staff to make', async () => {
    const staff = world.api.token(world.tenantId, 'manager', 'service-staff');
    const response = await world.api.request('POST', '/service-plans', { token: staff, body: valid() });
    expect(response.status).toBe(403);
  });
});

describe('a plan across clock changes', () => {
  it('keeps its wall-clock time, and moves a time the spring-forward day does not have to after the gap', async () => {
    const plan = await world.ok('POST', '/service-plans', {
      name: 'Night reading',
      agreementId: agreement.id,
      recurrence: {
        rrule: 'FREQ=DAILY',
        timeZone: 'America/New_York',
        start: '2027-03-13T02:30',
        until: '2027-03-15',
      },
      leadDays: 0,
    });
    const forecast = await world.ok('GET', `/service-plans/${plan.id}/forecast`);
    expect(forecast.occurrences).toEqual([
      expect.objectContaining({
        date: '2027-03-13',
        local: '2027-03-13T02:30',
        at: '2027-03-13T07:30:00.000Z',
      }),
      // 02:30 does not exist on 14 March: read with the offset before the gap, it is 03:30 EDT.
      expect.objectContaining({
        date: '2027-03-14',
        local: '2027-03-14T02:30',
        at: '2027-03-14T07:30:00.000Z',
        shifted: true,
      }),
      expect.objectContaining({
        date: '2027-03-15',
        local: '2027-03-15T02:30',
        at: '2027-03-15T06:30:00.000Z',
      }),
    ]);
  });
});

describe('reading, changing and deleting a plan', () => {
  it('checks the forecast count, the version, and forgets a deleted plan and its schedule', async () => {
    const plan = await world.ok('POST', '/service-plans', valid());
    for (const count of ['0', '101', 'abc']) {
      const response = await world.api.request('GET', `/service-plans/${plan.id}/forecast?count=${count}`, {
        token: world.admin,
      });
      expect(response.status).toBe(400);
      expect(fields(response.body as Problem)).toEqual(['query.count']);
    }
    const stale = await world.api.request('PATCH', `/service-plans/${plan.id}`, {
      token: world.admin,
      body: { version: plan.version + 1, leadDays: 3 },
    });
    expect(stale.status).toBe(409);
    expect(await world.schedules()).toContain(`service-plan-${plan.id}`);
    const deleted = await world.api.request('DELETE', `/service-plans/${plan.id}?version=${plan.version}`, {
      token: world.admin,
    });
    expect(deleted.status).toBe(204);
    expect((await world.api.request('GET', `/service-plans/${plan.id}`, { token: world.admin })).status).toBe(
      404,
    );
    expect(await world.schedules()).not.toContain(`service-plan-${plan.id}`);
  });
});

describe('an agreement terminated while a plan is saved under it', () => {
  it('refuses the save in its transaction, and stores nothing', async () => {
    const other = await world.agreement('2027-01-01', '2027-12-31');
    const plan = await world.ok('POST', '/service-plans', { ...valid(), agreementId: other.id });
    await world.ok('POST', `/service-agreements/${other.id}/terminate`, {
      version: other.version,
      reason: 'Moved',
    });
    // The save as it would commit after reading the agreement still active.
    const plans = new DynamoServicePlanRepository(world.api.table, world.clock);
    const stored = await plans.get(world.tenantId, plan.id);
    const next = { ...(stored as NonNullable<typeof stored>), id: `${plan.id}X`, version: 1 };
    const progress = { tenantId: world.tenantId, planId: next.id, planVersion: 1, generated: 0 };
    await expect(
      plans.create(next, progress, {
        unchanged: [
          { aggregate: 'service-agreement', tenantId: world.tenantId, id: other.id, status: 'active' },
        ],
      }),
    ).rejects.toThrow(/no longer active/);
    expect(await plans.get(world.tenantId, next.id)).toBeUndefined();
    const edit = await world.api.request('PATCH', `/service-plans/${plan.id}`, {
      token: world.admin,
      body: { version: plan.version, leadDays: 3 },
    });
    expect(edit.status).toBe(409);
  });
});
