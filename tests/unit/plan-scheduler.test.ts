import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePlanScheduler } from '../../functions/adapters/scheduler/service-plans';

const scheduler = mockClient(SchedulerClient);
const NOW = new Date('2027-03-01T10:00:00.000Z');
const target = {
  group: 'plans-group',
  targetArn: 'arn:aws:lambda:eu-west-1:123456789012:function:generator',
  roleArn: 'arn:aws:iam::123456789012:role/plans-scheduler',
  deadLetterArn: 'arn:aws:sqs:eu-west-1:123456789012:generator-dlq',
};
const plan = { tenantId: 'acme', id: '01KQ00000000000000000000P1' };
const adapter = () =>
  new EventBridgePlanScheduler(new SchedulerClient({ region: 'eu-west-1' }), () => target, {
    now: () => NOW,
  });
const notFound = () =>
  new ResourceNotFoundException({ message: 'no schedule', Message: 'no schedule', $metadata: {} });

beforeEach(() => scheduler.reset());

describe('EventBridgePlanScheduler', () => {
  it("moves the plan's one schedule in the plans' group: UTC at(), no window, kept after it fires", async () => {
    scheduler.on(UpdateScheduleCommand).resolves({});
    await adapter().schedule(plan, '2027-03-18T07:00:00.000Z');
    const [call] = scheduler.commandCalls(UpdateScheduleCommand);
    expect(call?.args[0].input).toMatchObject({
      Name: `service-plan-${plan.id}`,
      GroupName: 'plans-group',
      ScheduleExpression: 'at(2027-03-18T07:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'NONE',
      Target: {
        Arn: target.targetArn,
        RoleArn: target.roleArn,
        DeadLetterConfig: { Arn: target.deadLetterArn },
      },
    });
    expect(JSON.parse(call?.args[0].input.Target?.Input ?? '')).toEqual({
      tenantId: 'acme',
      planId: plan.id,
    });
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });

  it('asks for a run due now (or past) a minute ahead, as Scheduler takes no time in the past', async () => {
    scheduler.on(UpdateScheduleCommand).resolves({});
    await adapter().schedule(plan, '2027-02-01T00:00:00.000Z');
    expect(scheduler.commandCalls(UpdateScheduleCommand)[0]?.args[0].input.ScheduleExpression).toBe(
      'at(2027-03-01T10:01:00)',
    );
  });

  it('creates the schedule a plan does not have yet, and updates it when another writer created it first', async () => {
    scheduler.on(UpdateScheduleCommand).rejectsOnce(notFound()).resolves({});
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await adapter().schedule(plan, '2027-03-18T07:00:00.000Z');
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(1);

    scheduler.reset();
    scheduler.on(UpdateScheduleCommand).rejectsOnce(notFound()).resolves({});
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    await adapter().schedule(plan, '2027-03-18T07:00:00.000Z');
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(2);
  });

  it('passes on what it cannot handle, and removes a schedule that may already be gone', async () => {
    scheduler.on(UpdateScheduleCommand).rejects(new Error('throttled'));
    await expect(adapter().schedule(plan, '2027-03-18T07:00:00.000Z')).rejects.toThrow('throttled');

    scheduler.on(DeleteScheduleCommand).rejectsOnce(notFound()).resolves({});
    await adapter().remove(plan);
    await adapter().remove(plan);
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual([
      { Name: `service-plan-${plan.id}`, GroupName: 'plans-group' },
      { Name: `service-plan-${plan.id}`, GroupName: 'plans-group' },
    ]);
    scheduler.on(DeleteScheduleCommand).rejects(new Error('denied'));
    await expect(adapter().remove(plan)).rejects.toThrow('denied');
  });
});
