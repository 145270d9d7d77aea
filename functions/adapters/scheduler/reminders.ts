import {
  ActionAfterCompletion,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  FlexibleTimeWindowMode,
  ResourceNotFoundException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import {
  type Reminder,
  type ReminderDue,
  type ReminderScheduler,
  scheduleNameOf,
  scheduleTimeOf,
} from '../../domain/work-orders/reminder';
import { type Config, required } from '../../shared/config';

export interface ReminderScheduleTarget {
  /** The schedule group of the stack. */
  group: string;
  /** ARN of the reminder function. */
  targetArn: string;
  /** The role EventBridge Scheduler assumes to invoke it. */
  roleArn: string;
  /** Where Scheduler puts an invocation it could not make after its retries. */
  deadLetterArn?: string;
}

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
    const target = this.target();
    const input: ReminderDue = {
      tenantId: reminder.tenantId,
      workOrderId: reminder.workOrderId,
      reminderId: reminder.id,
    };
    await this.client.send(
      new CreateScheduleCommand({
        Name: scheduleNameOf(reminder),
        GroupName: target.group,
        Description: `Reminder ${reminder.id} of work order ${reminder.workOrderId} (tenant ${reminder.tenantId})`,
        ScheduleExpression: `at(${scheduleTimeOf(reminder.at)})`,
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: FlexibleTimeWindowMode.OFF },
        ActionAfterCompletion: ActionAfterCompletion.DELETE,
        // A retried create with the same token is the same schedule, not a conflict.
        ClientToken: reminder.id,
        Target: {
          Arn: target.targetArn,
          RoleArn: target.roleArn,
          Input: JSON.stringify(input),
          RetryPolicy: { MaximumEventAgeInSeconds: 6 * 3600, MaximumRetryAttempts: 10 },
          ...(target.deadLetterArn ? { DeadLetterConfig: { Arn: target.deadLetterArn } } : {}),
        },
      }),
    );
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
