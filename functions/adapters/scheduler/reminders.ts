import {
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import {
  type Reminder,
  type ReminderDue,
  type ReminderScheduler,
  scheduleNameOf,
} from '../../domain/work-orders/reminder';
import { type Config, required } from '../../shared/config';
import { createOneTimeSchedule, type ScheduleTarget } from './one-time-schedule';

export type ReminderScheduleTarget = ScheduleTarget;

/** From the configuration the stack sets on the function that creates schedules. */
export function reminderScheduleTarget(config: Config): ReminderScheduleTarget {
  return {
    group: required(config, 'SCHEDULE_GROUP'),
    targetArn: required(config, 'REMINDER_TARGET_ARN'),
    roleArn: required(config, 'SCHEDULER_ROLE_ARN'),
    ...(config.REMINDER_DLQ_ARN ? { deadLetterArn: config.REMINDER_DLQ_ARN } : {}),
  };
}

/**
 * One EventBridge Scheduler schedule per reminder: `at(...)` in UTC, no
 * flexible window, deleted by Scheduler once it has run. The function gets
 * the reminder's coordinates and reads the rest itself.
 */
export class EventBridgeReminderScheduler implements ReminderScheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly target: () => ReminderScheduleTarget,
  ) {}

  async schedule(reminder: Reminder): Promise<void> {
    const input: ReminderDue = {
      tenantId: reminder.tenantId,
      workOrderId: reminder.workOrderId,
      reminderId: reminder.id,
    };
    await createOneTimeSchedule(this.client, this.target(), {
      name: scheduleNameOf(reminder),
      at: reminder.at,
      description: `Reminder ${reminder.id} of work order ${reminder.workOrderId} (tenant ${reminder.tenantId})`,
      input,
      // A retried create with the same token is the same schedule, not a conflict.
      clientToken: reminder.id,
    });
  }

  async cancel(reminder: Reminder): Promise<void> {
    try {
      await this.client.send(
        new DeleteScheduleCommand({
          Name: scheduleNameOf(reminder),
          GroupName: this.target().group,
          ClientToken: `${reminder.id}-cancel`,
        }),
      );
    } catch (error) {
      // Already fired (and deleted after completion), or never created: nothing left to cancel.
      if (error instanceof ResourceNotFoundException) return;
      throw error;
    }
  }
}
