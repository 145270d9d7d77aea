import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  EventBridgeReminderScheduler,
  reminderScheduleTarget,
} from '../../functions/adapters/scheduler/reminders';
import type { Reminder, ReminderDue } from '../../functions/domain/work-orders/reminder';
import { readConfig } from '../../functions/shared/config';
import { LocalReminderScheduler } from '../../local/scheduler/local-scheduler';

const scheduler = mockClient(SchedulerClient);

const reminder: Reminder = {
  id: '01KQ0000000000000000000042',
  tenantId: 'acme',
  version: 1,
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-23T09:00:00.000Z',
  workOrderId: '01KQ0000000000000000000007',
  userId: 'tech1',
  at: '2026-12-01T07:30:00.000Z',
  status: 'scheduled',
  createdBy: 'lead',
};

const target = {
  group: 'FieldService-Stateless-eu-west-1-reminders',
  targetArn: 'arn:aws:lambda:eu-west-1:123456789012:function:reminder',
  roleArn: 'arn:aws:iam::123456789012:role/scheduler-invokes-reminder',
  deadLetterArn: 'arn:aws:sqs:eu-west-1:123456789012:reminder-dlq',
};
const adapter = () =>
  new EventBridgeReminderScheduler(new SchedulerClient({ region: 'eu-west-1' }), () => target);

beforeEach(() => scheduler.reset());

describe('EventBridgeReminderScheduler', () => {
  it('creates a one-time at() schedule in UTC in the stack group, deleted after it ran, no flexible window', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

    // Act
    await adapter().schedule(reminder);

    // Assess
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      Name: 'reminder-01KQ0000000000000000000042',
      GroupName: target.group,
      ScheduleExpression: 'at(2026-12-01T07:30:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      ClientToken: reminder.id,
      Target: {
        Arn: target.targetArn,
        RoleArn: target.roleArn,
        DeadLetterConfig: { Arn: target.deadLetterArn },
        RetryPolicy: {
          MaximumEventAgeInSeconds: expect.any(Number),
          MaximumRetryAttempts: expect.any(Number),
        },
      },
    });
    expect(input?.Name?.length).toBeLessThanOrEqual(64);
    expect(JSON.parse(input?.Target?.Input ?? '{}')).toEqual({
      tenantId: 'acme',
      workOrderId: reminder.workOrderId,
      reminderId: reminder.id,
    });
  });

  it('deletes the schedule of a cancelled reminder from the group', async () => {
    scheduler.on(DeleteScheduleCommand).resolves({});

    await adapter().cancel(reminder);

    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]?.args[0].input).toMatchObject({
      Name: 'reminder-01KQ0000000000000000000042',
      GroupName: target.group,
    });
  });

  it('treats a schedule that already fired (and deleted itself) as cancelled', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));

    await expect(adapter().cancel(reminder)).resolves.toBeUndefined();
  });

  it('lets other Scheduler errors through', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));

    await expect(adapter().schedule(reminder)).rejects.toBeInstanceOf(ConflictException);
  });

  it('reads its target from the environment the stack sets, and names what is missing', () => {
    expect(
      reminderScheduleTarget(
        readConfig({
          SCHEDULE_GROUP: 'g',
          REMINDER_TARGET_ARN: 'arn:fn',
          SCHEDULER_ROLE_ARN: 'arn:role',
        }),
      ),
    ).toEqual({ group: 'g', targetArn: 'arn:fn', roleArn: 'arn:role' });
    expect(() => reminderScheduleTarget(readConfig({}))).toThrow(/SCHEDULE_GROUP/);
  });
});

describe('LocalReminderScheduler (npm start)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-schedules-'));
  const file = join(dir, 'schedules.json');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

  it('keeps schedules in its file, fires the due ones when the clock moves, once, and forgets them', async () => {
    // Prepare
    const fired: ReminderDue[] = [];
    const local = new LocalReminderScheduler(
      async (input) => {
        fired.push(input);
      },
      { file },
    );
    await local.schedule({ ...reminder, id: 'soon', at: inHours(1) });
    await local.schedule({ ...reminder, id: 'later', at: inHours(5) });
    await local.schedule({ ...reminder, id: 'cancelled', at: inHours(1) });
    await local.cancel({ ...reminder, id: 'cancelled' });

    // Act
    const reloaded = new LocalReminderScheduler(
      async (input) => {
        fired.push(input);
      },
      { file },
    );
    const first = await reloaded.advanceTo(new Date(Date.now() + 2 * 3600_000));
    const second = await reloaded.runDue();

    // Assess
    expect(first).toEqual(['reminder-soon']);
    expect(second).toEqual([]);
    expect(fired).toEqual([{ tenantId: 'acme', workOrderId: reminder.workOrderId, reminderId: 'soon' }]);
    expect(reloaded.list().map((s) => s.name)).toEqual(['reminder-later']);
    expect(JSON.parse(readFileSync(file, 'utf8')).map((s: { name: string }) => s.name)).toEqual([
      'reminder-later',
    ]);
  });

  it('reports a failing target and does not fire it again, as a deleted-after-completion schedule', async () => {
    const errors: string[] = [];
    let calls = 0;
    const local = new LocalReminderScheduler(
      async () => {
        calls++;
        throw new Error('boom');
      },
      { onError: (_, schedule) => errors.push(schedule.name) },
    );
    await local.schedule({ ...reminder, id: 'failing', at: inHours(1) });

    await local.advanceTo(new Date(Date.now() + 2 * 3600_000));
    await local.runDue();

    expect(errors).toEqual(['reminder-failing']);
    expect(calls).toBe(1);
  });
});
