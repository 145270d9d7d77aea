import { Duration, type Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EVENT_FUNCTIONS } from '../../functions/handlers/event-functions';
import { AsyncFunction } from '../constructs/async-function';
import type { DomainEventBus } from '../constructs/event-bus';
import type { ServiceApi } from '../constructs/http-api';
import { MailSender } from '../constructs/mail-sender';
import { ScheduleGroup } from '../constructs/schedule-group';

/** Print, forward and reminders: what runs outside the API for them. */
export interface WorkOrderActionResources {
  /** Mails forwarded work orders (EventBridge rule on `WorkOrderForwarded`). */
  readonly mailer: AsyncFunction;
  /** Invoked by each reminder's one-time schedule. */
  readonly reminder: AsyncFunction;
  /** Where the work-order-actions API function creates one schedule per reminder. */
  readonly reminderSchedules: ScheduleGroup;
  /** `service@<mailDomain>`: the sender of every mail. */
  readonly mailSender: MailSender;
}

export interface WorkOrderActionsWiring {
  readonly api: ServiceApi;
  readonly eventBus: DomainEventBus;
  readonly table: ITableV2;
  readonly mailDomain: string;
}

/**
 * Forward and reminders. The mailer follows `WorkOrderForwarded` on the bus;
 * each reminder is a one-time schedule in this stack's group, created by the
 * work-order-actions API function, that invokes the reminder function. Both
 * send through SES as `service@<mailDomain>`, and only as that domain.
 *
 * A function rather than a construct: the resources stay direct children of
 * the stack, so they keep the logical IDs they were deployed with.
 */
export function createWorkOrderActions(
  stack: Stack,
  wiring: WorkOrderActionsWiring,
): WorkOrderActionResources {
  const { api, eventBus, table } = wiring;
  const mailSender = new MailSender(stack, wiring.mailDomain);

  const mailer = new AsyncFunction(stack, 'WorkOrderMailer', {
    entry: EVENT_FUNCTIONS['work-order-mailer'].entry,
    description: 'Mails forwarded work orders',
    failureImpact: 'Forwarded work orders could not be mailed',
    // MAIL_CLAIM_LEASE_SECONDS (60) is twice this: a claim older than that was abandoned.
    timeout: Duration.seconds(30),
  }).bindTable(table, 'readWrite');
  mailSender.allowSending(mailer);
  eventBus.subscribe(
    'WorkOrderForwardedEvents',
    'Forwarded work orders, to be mailed',
    EVENT_FUNCTIONS['work-order-mailer'].events,
    mailer,
  );

  const reminder = new AsyncFunction(stack, 'Reminder', {
    entry: EVENT_FUNCTIONS.reminder.entry,
    description: 'Fires due work-order reminders and mails the user',
    failureImpact: 'Due reminders could not be fired or mailed',
    timeout: Duration.seconds(30),
  }).bindTable(table, 'readWrite');
  mailSender.allowSending(reminder);

  const reminderSchedules = new ScheduleGroup(stack, 'ReminderSchedules');
  const actionsApi = api.function('work-order-actions');
  reminderSchedules.allowScheduling(actionsApi, reminder, 'reminder');
  mailSender.nameSender(actionsApi);

  return { mailer, reminder, reminderSchedules, mailSender };
}
