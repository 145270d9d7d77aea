import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { GenerationReport } from '../../functions/domain/service-plans/generate-plan';
import type { DomainEvent } from '../../functions/domain/shared/events';
import type { WorkOrder } from '../../functions/domain/work-orders/work-order';
import { createAgreementExpiryHandler } from '../../functions/handlers/schedules/agreement-expiry';
import { createPlanGeneratorHandler } from '../../functions/handlers/schedules/service-plan-generator';
import type { LocalStreamPoller } from '../../local/bus/stream-poller';
import {
  AGREEMENT_EXPIRY_TARGET,
  LocalAgreementExpiryScheduler,
  LocalPlanScheduler,
  LocalScheduler,
  MovableClock,
  PLAN_GENERATOR_TARGET,
} from '../../local/scheduler/local-scheduler';
import { startPlanScheduleKeeper } from '../../local/service-plans';
import { startTestApi, type TestApi } from './api';
import { quiet, userPrincipal } from './consumption';

export type Body = Record<string, unknown> & { id: string; version: number };

/**
 * Service plans on the real API and DynamoDB Local, with the local scheduler
 * on an injected clock and the schedule keeper reading the table's stream, as
 * in AWS: `tick(to)` moves the clock and runs every plan whose schedule is
 * due, as EventBridge Scheduler would invoke the generator, until the
 * schedules have caught up with what the runs wrote.
 */
export class PlanWorld {
  admin = '';
  manager = '';
  accountId = '';
  deviceId = '';
  /** A recurring service (the plan's line) and a spare part (another line). */
  serviceId = '';
  partId = '';

  private constructor(
    readonly api: TestApi,
    readonly clock: MovableClock,
    readonly scheduler: LocalScheduler,
    readonly keeper: LocalStreamPoller,
    readonly tenantId: string,
    /** What every run its schedule started did, in order. */
    readonly reports: GenerationReport[],
  ) {}

  static async start(tenantId: string): Promise<PlanWorld> {
    const clock = new MovableClock();
    const scheduler = new LocalScheduler({
      clock,
      onError: (error) => quiet.error('schedule failed', { error }),
    });
    const api = await startTestApi({
      clock,
      planSchedules: new LocalPlanScheduler(scheduler),
      agreementExpiry: new LocalAgreementExpiryScheduler(scheduler),
    });
    const generate = createPlanGeneratorHandler(api.app.servicePlans.generator, clock, quiet);
    const reports: GenerationReport[] = [];
    scheduler.target(PLAN_GENERATOR_TARGET, async (input) => {
      const report = await generate(input);
      reports.push(report);
      return report;
    });
    const expire = createAgreementExpiryHandler(api.app.agreements.agreements, quiet);
    scheduler.target(AGREEMENT_EXPIRY_TARGET, (input) => expire(input));
    const keeper = await startPlanScheduleKeeper(
      api.table.endpoint,
      api.table.tableName,
      api.app,
      quiet,
      'TRIM_HORIZON',
    );
    const world = new PlanWorld(api, clock, scheduler, keeper, tenantId, reports);
    await api.createTenant(tenantId);
    await api.app.masterData.users.create(userPrincipal(tenantId, 'admin', 'crm-admin'), {
      id: 'manager',
      name: 'Mia Manager',
      email: `mia@${tenantId}.example`,
      roles: ['service-manager', 'service-staff'],
    });
    world.admin = api.token(tenantId, 'admin', 'crm-admin');
    world.manager = api.token(tenantId, 'manager', 'service-manager', 'service-staff');
    world.accountId = (await world.ok('POST', '/accounts', { name: 'Acme Heating' })).id;
    world.deviceId = (
      await world.ok('POST', '/devices', {
        accountId: world.accountId,
        serialNumber: `HP-${tenantId}`,
        name: 'Heat pump',
      })
    ).id;
    world.serviceId = (
      await world.ok('POST', '/products', {
        code: `MAINT-${tenantId}`,
        name: 'Heat pump maintenance',
        kind: 'service',
        serviceType: 'recurring',
        price: { amount: 12000, currency: 'EUR' },
      })
    ).id;
    world.partId = (
      await world.ok('POST', '/products', {
        code: `FILTER-${tenantId}`,
        name: 'Filter',
        kind: 'spare-part',
        price: { amount: 1500, currency: 'EUR' },
      })
    ).id;
    return world;
  }

  /** A request as the admin (or `token`) that must succeed; its body. */
  async ok(method: string, path: string, body?: unknown, token = this.admin): Promise<Body> {
    const response = await this.api.request(method, path, { token, ...(body === undefined ? {} : { body }) });
    if (response.status >= 300)
      throw new Error(`${method} ${path} → ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body as Body;
  }

  /** An active agreement of the account (or its device) from `startDate` to `endDate`, with a service line and a part line. */
  async agreement(
    startDate: string,
    endDate: string,
    subject: 'account' | 'device' = 'account',
  ): Promise<Body> {
    const draft = await this.ok('POST', '/service-agreements', {
      name: `Maintenance ${startDate}`,
      subject,
      accountId: this.accountId,
      ...(subject === 'device' ? { deviceId: this.deviceId } : {}),
      startDate,
      endDate,
      coverage: 'partial',
      lines: [
        { productId: this.serviceId, quantity: 4, period: 'yearly', periods: 1, autoCreate: false },
        { productId: this.partId, quantity: 10, autoCreate: false },
      ],
    });
    return this.ok('POST', `/service-agreements/${draft.id}/activate`, { version: draft.version });
  }

  /** Moves the clock to `to` and runs every schedule due by then, and what those runs make due, until none is. */
  async tick(to: string): Promise<string[]> {
    const fired: string[] = [];
    await this.keeper.drain();
    for (let round = 0; round < 100; round++) {
      const names = await this.scheduler.advanceTo(new Date(to));
      await this.keeper.drain();
      if (names.length === 0) return fired;
      fired.push(...names);
    }
    throw new Error(`Schedules still due after 100 rounds: ${fired.slice(-5).join(', ')}`);
  }

  /**
   * `POST /service-plans/{id}/generate` (202), then the run it asks for, as
   * its schedule fires it: what the runs of that plan did, taken together.
   */
  async generate(planId: string): Promise<GenerationReport> {
    const asked = await this.api.request('POST', `/service-plans/${planId}/generate`, { token: this.admin });
    if (asked.status !== 202) throw new Error(`generate → ${asked.status}: ${JSON.stringify(asked.body)}`);
    const from = this.reports.length;
    await this.tick(this.clock.now().toISOString());
    const runs = this.reports.slice(from).filter((report) => report.planId === planId);
    const last = runs.at(-1);
    if (!last) throw new Error(`No run of plan ${planId} followed the request`);
    return {
      ...last,
      generated: runs.flatMap((run) => run.generated),
      existing: runs.reduce((n, r) => n + r.existing, 0),
    };
  }

  /** The plans' pending schedules, once the keeper has caught up with every write so far. */
  async schedules(): Promise<string[]> {
    await this.keeper.drain();
    return this.scheduler.list().map((schedule) => schedule.name);
  }

  /** The outbox event of a type about one entity, as written with the change. */
  async outboxEvent(type: string, id: string): Promise<DomainEvent> {
    const page = await this.api.table.client.send(
      new ScanCommand({
        TableName: this.api.table.tableName,
        FilterExpression: 'entityType = :type AND #event.#type = :eventType AND #event.detail.id = :id',
        ExpressionAttributeNames: { '#event': 'event', '#type': 'type' },
        ExpressionAttributeValues: { ':type': 'OutboxEvent', ':eventType': type, ':id': id },
      }),
    );
    const [item] = page.Items ?? [];
    if (!item) throw new Error(`No ${type} of ${id} in the outbox`);
    return item.event as DomainEvent;
  }

  /** Every work order of the tenant that a plan generated, read from the table itself. */
  async planWorkOrders(planId: string): Promise<WorkOrder[]> {
    const found: WorkOrder[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.api.table.client.send(
        new ScanCommand({
          TableName: this.api.table.tableName,
          FilterExpression: 'entityType = :type AND servicePlan.planId = :plan',
          ExpressionAttributeValues: { ':type': 'WorkOrder', ':plan': planId },
          ExclusiveStartKey: start,
        }),
      );
      found.push(...((page.Items ?? []) as WorkOrder[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return found.sort((a, b) =>
      (a.servicePlan?.occurrence ?? '').localeCompare(b.servicePlan?.occurrence ?? ''),
    );
  }

  async close(): Promise<void> {
    await this.scheduler.stop();
    await this.keeper.stop();
    await this.api.close();
  }
}
