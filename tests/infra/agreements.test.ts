import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionStacks } from '../../lib/app';
import { type SynthesizedApp, synthesizeApp, TEST_REGIONS } from './synth';

let synthesized: SynthesizedApp;

beforeAll(() => {
  synthesized = synthesizeApp();
  if (synthesized.synthError) throw synthesized.synthError;
});

afterAll(() => synthesized?.dispose());

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

describe.each(TEST_REGIONS)('agreements in the stateless stack in %s', (region) => {
  let pair: RegionStacks;
  let template: Template;

  beforeAll(() => {
    const found = synthesized.regions.find((r) => r.region === region);
    if (!found) throw new Error(`no stacks for ${region}`);
    pair = found;
    template = synthesized.template(pair.stateless);
  });

  it('generates agreements from SalesOrderCreated on the bus, dead-lettering what fails', () => {
    const { generator } = pair.stateless.agreements;
    const fn = logicalId(pair.stateless, generator.function);
    const rule = Object.values(template.findResources('AWS::Events::Rule')).find(
      (r) => r.Properties.Targets?.[0]?.Arn['Fn::GetAtt']?.[0] === fn,
    );
    expect(rule?.Properties).toMatchObject({
      EventBusName: { Ref: logicalId(pair.stateless, pair.stateless.eventBus.bus) },
      EventPattern: { source: ['fieldservice.sales'], 'detail-type': ['SalesOrderCreated'] },
    });
    expect(rule?.Properties.Targets[0]).toMatchObject({
      DeadLetterConfig: {
        Arn: { 'Fn::GetAtt': [logicalId(pair.stateless, generator.deadLetterQueue), 'Arn'] },
      },
    });
  });

  it('alarms on the queue and the errors of both agreement functions', () => {
    const { generator, expiry } = pair.stateless.agreements;
    for (const fn of [generator, expiry]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [logicalId(pair.stateless, fn.deadLetterQueue), 'QueueName'] },
          },
        ],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(pair.stateless, fn.function) } }],
      });
    }
  });

  it("tells the agreements API function where to schedule each agreement's expiry", () => {
    const { expiry } = pair.stateless.agreements;
    const schedules = pair.stateless.workOrderActions.reminderSchedules;
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'API: agreements',
      Environment: {
        Variables: Match.objectLike({
          SCHEDULE_GROUP: { Ref: pair.stateless.getLogicalId(schedules.group) },
          AGREEMENT_EXPIRY_TARGET_ARN: { 'Fn::GetAtt': [logicalId(pair.stateless, expiry.function), 'Arn'] },
          AGREEMENT_EXPIRY_DLQ_ARN: {
            'Fn::GetAtt': [logicalId(pair.stateless, expiry.deadLetterQueue), 'Arn'],
          },
          SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [logicalId(pair.stateless, schedules.role), 'Arn'] },
        }),
      },
    });
  });
});
