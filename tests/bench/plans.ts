import { createDocumentClient } from '../../functions/adapters/dynamodb/client';
import { compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import type { Principal } from '../../functions/domain/access/principal';
import { mapConcurrently } from '../../functions/domain/shared/concurrency';
import { createPlanGeneratorHandler } from '../../functions/handlers/schedules/service-plan-generator';
import { createLogger } from '../../functions/shared/logger';
import {
  LocalAgreementExpiryScheduler,
  LocalPlanScheduler,
  LocalScheduler,
  MovableClock,
  PLAN_GENERATOR_TARGET,
} from '../../local/scheduler/local-scheduler';
import { startPlanScheduleKeeper } from '../../local/service-plans';
import { meter, type Reading } from './dynamodb-meter';

const DAY = 24 * 3600 * 1000;
const DUE = 100;
const CROWDS = [100, 10_000];
const LONG_SERIES = 1_000;
const quiet = createLogger({}, () => undefined);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Work {
  roundTrips: number;
  itemsRead: number;
  itemsWritten: number;
  readUnits: number;
  writeUnits: number;
}

const workOf = (r: Reading): Work => ({
  roundTrips: r.roundTrips,
  itemsRead: r.calls.reduce((n, c) => n + c.itemsRead, 0),
  itemsWritten: r.calls.reduce((n, c) => n + c.itemsWritten, 0),
  readUnits: r.readUnits,
  writeUnits: r.writeUnits,
});

/**
 * `npm run bench -- plans`: the generator's work when 100 plans are due among
 * 100 and among 10,000 (it must grow with the work due, not with the plans),
 * and one plan with 1,000 due occurrences. Everything as in `npm start`: the
 * local scheduler fires the due plans' schedules, the keeper follows their
 * progress on the table stream.
 */
export async function plansBench(dynamo: { endpoint: string }, tableName: string): Promise<string[]> {
  const clock = new MovableClock();
  const scheduler = new LocalScheduler({ clock });
  const client = createDocumentClient(dynamo.endpoint);
  const app = compose(
    basePorts(
      { client, tableName },
      {
        clock,
        planSchedules: new LocalPlanScheduler(scheduler),
        agreementExpiry: new LocalAgreementExpiryScheduler(scheduler),
      },
    ),
  );
  const generate = createPlanGeneratorHandler(app.servicePlans.generator, clock, quiet);
  const runs: { planId: string; generated: number; outcome: string }[] = [];
  scheduler.target(PLAN_GENERATOR_TARGET, async (input) => {
    const report = await generate(input);
    runs.push({ planId: report.planId, generated: report.generated.length, outcome: report.outcome });
  });
  const keeper = await startPlanScheduleKeeper(dynamo.endpoint, tableName, app, quiet);
  const m = meter(client);
  const rows: string[] = [];
  const start = clock.now().getTime();
  try {
    rows.push('## Service plans: generator work (items read and written, DynamoDB Local)\n');
    rows.push(
      '| plans | due | runs | work orders | round trips | items read | items written | RCU | WCU | s |',
    );
    rows.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    const works: Work[] = [];
    for (const [index, crowd] of CROWDS.entries()) {
      const world = await tenantWith(app, `bench-plans-${index}`, start);
      const dueAt = start + (10 + index * 5) * DAY;
      const made = Date.now();
      await mapConcurrently(
        Array.from({ length: crowd }, (_, i) => i),
        8,
        (i) =>
          app.servicePlans.plans.create(world.principal, {
            name: `Plan ${i}`,
            agreementId: world.agreementId,
            agreementLineId: '1',
            recurrence: {
              rrule: 'FREQ=YEARLY',
              timeZone: 'Europe/Berlin',
              // The first DUE plans come due at the tick; the others months later.
              start: `${dayOf(i < DUE ? dueAt : dueAt + 200 * DAY)}T09:00`,
            },
            leadDays: 0,
          }),
      );
      const setUp = (Date.now() - made) / 1000;
      await keeper.drain();
      runs.length = 0;
      m.reset();
      const began = Date.now();
      await scheduler.advanceTo(new Date(dueAt + DAY));
      const seconds = (Date.now() - began) / 1000;
      await keeper.drain();
      const work = workOf(m.read());
      works.push(work);
      const created = runs.reduce((n, run) => n + run.generated, 0);
      rows.push(
        `| ${crowd} | ${DUE} | ${runs.length} | ${created} | ${work.roundTrips} | ${work.itemsRead} | ${work.itemsWritten} | ${work.readUnits.toFixed(0)} | ${work.writeUnits.toFixed(0)} | ${seconds.toFixed(1)} |`,
      );
      if (created !== DUE)
        throw new Error(`expected ${DUE} work orders among ${crowd} plans, got ${created}`);
      rows.push(`|  |  |  |  |  |  |  |  |  | (${crowd} plans made in ${setUp.toFixed(0)} s) |`);
    }
    const [few, many] = works as [Work, Work];
    rows.push(
      `\nAmong ${CROWDS[1]} plans vs among ${CROWDS[0]}: items read ×${(many.itemsRead / few.itemsRead).toFixed(2)}, items written ×${(many.itemsWritten / few.itemsWritten).toFixed(2)}, round trips ×${(many.roundTrips / few.roundTrips).toFixed(2)} (goal ≤ 1.2).\n`,
    );
    rows.push(...(await longSeries(app, scheduler, keeper, m, runs, clock.now().getTime())));
  } finally {
    await scheduler.stop();
    await keeper.stop();
  }
  return rows;
}

/** One plan started long ago: 1,000 daily occurrences due at once. */
async function longSeries(
  app: ReturnType<typeof compose>,
  scheduler: LocalScheduler,
  keeper: Awaited<ReturnType<typeof startPlanScheduleKeeper>>,
  m: ReturnType<typeof meter>,
  runs: { planId: string; generated: number; outcome: string }[],
  now: number,
): Promise<string[]> {
  const first = now - (LONG_SERIES - 1) * DAY - 3600 * 1000;
  const world = await tenantWith(app, 'bench-plans-long', first);
  runs.length = 0;
  m.reset();
  const began = Date.now();
  const plan = await app.servicePlans.plans.create(world.principal, {
    name: 'Daily reading',
    agreementId: world.agreementId,
    agreementLineId: '1',
    recurrence: { rrule: 'FREQ=DAILY', timeZone: 'UTC', start: `${dayOf(first)}T00:00` },
    leadDays: 0,
  });
  // Created with its next run now: the keeper sets the schedule, the scheduler fires it, until nothing is due.
  for (let round = 0; round < 100; round++) {
    await keeper.drain();
    if ((await scheduler.runDue()).length === 0) break;
  }
  const seconds = (Date.now() - began) / 1000;
  const work = workOf(m.read());
  const records = await app.servicePlans.plans.occurrences(world.principal, plan.id, {});
  const dates = records.items.map((record) => record.date);
  const expected = Array.from({ length: LONG_SERIES }, (_, i) => dayOf(first + i * DAY));
  const missing = expected.filter((date) => !dates.includes(date));
  const created = runs.reduce((n, run) => n + run.generated, 0);
  return [
    `## One plan with ${LONG_SERIES} due occurrences\n`,
    '| work orders | runs | missing | duplicates | round trips | items read | items written | s | per work order ms |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${created} | ${runs.length} | ${missing.length} | ${dates.length - new Set(dates).size} | ${work.roundTrips} | ${work.itemsRead} | ${work.itemsWritten} | ${seconds.toFixed(1)} | ${((seconds * 1000) / Math.max(created, 1)).toFixed(1)} |`,
    '',
  ];
}

/** A tenant with an account, a recurring service and an active agreement covering it from `from`. */
async function tenantWith(app: ReturnType<typeof compose>, tenantId: string, from: number) {
  await app.masterData.tenants.create({
    id: tenantId,
    name: tenantId,
    admin: { id: 'admin', name: 'Admin', email: `admin@${tenantId}.example` },
  });
  const principal: Principal = { tenantId, userId: 'admin', roles: ['crm-admin'] };
  const account = await app.masterData.accounts.create(principal, { name: 'Plant' });
  const product = await app.masterData.products.create(principal, {
    code: `SVC-${tenantId}`,
    name: 'Inspection',
    kind: 'service',
    serviceType: 'recurring',
    price: { amount: 5000, currency: 'EUR' },
  });
  const agreement = await app.agreements.agreements.create(principal, {
    name: 'Inspections',
    subject: 'account',
    accountId: account.id,
    startDate: dayOf(from),
    endDate: dayOf(from + 3 * 366 * DAY),
    coverage: 'partial',
    lines: [{ productId: product.id, quantity: 100_000, period: 'yearly', periods: 3, autoCreate: false }],
  });
  await app.agreements.agreements.activate(principal, agreement.id, agreement.version);
  return { principal, agreementId: agreement.id };
}
