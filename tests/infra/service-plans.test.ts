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

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
}

describe.each(TEST_REGIONS)('service plans in the stateless stack in %s', (region) => {
  let pair: RegionStacks;
  let template: Template;
  const statementsOf = (roleId: string): Statement[] =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
  const actionsOf = (statement: Statement) => [statement.Action].flat();

  beforeAll(() => {
    const found = synthesized.regions.find((r) => r.region === region);
    if (!found) throw new Error(`no stacks for ${region}`);
    pair = found;
    template = synthesized.template(pair.stateless);
  });

  it("has its own schedule group, whose role Scheduler may assume only for that group's schedules", () => {
    const { schedules } = pair.stateless.servicePlans;
    const group = pair.stateless.getLogicalId(schedules.group);
    expect(group).not.toBe(
      pair.stateless.getLogicalId(pair.stateless.workOrderActions.reminderSchedules.group),
    );
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [group, 'Arn'] } },
            },
          }),
        ],
      },
    });
  });

  it('lets the scheduler role invoke the generator and nothing else', () => {
    const { schedules, generator } = pair.stateless.servicePlans;
    const statements = statementsOf(logicalId(pair.stateless, schedules.role));
    const invoke = statements.filter((s) => actionsOf(s).includes('lambda:InvokeFunction'));
    expect(invoke.length).toBeGreaterThan(0);
    for (const statement of invoke)
      expect(statement.Resource).toEqual({
        'Fn::GetAtt': [logicalId(pair.stateless, generator.function), 'Arn'],
      });
    const other = statements.flatMap(actionsOf).filter((a) => a !== 'lambda:InvokeFunction');
    // Besides invoking, only dead-lettering into the generator's own queue.
    expect(new Set(other.map((a) => a.split(':')[0]))).toEqual(new Set(['sqs']));
    for (const statement of statements.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:'))))
      expect(statement.Resource).toEqual({
        'Fn::GetAtt': [logicalId(pair.stateless, generator.deadLetterQueue), 'Arn'],
      });
  });

  it('dead-letters failed generator, keeper and agreement-end runs, and alarms on the queues and the errors', () => {
    const { generator, agreementEnd, scheduleKeeper } = pair.stateless.servicePlans;
    for (const fn of [generator, agreementEnd]) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: Match.anyValue(),
        DeadLetterConfig: {
          TargetArn: { 'Fn::GetAtt': [logicalId(pair.stateless, fn.deadLetterQueue), 'Arn'] },
        },
      });
    }
    for (const fn of [generator, agreementEnd, scheduleKeeper]) {
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

  it("lets only the schedule keeper move the plans' schedules, in their group only, and tells it where", () => {
    const { schedules, generator, scheduleKeeper } = pair.stateless.servicePlans;
    const group = { Ref: pair.stateless.getLogicalId(schedules.group) };
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: "Moves each service plan's schedule to the next run its progress names",
      Environment: {
        Variables: Match.objectLike({
          PLAN_SCHEDULE_GROUP: group,
          PLAN_GENERATOR_TARGET_ARN: { 'Fn::GetAtt': [logicalId(pair.stateless, generator.function), 'Arn'] },
          PLAN_SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [logicalId(pair.stateless, schedules.role), 'Arn'] },
        }),
      },
    });
    const scheduling = statementsOf(logicalId(pair.stateless, scheduleKeeper.role)).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('scheduler:')),
    );
    expect(scheduling.flatMap(actionsOf).sort()).toEqual([
      'scheduler:CreateSchedule',
      'scheduler:DeleteSchedule',
      'scheduler:UpdateSchedule',
    ]);
    for (const statement of scheduling)
      expect(JSON.stringify(statement.Resource)).toContain(`schedule/",{"Ref":"${group.Ref}"},"/*`);
    const api = pair.stateless.api.functions.get('service-plans');
    for (const role of [api?.role, generator.role, pair.stateless.servicePlans.agreementEnd.role]) {
      const actions = statementsOf(logicalId(pair.stateless, role as NonNullable<typeof role>)).flatMap(
        actionsOf,
      );
      expect(actions.filter((a) => a.startsWith('scheduler:') || a === 'iam:PassRole')).toEqual([]);
    }
  });

  it("reads only the plans' progress changes from the table stream, with its failures kept", () => {
    const { scheduleKeeper } = pair.stateless.servicePlans;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(pair.stateless, scheduleKeeper.function) },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [logicalId(pair.stateless, scheduleKeeper.deadLetterQueue), 'Arn'] },
        },
      },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              dynamodb: { NewImage: { entityType: { S: ['ServicePlanProgress'] } } },
            }),
          },
          {
            Pattern: JSON.stringify({
              eventName: ['REMOVE'],
              dynamodb: { OldImage: { entityType: { S: ['ServicePlanProgress'] } } },
            }),
          },
        ],
      },
    });
  });

  it("lets the generator and the agreement-end function Query the table's indexes by name; the keeper reads no table", () => {
    const { generator, agreementEnd, scheduleKeeper } = pair.stateless.servicePlans;
    for (const fn of [generator, agreementEnd]) {
      const queried = statementsOf(logicalId(pair.stateless, fn.role))
        .filter((s) => actionsOf(s).includes('dynamodb:Query'))
        .map((s) => JSON.stringify(s.Resource));
      for (const index of ['gsi1', 'gsi2', 'gsi3']) expect(queried.join(' ')).toContain(`/index/${index}`);
      expect(queried.join(' ')).not.toContain('/index/*');
    }
    const keeperActions = statementsOf(logicalId(pair.stateless, scheduleKeeper.role)).flatMap(actionsOf);
    // The stream itself is read by the event source mapping through these; nothing else of the table.
    expect(
      keeperActions.filter((a) => a.startsWith('dynamodb:') && !/Stream|Shard|GetRecords/.test(a)),
    ).toEqual([]);
  });

  it('ends the plans of an agreement that expired or was terminated, from the bus', () => {
    const { agreementEnd } = pair.stateless.servicePlans;
    const fn = logicalId(pair.stateless, agreementEnd.function);
    const rule = Object.values(template.findResources('AWS::Events::Rule')).find(
      (r) => r.Properties.Targets?.[0]?.Arn['Fn::GetAtt']?.[0] === fn,
    );
    expect(rule?.Properties.EventPattern).toEqual({
      source: ['fieldservice.agreements'],
      'detail-type': ['AgreementExpired', 'AgreementTerminated'],
    });
  });
});
