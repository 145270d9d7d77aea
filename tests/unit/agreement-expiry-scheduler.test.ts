import {
  ConflictException,
  CreateScheduleCommand,
  SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  agreementExpiryTarget,
  EventBridgeAgreementExpiryScheduler,
} from '../../functions/adapters/scheduler/agreement-expiry';
import { readConfig } from '../../functions/shared/config';

const scheduler = mockClient(SchedulerClient);
const target = {
  group: 'stack-schedules',
  targetArn: 'arn:aws:lambda:eu-west-1:123456789012:function:agreement-expiry',
  roleArn: 'arn:aws:iam::123456789012:role/scheduler',
  deadLetterArn: 'arn:aws:sqs:eu-west-1:123456789012:agreement-expiry-dlq',
};
const adapter = () =>
  new EventBridgeAgreementExpiryScheduler(new SchedulerClient({ region: 'eu-west-1' }), () => target);
const agreement = { tenantId: 'acme', id: '01KQ00000000000000000000AG', endDate: '2030-02-28' };

beforeEach(() => scheduler.reset());

describe('EventBridgeAgreementExpiryScheduler', () => {
  it('schedules the expiry at the start (UTC) of the day after the last day, with what the function reads', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });
    await adapter().schedule(agreement);
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toMatchObject({
      Name: 'agreement-expiry-01KQ00000000000000000000AG',
      GroupName: target.group,
      ScheduleExpression: 'at(2030-03-01T00:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      ClientToken: 'expiry-01KQ00000000000000000000AG',
      Target: {
        Arn: target.targetArn,
        RoleArn: target.roleArn,
        Input: JSON.stringify({ tenantId: 'acme', agreementId: agreement.id }),
        DeadLetterConfig: { Arn: target.deadLetterArn },
      },
    });
  });

  it("takes an existing schedule of the agreement's name as its own, and lets other errors through", async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejectsOnce(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }))
      .rejectsOnce(new ValidationException({ message: 'bad', Message: 'bad', $metadata: {} }));
    await expect(adapter().schedule(agreement)).resolves.toBeUndefined();
    await expect(adapter().schedule(agreement)).rejects.toBeInstanceOf(ValidationException);
  });

  it('reads its target from the environment the stack sets, and names what is missing', () => {
    const config = {
      SCHEDULE_GROUP: 'g',
      AGREEMENT_EXPIRY_TARGET_ARN: 'arn:fn',
      SCHEDULER_ROLE_ARN: 'arn:role',
    };
    expect(agreementExpiryTarget(readConfig(config))).toEqual({
      group: 'g',
      targetArn: 'arn:fn',
      roleArn: 'arn:role',
    });
    expect(() => agreementExpiryTarget(readConfig({ SCHEDULE_GROUP: 'g' }))).toThrow(
      /AGREEMENT_EXPIRY_TARGET_ARN/,
    );
  });
});
