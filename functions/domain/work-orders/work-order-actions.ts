import type { Principal } from '../access/principal';
import type { Account } from '../customers/account';
import type { Contact } from '../customers/contact';
import type { Device } from '../customers/device';
import { assertCanBeInCharge, type User } from '../organisation/user';
import { MAX_PAGE_SIZE, type Page, type PageRequest, pageRequest } from '../shared/entity';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import type { DomainEvent } from '../shared/events';
import { automaticMailHeaders, type OutboundMail, type OutgoingMail } from '../shared/mail';
import type { ServiceContext } from '../shared/master-data-service';
import type { Claim } from '../shared/ports';
import { canHandle } from './access';
import { workOrderEvent } from './events';
import {
  type CustomerOfWorkOrder,
  FORWARDED_RECORDS,
  type ForwardInput,
  renderForwardMail,
  workOrderForwardedDetail,
} from './forward';
import type { WorkOrderRepository } from './ports';
import {
  MAX_REMINDER_DAYS_AHEAD,
  type Reminder,
  type ReminderDue,
  type ReminderRepository,
  type ReminderScheduler,
  renderReminderMail,
  type SetReminderInput,
} from './reminder';
import { newRecord, type RecordKind, type ServiceRecord } from './service-record';
import type { WorkOrder } from './work-order';
import type { WorkOrderService } from './work-order-service';
import type { WorkOrderType } from './work-order-type';

/**
 * Print, forward and reminders: what people do *with* a work order besides
 * handling it. Anyone who may read a work order may print it, forward it and
 * set a reminder on it; the mail itself goes out asynchronously.
 */

interface Lookup<T> {
  get(tenantId: string, id: string): Promise<T | undefined>;
}

export interface CustomerLookups {
  accounts: Lookup<Account>;
  contacts: Lookup<Contact>;
  devices: Lookup<Device>;
}

/** The latest entries of a timeline (the repository's own `records` reads oldest first). */
export interface TimelineReader {
  recent(tenantId: string, workOrderId: string, limit: number): Promise<ServiceRecord[]>;
}

export type MailClaimState = 'claimed' | 'sent' | 'busy';

/**
 * One claim per mail we send (an event id, a reminder id), written before
 * sending: a retried invocation finds it and does not send again. A claim
 * whose sender died before finishing expires after its lease and is taken over.
 */
export interface MailClaims {
  claim(tenantId: string, workOrderId: string, key: string, leaseSeconds: number): Promise<MailClaimState>;
  complete(tenantId: string, workOrderId: string, key: string, messageId: string): Promise<void>;
  release(tenantId: string, workOrderId: string, key: string): Promise<void>;
}

/** Twice the timeout of the functions that send (30 s): a claim older than this was abandoned. */
export const MAIL_CLAIM_LEASE_SECONDS = 60;
/** A printout shows at most this many timeline entries (ten pages). */
export const MAX_PRINTED_RECORDS = 1000;

export type MailOutcome =
  | { outcome: 'sent'; messageId: string }
  | { outcome: 'already-sent' }
  | { outcome: 'skipped'; reason: string };

abstract class ActionBase {
  constructor(protected readonly context: ServiceContext) {}

  protected now(): string {
    return this.context.clock.now().toISOString();
  }

  protected record(
    workOrderId: string,
    kind: RecordKind,
    actorId: string | undefined,
    extra: { text?: string; data?: Record<string, unknown> } = {},
  ): ServiceRecord {
    return newRecord(this.context, workOrderId, kind, actorId, extra);
  }
}

function assertLive(workOrder: WorkOrder): void {
  if (workOrder.lifecycle === 'obsolete')
    throw new ConflictError(`Work order ${workOrder.number} is obsolete`, { reason: 'obsolete' });
}

/** Forward: a timeline record and a `WorkOrderForwarded` event, in one transaction; the mailer sends. */
export class WorkOrderForwarding extends ActionBase {
  constructor(
    private readonly workOrders: WorkOrderService,
    private readonly store: Pick<WorkOrderRepository, 'appendRecords'>,
    context: ServiceContext,
  ) {
    super(context);
  }

  async forward(principal: Principal, id: string, input: ForwardInput): Promise<ServiceRecord> {
    const workOrder = await this.workOrders.get(principal, id);
    assertLive(workOrder);
    const to = [...new Set(input.to.map((address) => address.toLowerCase()))];
    const record = this.record(workOrder.id, 'forwarded', principal.userId, {
      text: input.note,
      data: { to },
    });
    const event = workOrderEvent(
      'WorkOrderForwarded',
      workOrder,
      { id: this.context.ids.next(), occurredAt: record.at, actorId: principal.userId },
      { recordId: record.id, to, ...(input.note ? { note: input.note } : {}) },
    );
    await this.store.appendRecords(workOrder, [record], { events: [event] });
    return record;
  }
}

export interface PrintView {
  workOrder: WorkOrder;
  type?: WorkOrderType;
  customer: CustomerOfWorkOrder;
  /** Oldest first. */
  records: ServiceRecord[];
  /** More entries exist than a printout shows. */
  truncated: boolean;
  /** Names of the people the page mentions, by user id. */
  people: Record<string, string>;
  printedAt: string;
  printedBy: string;
}

/** Everything a printable work order shows, read with the reader's rights. */
export class WorkOrderPrinting extends ActionBase {
  constructor(
    private readonly workOrders: WorkOrderService,
    private readonly store: WorkOrderRepository,
    private readonly lookups: CustomerLookups & { users: Lookup<User>; types: Lookup<WorkOrderType> },
    context: ServiceContext,
  ) {
    super(context);
  }

  async view(principal: Principal, id: string): Promise<PrintView> {
    const workOrder = await this.workOrders.get(principal, id);
    const { tenantId } = principal;
    const records: ServiceRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.records(tenantId, workOrder.id, { limit: MAX_PAGE_SIZE, cursor });
      records.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && records.length < MAX_PRINTED_RECORDS);
    const [customer, type] = await Promise.all([
      customerOf(this.lookups, workOrder),
      workOrder.typeId ? this.lookups.types.get(tenantId, workOrder.typeId) : undefined,
    ]);
    const ids = new Set(
      [
        workOrder.ownerId,
        workOrder.createdBy,
        principal.userId,
        ...workOrder.team.map((m) => m.userId),
        ...records.map((r) => r.actorId),
      ].filter((v): v is string => Boolean(v)),
    );
    const people = await namesOf(this.lookups.users, tenantId, [...ids]);
    return {
      workOrder,
      ...(type ? { type } : {}),
      customer,
      records: records.slice(0, MAX_PRINTED_RECORDS),
      truncated: Boolean(cursor) || records.length > MAX_PRINTED_RECORDS,
      people,
      printedAt: this.now(),
      printedBy: principal.userId,
    };
  }
}

/** Reminders: a one-time schedule per reminder, and the item that says what became of it. */
export class WorkOrderReminders extends ActionBase {
  constructor(
    private readonly workOrders: WorkOrderService,
    private readonly reminders: ReminderRepository,
    private readonly scheduler: ReminderScheduler,
    private readonly users: Lookup<User>,
    context: ServiceContext,
  ) {
    super(context);
  }

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
    const created = this.now();
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
    const record = this.record(workOrder.id, 'reminder-set', principal.userId, {
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
    const now = this.now();
    const next: Reminder = {
      ...reminder,
      status: 'cancelled',
      cancelledAt: now,
      cancelledBy: principal.userId,
      version: reminder.version + 1,
      updatedAt: now,
    };
    const record = this.record(workOrder.id, 'reminder-set', principal.userId, {
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

export interface WorkOrderMailerDependencies {
  store: WorkOrderRepository;
  timeline: TimelineReader;
  reminders: ReminderRepository;
  lookups: CustomerLookups & { users: Lookup<User> };
  claims: MailClaims;
  mail: OutboundMail;
  /** The service mailbox the mail comes from, e.g. `service@service.example.eu`. */
  from: string;
}

/**
 * The asynchronous side: mails for forwarded work orders (from the
 * `WorkOrderForwarded` event) and for due reminders (from their schedule).
 * Each runs at least once and sends at most once, by its claim.
 */
export class WorkOrderMailer extends ActionBase {
  constructor(
    private readonly deps: WorkOrderMailerDependencies,
    context: ServiceContext,
  ) {
    super(context);
  }

  async deliverForwarded(event: DomainEvent): Promise<MailOutcome> {
    const parsed = workOrderForwardedDetail.safeParse(event.detail);
    if (event.type !== 'WorkOrderForwarded' || !parsed.success) {
      throw new ValidationError(`Not a WorkOrderForwarded event: ${event.type} ${event.id}`);
    }
    const detail = parsed.data;
    const { tenantId } = event;
    const workOrder = await this.deps.store.get(tenantId, detail.id);
    if (!workOrder) return { outcome: 'skipped', reason: 'work order not found' };
    const about = { mail: 'forwarded' as const, recordId: detail.recordId, to: detail.to };
    return this.sendOnce(workOrder, `forward#${event.id}`, about, async () => {
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
      const now = this.now();
      const next: Reminder = {
        ...reminder,
        status: 'fired',
        firedAt: now,
        version: reminder.version + 1,
        updatedAt: now,
      };
      const record = this.record(workOrderId, 'reminder-set', undefined, {
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
    return this.sendOnce(workOrder, `reminder#${reminderId}`, about, async () => {
      const people = await namesOf(this.deps.lookups.users, tenantId, [fired.createdBy]);
      const content = renderReminderMail(workOrder, fired, {
        user: user.name,
        setBy: people[fired.createdBy] ?? fired.createdBy,
      });
      return { ...content, to: [user.email] };
    });
  }

  /**
   * Sends once per key. A failure is never silent: it is written on the
   * timeline (what failed and why) and thrown, so the function retries and
   * finally dead-letters the event, which raises the alarm.
   */
  private async sendOnce(
    workOrder: WorkOrder,
    key: string,
    about: { mail: 'forwarded' | 'reminder'; to: string[] } & Record<string, unknown>,
    compose: () => Promise<Pick<OutgoingMail, 'to' | 'subject' | 'text' | 'html'>>,
  ): Promise<MailOutcome> {
    const { tenantId, id: workOrderId } = workOrder;
    const { claims, mail, from } = this.deps;
    const state = await claims.claim(tenantId, workOrderId, key, MAIL_CLAIM_LEASE_SECONDS);
    if (state === 'sent') return { outcome: 'already-sent' };
    // Throwing makes Lambda retry later: by then the other sender finished, or its lease ran out.
    if (state === 'busy') throw new ConflictError(`Mail ${key} is being sent by another invocation`);
    let messageId: string;
    try {
      const content = await compose();
      ({ messageId } = await mail.send({ from, ...content, headers: automaticMailHeaders(from) }));
    } catch (error) {
      await claims.release(tenantId, workOrderId, key).catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      const failed = this.record(workOrderId, 'mail-failed', undefined, {
        text: reason.length > 500 ? `${reason.slice(0, 499)}…` : reason,
        data: { ...about, key },
      });
      // The send failure is what is thrown either way; a work order deleted meanwhile takes no record.
      await this.deps.store.appendRecords(workOrder, [failed]).catch(() => undefined);
      throw error;
    }
    await claims.complete(tenantId, workOrderId, key, messageId);
    return { outcome: 'sent', messageId };
  }
}

async function customerOf(lookups: CustomerLookups, workOrder: WorkOrder): Promise<CustomerOfWorkOrder> {
  const { tenantId } = workOrder;
  const [account, contact, device] = await Promise.all([
    workOrder.accountId ? lookups.accounts.get(tenantId, workOrder.accountId) : undefined,
    workOrder.contactId ? lookups.contacts.get(tenantId, workOrder.contactId) : undefined,
    workOrder.deviceId ? lookups.devices.get(tenantId, workOrder.deviceId) : undefined,
  ]);
  return {
    ...(account ? { account } : {}),
    ...(contact ? { contact } : {}),
    ...(device ? { device } : {}),
  };
}

/** Display names by user id; an unknown (deleted) user keeps its id. */
async function namesOf(
  users: Lookup<User>,
  tenantId: string,
  ids: string[],
): Promise<Record<string, string>> {
  const found = await Promise.all([...new Set(ids)].map((id) => users.get(tenantId, id)));
  return Object.fromEntries(ids.map((id) => [id, found.find((u) => u?.id === id)?.name ?? id]));
}
