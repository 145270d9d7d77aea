import type { Principal } from '../access/principal';
import { assertCanBeInCharge, type User } from '../organisation/user';
import { type Page, type PageRequest, pageRequest } from '../shared/entity';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import type { ServiceContext } from '../shared/master-data-service';
import type { Claim } from '../shared/ports';
import { canHandle } from './access';
import type { WorkOrderReader } from './find-work-orders';
import {
  MAX_REMINDER_DAYS_AHEAD,
  type Reminder,
  type ReminderRepository,
  type ReminderScheduler,
  type SetReminderInput,
} from './reminder';
import { newRecord } from './service-record';
import { assertLive } from './work-order';
import type { Lookup } from './work-order-context';

/**
 * Reminders: anyone who may read a work order may set one. A one-time schedule
 * per reminder, and the item that says what became of it; the mailer sends
 * when it is due.
 */
export class WorkOrderReminders {
  constructor(
    private readonly workOrders: WorkOrderReader,
    private readonly reminders: ReminderRepository,
    private readonly scheduler: ReminderScheduler,
    private readonly users: Lookup<User>,
    private readonly context: ServiceContext,
  ) {}

  async set(
    principal: Principal,
    workOrderId: string,
    input: SetReminderInput,
    claims: readonly Claim[] = [],
  ): Promise<Reminder> {
    const workOrder = await this.workOrders.get(principal, workOrderId);
    assertLive(workOrder);
    const now = this.context.clock.now();
    // Scheduler fires on whole seconds; rounding up never fires before the time asked for.
    const at = new Date(Math.ceil(new Date(input.at).getTime() / 1000) * 1000);
    if (at.getTime() <= now.getTime()) {
      throw new ValidationError('A reminder is for a time in the future', [
        { field: 'at', message: `Must be after ${now.toISOString()}` },
      ]);
    }
    if (at.getTime() > now.getTime() + MAX_REMINDER_DAYS_AHEAD * 24 * 3600 * 1000) {
      throw new ValidationError(`A reminder is at most ${MAX_REMINDER_DAYS_AHEAD} days ahead`, [
        { field: 'at', message: `Must be within ${MAX_REMINDER_DAYS_AHEAD} days` },
      ]);
    }
    const user = await this.users.get(principal.tenantId, input.userId);
    if (!user)
      throw new ValidationError('userId refers to an unknown user', [
        { field: 'userId', message: `No user ${input.userId}` },
      ]);
    assertCanBeInCharge(user, 'userId');
    const created = this.context.clock.now().toISOString();
    const reminder: Reminder = {
      id: this.context.ids.next(),
      tenantId: principal.tenantId,
      version: 1,
      createdAt: created,
      updatedAt: created,
      workOrderId: workOrder.id,
      userId: user.id,
      at: at.toISOString(),
      ...(input.note ? { note: input.note } : {}),
      status: 'scheduled',
      createdBy: principal.userId,
    };
    const record = newRecord(this.context, workOrder.id, 'reminder-set', principal.userId, {
      text: input.note,
      data: { reminderId: reminder.id, userId: user.id, at: reminder.at, status: 'scheduled' },
    });
    // Schedule first: a schedule without its reminder item fires into nothing (the function skips it),
    // whereas a reminder item without its schedule would silently never fire.
    await this.scheduler.schedule(reminder);
    try {
      await this.reminders.create(workOrder, reminder, record, { claims });
    } catch (error) {
      await this.scheduler.cancel(reminder).catch(() => undefined);
      throw error;
    }
    return reminder;
  }

  async list(principal: Principal, workOrderId: string, page: Partial<PageRequest>): Promise<Page<Reminder>> {
    const workOrder = await this.workOrders.get(principal, workOrderId);
    return this.reminders.list(principal.tenantId, workOrder.id, pageRequest(page));
  }

  /** Who set it, whom it reminds, and whoever may handle the work order may cancel a reminder. */
  async cancel(principal: Principal, workOrderId: string, reminderId: string): Promise<Reminder> {
    const workOrder = await this.workOrders.get(principal, workOrderId);
    const reminder = await this.reminders.get(principal.tenantId, workOrder.id, reminderId);
    if (!reminder) throw new NotFoundError('Reminder', reminderId);
    const mayCancel =
      reminder.createdBy === principal.userId ||
      reminder.userId === principal.userId ||
      (await canHandle(workOrder, this.workOrders.viewer(principal)));
    if (!mayCancel) {
      throw new ForbiddenError(
        'A reminder is cancelled by whoever set it, the person it reminds, or someone who may handle the work order',
      );
    }
    if (reminder.status !== 'scheduled')
      throw new ConflictError(`Reminder ${reminder.id} is already ${reminder.status}`, {
        reminderStatus: reminder.status,
      });
    const now = this.context.clock.now().toISOString();
    const next: Reminder = {
      ...reminder,
      status: 'cancelled',
      cancelledAt: now,
      cancelledBy: principal.userId,
      version: reminder.version + 1,
      updatedAt: now,
    };
    const record = newRecord(this.context, workOrder.id, 'reminder-set', principal.userId, {
      data: { reminderId: reminder.id, userId: reminder.userId, at: reminder.at, status: 'cancelled' },
    });
    if (!(await this.reminders.transition(reminder, next, record))) {
      throw new ConflictError(`Reminder ${reminder.id} changed meanwhile (it may have just fired)`);
    }
    // After the item: should this fail, the schedule fires and the function finds the reminder cancelled.
    await this.scheduler.cancel(next);
    return next;
  }
}
