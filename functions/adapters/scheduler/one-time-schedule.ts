import {
  ActionAfterCompletion,
  CreateScheduleCommand,
  FlexibleTimeWindowMode,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';

/** Where a schedule delivers: a function, through the role Scheduler assumes, with a DLQ for what fails. */
export interface ScheduleTarget {
  /** The schedule group of the stack. */
  group: string;
  targetArn: string;
  roleArn: string;
  deadLetterArn?: string;
}

/** `2026-11-23T09:15:00.000Z` → `2026-11-23T09:15:00`, the form `at(...)` takes (with the time zone UTC). */
export const scheduleTimeOf = (at: string) => new Date(at).toISOString().slice(0, 19);

/**
 * One EventBridge Scheduler schedule that fires once: `at(...)` in UTC, no
 * flexible window, deleted by Scheduler once it has run, retried for six
 * hours and then dead-lettered. A retried create with the same client token
 * is the same request, not a conflict; another schedule of the same name is one.
 */
export async function createOneTimeSchedule(
  client: SchedulerClient,
  target: ScheduleTarget,
  schedule: { name: string; at: string; description: string; input: unknown; clientToken: string },
): Promise<void> {
  await client.send(
    new CreateScheduleCommand({
      Name: schedule.name,
      GroupName: target.group,
      Description: schedule.description,
      ScheduleExpression: `at(${scheduleTimeOf(schedule.at)})`,
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: FlexibleTimeWindowMode.OFF },
      ActionAfterCompletion: ActionAfterCompletion.DELETE,
      ClientToken: schedule.clientToken,
      Target: {
        Arn: target.targetArn,
        RoleArn: target.roleArn,
        Input: JSON.stringify(schedule.input),
        RetryPolicy: { MaximumEventAgeInSeconds: 6 * 3600, MaximumRetryAttempts: 10 },
        ...(target.deadLetterArn ? { DeadLetterConfig: { Arn: target.deadLetterArn } } : {}),
      },
    }),
  );
}
