import { ConflictError, ValidationError } from '../shared/errors';
import type { DomainEvent } from '../shared/events';
import type { ServiceContext } from '../shared/master-data-service';
import { FORWARDED_RECORDS, renderForwardMail, workOrderForwardedDetail } from './forward';
import { type MailContent, type MailOutcome, type MailPurpose, type MailSender, sendOnce } from './mail-once';
import type { TimelineReader, WorkOrderRepository } from './ports';
import { type Reminder, type ReminderDue, type ReminderRepository, renderReminderMail } from './reminder';
import { newRecord } from './service-record';
import type { WorkOrder } from './work-order';
import type { WorkOrderLookups } from './work-order-context';
import { customerOf, namesOf } from './work-order-parties';

export interface WorkOrderMailerDependencies extends MailSender {
  store: WorkOrderRepository;
  timeline: TimelineReader;
  reminders: ReminderRepository;
  lookups: Omit<WorkOrderLookups, 'types'>;
}

/** What a `mail-failed` record says about the mail besides the reason. */
type FailedMail = { mail: 'forwarded' | 'reminder'; to: string[] } & Record<string, unknown>;

/**
 * The asynchronous side: mails for forwarded work orders (from the
 * `WorkOrderForwarded` event) and for due reminders (from their schedule).
 * Each runs at least once and sends at most once, by its claim.
 */
export class WorkOrderMailer {
  constructor(
    private readonly deps: WorkOrderMailerDependencies,
    private readonly context: ServiceContext,
  ) {}

  async deliverForwarded(event: DomainEvent): Promise<MailOutcome> {
    const parsed = workOrderForwardedDetail.safeParse(event.detail);
    if (event.type !== 'WorkOrderForwarded' || !parsed.success) {
      throw new ValidationError(`Not a WorkOrderForwarded event: ${event.type} ${event.id}`);
    }
    const detail = parsed.data;
    const { tenantId } = event;
    const workOrder = await this.deps.store.get(tenantId, detail.id);
    if (!workOrder) return { outcome: 'skipped', reason: 'work order not found' };
    const about = { mail: 'forwarded' as const, eventId: event.id, recordId: detail.recordId, to: detail.to };
    return this.send(workOrder, { kind: 'forward', eventId: event.id }, about, async () => {
      const [customer, records, people] = await Promise.all([
        customerOf(this.deps.lookups, workOrder),
        this.deps.timeline.recent(tenantId, workOrder.id, FORWARDED_RECORDS),
        namesOf(this.deps.lookups.users, tenantId, event.actorId ? [event.actorId] : []),
      ]);
      const content = renderForwardMail({
        workOrder,
        customer,
        records,
        forwardedBy: (event.actorId && people[event.actorId]) || 'Field Service',
        note: detail.note,
      });
      return { ...content, to: detail.to };
    });
  }

  /** Marks the reminder fired (once), then mails the user (once). */
  async deliverReminder(due: ReminderDue): Promise<MailOutcome> {
    const { tenantId, workOrderId, reminderId } = due;
    let reminder = await this.deps.reminders.get(tenantId, workOrderId, reminderId);
    if (!reminder) return { outcome: 'skipped', reason: 'reminder not found' };
    if (reminder.status === 'scheduled') {
      const now = this.context.clock.now().toISOString();
      const next: Reminder = {
        ...reminder,
        status: 'fired',
        firedAt: now,
        version: reminder.version + 1,
        updatedAt: now,
      };
      const record = newRecord(this.context, workOrderId, 'reminder-set', undefined, {
        data: { reminderId, userId: reminder.userId, at: reminder.at, status: 'fired' },
      });
      if (await this.deps.reminders.transition(reminder, next, record)) reminder = next;
      else reminder = await this.deps.reminders.get(tenantId, workOrderId, reminderId);
      if (!reminder) return { outcome: 'skipped', reason: 'reminder not found' };
    }
    if (reminder.status === 'cancelled') return { outcome: 'skipped', reason: 'reminder cancelled' };
    if (reminder.status !== 'fired') throw new ConflictError(`Reminder ${reminderId} is ${reminder.status}`);

    const [workOrder, user] = await Promise.all([
      this.deps.store.get(tenantId, workOrderId),
      this.deps.lookups.users.get(tenantId, reminder.userId),
    ]);
    if (!workOrder) return { outcome: 'skipped', reason: 'work order not found' };
    if (!user || user.status === 'disabled') return { outcome: 'skipped', reason: 'user gone or disabled' };
    const fired = reminder;
    const about = { mail: 'reminder' as const, reminderId, to: [user.email] };
    return this.send(workOrder, { kind: 'reminder', reminderId }, about, async () => {
      const people = await namesOf(this.deps.lookups.users, tenantId, [fired.createdBy]);
      const content = renderReminderMail(workOrder, fired, {
        user: user.name,
        setBy: people[fired.createdBy] ?? fired.createdBy,
      });
      return { ...content, to: [user.email] };
    });
  }

  /** A failure is never silent: it goes on the work order's timeline, what failed and why. */
  private send(
    workOrder: WorkOrder,
    purpose: MailPurpose,
    about: FailedMail,
    compose: () => Promise<MailContent>,
  ): Promise<MailOutcome> {
    const target = { tenantId: workOrder.tenantId, workOrderId: workOrder.id, purpose };
    return sendOnce(this.deps, target, compose, async (error) => {
      const reason = error instanceof Error ? error.message : String(error);
      const failed = newRecord(this.context, workOrder.id, 'mail-failed', undefined, {
        text: reason.length > 500 ? `${reason.slice(0, 499)}…` : reason,
        data: about,
      });
      // A work order deleted meanwhile refuses the record; the send failure is thrown all the same.
      await this.deps.store.appendRecords(workOrder, [failed]);
    });
  }
}
