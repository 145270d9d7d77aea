import * as z from 'zod/mini';
import type { Entity, Page, PageRequest } from '../shared/entity';
import { escapeHtml } from '../shared/mail';
import type { WriteEffects } from '../shared/ports';
import { entityFields, identifier, isoTimestamp, optionalText } from '../shared/schema';
import { labelOf, workOrderSubject } from './forward';
import type { ServiceRecord } from './service-record';
import type { WorkOrder } from './work-order';

export const REMINDER_STATUSES = ['scheduled', 'fired', 'cancelled'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

/** How far ahead a reminder may be set. */
export const MAX_REMINDER_DAYS_AHEAD = 365;

/** A reminder to one user about one work order, at one moment: a one-time schedule in EventBridge Scheduler. */
export interface Reminder extends Entity {
  workOrderId: string;
  userId: string;
  /** UTC, whole seconds: what the schedule's `at(...)` expression holds. */
  at: string;
  note?: string;
  status: ReminderStatus;
  createdBy: string;
  firedAt?: string;
  cancelledAt?: string;
  cancelledBy?: string;
}

export const setReminderInput = z.strictObject({
  userId: identifier,
  at: isoTimestamp,
  note: optionalText(2000),
});
export type SetReminderInput = z.infer<typeof setReminderInput>;

export const reminderSchema = z.object({
  ...entityFields,
  workOrderId: z.string(),
  userId: z.string(),
  at: z.string(),
  note: z.optional(z.string()),
  status: z.enum(REMINDER_STATUSES),
  createdBy: z.string(),
  firedAt: z.optional(z.string()),
  cancelledAt: z.optional(z.string()),
  cancelledBy: z.optional(z.string()),
});

/** What the schedule hands to the reminder function when the reminder is due. */
export const reminderDuePayload = z.object({
  tenantId: z.string().check(z.minLength(1)),
  workOrderId: z.string().check(z.minLength(1)),
  reminderId: z.string().check(z.minLength(1)),
});
export type ReminderDue = z.infer<typeof reminderDuePayload>;

export interface ReminderRepository {
  /**
   * The reminder, its timeline record and the Idempotency-Key claim, together;
   * fails with ConflictError if the work order is gone.
   */
  create(
    workOrder: WorkOrder,
    reminder: Reminder,
    record: ServiceRecord,
    effects?: WriteEffects,
  ): Promise<void>;
  get(tenantId: string, workOrderId: string, id: string): Promise<Reminder | undefined>;
  /** The reminders of one work order, oldest first. */
  list(tenantId: string, workOrderId: string, page: PageRequest): Promise<Page<Reminder>>;
  /**
   * Moves a scheduled reminder on (fired, cancelled) with its timeline record.
   * False when it was no longer scheduled at that version: someone else moved it first.
   */
  transition(previous: Reminder, next: Reminder, record: ServiceRecord): Promise<boolean>;
}

/** One-time schedules that invoke the reminder function at the reminder's time. */
export interface ReminderScheduler {
  schedule(reminder: Reminder): Promise<void>;
  /** Removes the schedule; one that already fired (and deleted itself) is not an error. */
  cancel(reminder: Reminder): Promise<void>;
}

/** The name of a reminder's schedule: unique in the group, within Scheduler's 64 characters. */
export const scheduleNameOf = (reminder: Pick<Reminder, 'id'>) => `reminder-${reminder.id}`;

/**
 * The reminder mail. It says which work order and why, and no more: the
 * reminded user may not be allowed to read the whole work order.
 */
export function renderReminderMail(
  workOrder: WorkOrder,
  reminder: Reminder,
  people: { user: string; setBy: string },
): { subject: string; text: string; html: string } {
  const subject = `Reminder: ${workOrderSubject(workOrder)}`;
  const lines = [
    `Hello ${people.user},`,
    '',
    `${people.setBy} asked to remind you of work order ${workOrder.number} at ${reminder.at}.`,
    '',
    `  Work order: ${workOrder.number}`,
    `  Title:      ${workOrder.title}`,
    `  Status:     ${labelOf(workOrder.status)}`,
    `  Priority:   ${labelOf(workOrder.priority)}`,
  ];
  if (reminder.note) lines.push('', 'Note:', reminder.note);
  lines.push('', '-- ', 'Field Service (automatic message)');
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>Hello ${escapeHtml(people.user)},</p>
<p>${escapeHtml(people.setBy)} asked to remind you of work order <strong>${escapeHtml(workOrder.number)}</strong> at ${escapeHtml(reminder.at)}.</p>
<table>
<tr><th align="left">Work order</th><td>${escapeHtml(workOrder.number)}</td></tr>
<tr><th align="left">Title</th><td>${escapeHtml(workOrder.title)}</td></tr>
<tr><th align="left">Status</th><td>${escapeHtml(labelOf(workOrder.status))}</td></tr>
<tr><th align="left">Priority</th><td>${escapeHtml(labelOf(workOrder.priority))}</td></tr>
</table>
${reminder.note ? `<p><strong>Note:</strong><br>${escapeHtml(reminder.note).replace(/\n/g, '<br>')}</p>` : ''}
<p style="color:#666">Field Service (automatic message)</p>
</body></html>`;
  return { subject, text: lines.join('\n'), html };
}
