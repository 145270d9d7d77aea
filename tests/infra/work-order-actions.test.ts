import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionStacks } from '../../lib/app';
import { type SynthesizedApp, synthesizeApp, TEST_ACCOUNT, TEST_REGIONS } from './synth';

let synthesized: SynthesizedApp;

beforeAll(() => {
  synthesized = synthesizeApp();
  if (synthesized.synthError) throw synthesized.synthError;
});

afterAll(() => synthesized?.dispose());

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}
const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

describe.each(TEST_REGIONS)('work-order actions in the stateless stack in %s', (region) => {
  let pair: RegionStacks;
  let template: Template;
  let mailDomain: string;
  const statementsOfRole = (roleLogicalId: string): Statement[] =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleLogicalId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  const fnId = (name: 'mailer' | 'reminder') =>
    logicalId(pair.stateless, pair.stateless.workOrderActions[name].function);
  const roleId = (name: 'mailer' | 'reminder') =>
    logicalId(pair.stateless, pair.stateless.workOrderActions[name].role);
  const apiFunction = () => {
    const fn = pair.stateless.api.functions.get('work-order-actions');
    if (!fn) throw new Error('no work-order-actions API function');
    return fn;
  };

  beforeAll(() => {
    const found = synthesized.regions.find((r) => r.region === region);
    if (!found) throw new Error(`no stacks for ${region}`);
    pair = found;
    template = synthesized.template(pair.stateless);
    mailDomain = pair.stateless.settings.mailDomain;
  });

  describe('mailer', () => {
    it('is invoked by WorkOrderForwarded on the bus, dead-lettering what EventBridge cannot deliver', () => {
      const bus = logicalId(pair.stateless, pair.stateless.eventBus.bus);
      const dlq = logicalId(pair.stateless, pair.stateless.workOrderActions.mailer.deadLetterQueue);
      const rule = Object.values(template.findResources('AWS::Events::Rule')).find(
        (r) => r.Properties.Targets?.[0]?.Arn['Fn::GetAtt']?.[0] === fnId('mailer'),
      );

      expect(rule?.Properties).toMatchObject({
        EventBusName: { Ref: bus },
        EventPattern: { source: ['fieldservice.work-orders'], 'detail-type': ['WorkOrderForwarded'] },
      });
      expect(rule?.Properties.Targets[0]).toMatchObject({
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 6 * 3600 },
      });
    });

    it('sends as service@<the region mail domain>, dead-letters failed runs, and is alarmed', () => {
      const dlq = logicalId(pair.stateless, pair.stateless.workOrderActions.mailer.deadLetterQueue);

      expect(pair.stateless.workOrderActions.mailSender.address).toBe(`service@${mailDomain}`);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: 'Mails forwarded work orders',
        DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] } },
        Environment: { Variables: Match.objectLike({ MAIL_FROM: `service@${mailDomain}` }) },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
        Threshold: 1,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId('mailer') } }],
      });
    });
  });

  describe('SES', () => {
    it.each(['mailer', 'reminder'] as const)(
      'lets the %s send raw mail as the mail domain identity of this region and account only',
      (name) => {
        const ses = statementsOfRole(roleId(name)).filter((s) =>
          actionsOf(s).some((a) => a.startsWith('ses:')),
        );

        expect(ses).toHaveLength(1);
        expect(actionsOf(ses[0] as Statement)).toEqual(['ses:SendRawEmail']);
        expect(ses[0]?.Resource).toBe(`arn:aws:ses:${region}:${TEST_ACCOUNT}:identity/${mailDomain}`);
      },
    );

    it('is granted to no API function but the mail one, whose replays of a held mail acknowledge it', () => {
      for (const [name, fn] of pair.stateless.api.functions) {
        const statements = statementsOfRole(logicalId(pair.stateless, fn.role));
        const ses = statements.flatMap(actionsOf).filter((a) => a.startsWith('ses:'));
        expect(ses, name).toEqual(name === 'mail' ? ['ses:SendRawEmail'] : []);
      }
    });
  });

  describe('reminders', () => {
    it("have one schedule group per stack, apart from the service plans' group", () => {
      template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 2);
      const { stateless } = pair;
      expect(stateless.getLogicalId(stateless.workOrderActions.reminderSchedules.group)).not.toBe(
        stateless.getLogicalId(stateless.servicePlans.schedules.group),
      );
    });

    it('fire a reminder function that dead-letters failed runs and is alarmed', () => {
      const dlq = logicalId(pair.stateless, pair.stateless.workOrderActions.reminder.deadLetterQueue);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: 'Fires due work-order reminders and mails the user',
        DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] } },
        Environment: { Variables: Match.objectLike({ MAIL_FROM: `service@${mailDomain}` }) },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId('reminder') } }],
      });
    });

    it('are invoked through a role only Scheduler, for this account and group, may assume', () => {
      const role = logicalId(pair.stateless, pair.stateless.workOrderActions.reminderSchedules.role);
      const group = pair.stateless.getLogicalId(pair.stateless.workOrderActions.reminderSchedules.group);

      expect(template.findResources('AWS::IAM::Role')[role]?.Properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [group, 'Arn'] } },
            },
          },
        ],
      });
    });

    it('let that role invoke the targets of the group (unqualified) and dead-letter into their queues, nothing else', () => {
      const role = logicalId(pair.stateless, pair.stateless.workOrderActions.reminderSchedules.role);
      const { agreements, workOrderActions } = pair.stateless;
      const statements = statementsOfRole(role);
      const resourcesOf = (action: string) =>
        statements
          .filter((s) => actionsOf(s).includes(action))
          .flatMap((s) => [s.Resource].flat())
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      const sorted = (resources: unknown[]) =>
        resources.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

      // The stack's one group serves reminders and agreement expiries.
      expect(resourcesOf('lambda:InvokeFunction')).toEqual(
        sorted([
          { 'Fn::GetAtt': [fnId('reminder'), 'Arn'] },
          { 'Fn::GetAtt': [logicalId(pair.stateless, agreements.expiry.function), 'Arn'] },
        ]),
      );
      expect(resourcesOf('sqs:SendMessage')).toEqual(
        sorted([
          { 'Fn::GetAtt': [logicalId(pair.stateless, workOrderActions.reminder.deadLetterQueue), 'Arn'] },
          { 'Fn::GetAtt': [logicalId(pair.stateless, agreements.expiry.deadLetterQueue), 'Arn'] },
        ]),
      );
      expect([...new Set(statements.flatMap(actionsOf))].sort()).toEqual(
        ['lambda:InvokeFunction', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'].sort(),
      );
      expect(JSON.stringify(statements)).not.toContain(':*');
    });

    it('are created by the work-order-actions API function, which knows the group, target and role', () => {
      const group = pair.stateless.getLogicalId(pair.stateless.workOrderActions.reminderSchedules.group);
      const role = logicalId(pair.stateless, pair.stateless.workOrderActions.reminderSchedules.role);
      const dlq = logicalId(pair.stateless, pair.stateless.workOrderActions.reminder.deadLetterQueue);

      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: 'API: work-order-actions',
        Environment: {
          Variables: Match.objectLike({
            SCHEDULE_GROUP: { Ref: group },
            REMINDER_TARGET_ARN: { 'Fn::GetAtt': [fnId('reminder'), 'Arn'] },
            SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [role, 'Arn'] },
            REMINDER_DLQ_ARN: { 'Fn::GetAtt': [dlq, 'Arn'] },
            MAIL_FROM: `service@${mailDomain}`,
          }),
        },
      });
    });

    it("let that function create and delete the group's schedules and pass the scheduler role, only that", () => {
      const group = pair.stateless.getLogicalId(pair.stateless.workOrderActions.reminderSchedules.group);
      const role = logicalId(pair.stateless, pair.stateless.workOrderActions.reminderSchedules.role);
      const statements = statementsOfRole(logicalId(pair.stateless, apiFunction().role));

      const scheduling = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('scheduler:')));
      expect(scheduling).toHaveLength(1);
      expect(actionsOf(scheduling[0] as Statement).sort()).toEqual([
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
      ]);
      expect(scheduling[0]?.Resource).toEqual({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':scheduler:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':schedule/',
            { Ref: group },
            '/*',
          ],
        ],
      });
      const passRole = statements.filter((s) => actionsOf(s).includes('iam:PassRole'));
      expect(passRole).toEqual([
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: { 'Fn::GetAtt': [role, 'Arn'] },
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        },
      ]);
    });

    it('are, with the agreements API function, the only API functions with Scheduler or PassRole rights', () => {
      for (const [name, fn] of pair.stateless.api.functions) {
        if (name === 'work-order-actions' || name === 'agreements') continue;
        const actions = statementsOfRole(logicalId(pair.stateless, fn.role)).flatMap(actionsOf);
        expect(
          actions.filter((a) => a.startsWith('scheduler:') || a === 'iam:PassRole'),
          name,
        ).toEqual([]);
      }
    });

    it('acknowledge the schedule wildcard on the scheduling functions only, with its reason', () => {
      const policies = Object.entries(template.toJSON().Resources as Record<string, CfnResource>).filter(
        ([, resource]) =>
          (resource.Metadata?.cdk_nag?.rules_to_suppress ?? []).some((rule) =>
            rule.id.includes(':schedule/<ReminderSchedules>/'),
          ),
      );

      const agreementsApi = pair.stateless.api.functions.get('agreements');
      expect(policies.map(([, policy]) => policy.Properties?.Roles).sort()).toEqual(
        [
          [{ Ref: logicalId(pair.stateless, apiFunction().role) }],
          [{ Ref: logicalId(pair.stateless, (agreementsApi as NonNullable<typeof agreementsApi>).role) }],
        ].sort(),
      );
      const rule = policies[0]?.[1].Metadata?.cdk_nag?.rules_to_suppress?.find((r) =>
        r.id.includes(':schedule/<ReminderSchedules>/'),
      );
      expect(rule?.id).toBe(
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<ReminderSchedules>/*]',
      );
      expect(rule?.reason).toMatch(/its own schedule named after its id/);
    });
  });
});

interface CfnResource {
  Properties?: { Roles?: unknown };
  Metadata?: { cdk_nag?: { rules_to_suppress?: { id: string; reason: string }[] } };
}
