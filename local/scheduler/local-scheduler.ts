import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type Agreement,
  expiryAtOf,
  expiryScheduleNameOf,
} from '../../functions/domain/agreements/agreement';
import type { AgreementExpiryDue, AgreementExpiryScheduler } from '../../functions/domain/agreements/ports';
import type { PlanDue, PlanScheduler } from '../../functions/domain/service-plans/ports';
import { planScheduleNameOf, type ServicePlan } from '../../functions/domain/service-plans/service-plan';
import {
  type Reminder,
  type ReminderDue,
  type ReminderScheduler,
  scheduleNameOf,
} from '../../functions/domain/work-orders/reminder';
import type { Clock } from '../../functions/shared/clock';

/** One pending one-time schedule, as EventBridge Scheduler would hold it. */
export interface LocalSchedule {
  name: string;
  /** When it fires (ISO, UTC). */
  at: string;
  /** Which function it invokes (`reminder` when absent: schedules saved before there were others). */
  target?: string;
  /** The target's input, exactly the JSON the AWS adapter sends. */
  input: string;
}

/** What a schedule invokes, by target name: the local stand-in of the function's ARN. */
export type LocalTarget = (input: unknown) => Promise<unknown>;

/**
 * A clock that runs with real time from wherever it was last moved to: moving
 * it forward is how the local runtime and the tests make schedules come due.
 */
export class MovableClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Only forward: a schedule that fired stays fired. */
  moveTo(date: Date): void {
    this.offsetMs = Math.max(this.offsetMs, date.getTime() - Date.now());
  }
}

export interface LocalSchedulerOptions {
  /** Where schedules survive a restart of `npm start`; none: memory only. */
  file?: string;
  clock?: MovableClock;
  /** How often the timer looks for due schedules. Default 1 s. */
  intervalMs?: number;
  onError?: (error: unknown, schedule: LocalSchedule) => void;
}

/**
 * EventBridge Scheduler for the local runtime: one-time `at(...)` schedules
 * held in memory (and in `.local/schedules.json`), fired by a timer or by
 * `advanceTo(date)`, deleted once fired as ActionAfterCompletion DELETE does.
 * Each schedule names its target; `target(name, fn)` says what that invokes.
 */
export class LocalScheduler {
  readonly clock: MovableClock;
  private readonly schedules = new Map<string, LocalSchedule>();
  private readonly targets = new Map<string, LocalTarget>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<string[]> | undefined;

  constructor(private readonly options: LocalSchedulerOptions = {}) {
    this.clock = options.clock ?? new MovableClock();
    if (options.file && existsSync(options.file)) {
      const saved = JSON.parse(readFileSync(options.file, 'utf8')) as LocalSchedule[];
      for (const schedule of saved) this.schedules.set(schedule.name, schedule);
    }
  }

  /** What schedules with this target invoke. */
  target(name: string, invoke: LocalTarget): this {
    this.targets.set(name, invoke);
    return this;
  }

  /** Creates a schedule, or leaves one of the same name as it is (a retried create). */
  put(schedule: LocalSchedule): void {
    this.schedules.set(schedule.name, { ...schedule, at: new Date(schedule.at).toISOString() });
    this.save();
  }

  /** Deletes a schedule; false when there was none (fired already, or never made). */
  remove(name: string): boolean {
    const removed = this.schedules.delete(name);
    if (removed) this.save();
    return removed;
  }

  /** Pending schedules, soonest first. */
  list(): LocalSchedule[] {
    return [...this.schedules.values()].sort((a, b) => a.at.localeCompare(b.at));
  }

  /** Fires whatever is due every `intervalMs` until `stop()`. */
  start(): this {
    this.timer ??= setInterval(() => void this.runDue(), this.options.intervalMs ?? 1000);
    this.timer.unref();
    return this;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Moves the clock to `date` and fires every schedule due by then; resolves with their names. */
  async advanceTo(date: Date): Promise<string[]> {
    this.clock.moveTo(date);
    return this.runDue();
  }

  /** Fires the schedules due now, soonest first, one at a time; one run at a time. */
  async runDue(): Promise<string[]> {
    while (this.running) await this.running;
    this.running = this.fireDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async fireDue(): Promise<string[]> {
    const now = this.clock.now().toISOString();
    const due = this.list().filter((schedule) => schedule.at <= now);
    for (const schedule of due) {
      // Deleted before the invocation, as after completion in AWS: a failing target is not fired again
      // by the scheduler (Lambda's own retries and DLQ are what take over there).
      this.schedules.delete(schedule.name);
      this.save();
      try {
        const invoke = this.targets.get(schedule.target ?? REMINDER_TARGET);
        if (!invoke) throw new Error(`No local target ${schedule.target} for schedule ${schedule.name}`);
        await invoke(JSON.parse(schedule.input));
      } catch (error) {
        this.options.onError?.(error, schedule);
      }
    }
    return due.map((schedule) => schedule.name);
  }

  private save(): void {
    const { file } = this.options;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, `${JSON.stringify(this.list(), null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  }
}

const REMINDER_TARGET = 'reminder';

/** Reminders on the local scheduler: one schedule per reminder, as in AWS. */
export class LocalReminderScheduler extends LocalScheduler implements ReminderScheduler {
  constructor(fire: (input: ReminderDue) => Promise<unknown>, options: LocalSchedulerOptions = {}) {
    super(options);
    this.target(REMINDER_TARGET, (input) => fire(input as ReminderDue));
  }

  async schedule(reminder: Reminder): Promise<void> {
    const input: ReminderDue = {
      tenantId: reminder.tenantId,
      workOrderId: reminder.workOrderId,
      reminderId: reminder.id,
    };
    this.put({
      name: scheduleNameOf(reminder),
      at: reminder.at,
      target: REMINDER_TARGET,
      input: JSON.stringify(input),
    });
  }

  async cancel(reminder: Reminder): Promise<void> {
    this.remove(scheduleNameOf(reminder));
  }
}

export const AGREEMENT_EXPIRY_TARGET = 'agreement-expiry';

/** Agreement expiries on the local scheduler: one schedule per activated agreement, as in AWS. */
export class LocalAgreementExpiryScheduler implements AgreementExpiryScheduler {
  constructor(private readonly scheduler: LocalScheduler) {}

  async schedule(agreement: Pick<Agreement, 'tenantId' | 'id' | 'endDate'>): Promise<void> {
    const input: AgreementExpiryDue = { tenantId: agreement.tenantId, agreementId: agreement.id };
    this.scheduler.put({
      name: expiryScheduleNameOf(agreement),
      at: expiryAtOf(agreement),
      target: AGREEMENT_EXPIRY_TARGET,
      input: JSON.stringify(input),
    });
  }
}

export const PLAN_GENERATOR_TARGET = 'service-plan-generator';

/** Plan schedules on the local scheduler: one per plan, moved by each save and run, as in AWS. */
export class LocalPlanScheduler implements PlanScheduler {
  constructor(private readonly scheduler: LocalScheduler) {}

  async schedule(plan: Pick<ServicePlan, 'tenantId' | 'id'>, at: string): Promise<void> {
    const input: PlanDue = { tenantId: plan.tenantId, planId: plan.id };
    this.scheduler.put({
      name: planScheduleNameOf(plan),
      at,
      target: PLAN_GENERATOR_TARGET,
      input: JSON.stringify(input),
    });
  }

  async remove(plan: Pick<ServicePlan, 'tenantId' | 'id'>): Promise<void> {
    this.scheduler.remove(planScheduleNameOf(plan));
  }
}
