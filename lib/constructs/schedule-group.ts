import { Aws, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { FUNCTION_ENV } from '../config/function-environment';
import type { AsyncFunction } from './async-function';
import type { ServiceFunction } from './service-function';

/**
 * What a group's schedules invoke, and the settings that tell the scheduling
 * function where: the group and role, the target and its DLQ. One-time
 * schedules are created and deleted; a plan's one schedule is also moved.
 */
const SCHEDULE_TARGETS = {
  reminder: {
    group: FUNCTION_ENV.SCHEDULE_GROUP,
    role: FUNCTION_ENV.SCHEDULER_ROLE_ARN,
    arn: FUNCTION_ENV.REMINDER_TARGET_ARN,
    deadLetter: FUNCTION_ENV.REMINDER_DLQ_ARN,
    actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
  },
  'agreement-expiry': {
    group: FUNCTION_ENV.SCHEDULE_GROUP,
    role: FUNCTION_ENV.SCHEDULER_ROLE_ARN,
    arn: FUNCTION_ENV.AGREEMENT_EXPIRY_TARGET_ARN,
    deadLetter: FUNCTION_ENV.AGREEMENT_EXPIRY_DLQ_ARN,
    actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
  },
  'service-plan-generator': {
    group: FUNCTION_ENV.PLAN_SCHEDULE_GROUP,
    role: FUNCTION_ENV.PLAN_SCHEDULER_ROLE_ARN,
    arn: FUNCTION_ENV.PLAN_GENERATOR_TARGET_ARN,
    deadLetter: FUNCTION_ENV.PLAN_GENERATOR_DLQ_ARN,
    actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
  },
} as const;
export type ScheduleTargetKind = keyof typeof SCHEDULE_TARGETS;

/**
 * An EventBridge Scheduler group whose schedules are created at run time (one
 * one-time schedule per reminder, or per agreement), and the role those
 * schedules invoke their target with. A function is given the right to
 * schedule through `allowScheduling`, which also tells it where.
 */
export class ScheduleGroup extends Construct {
  readonly group: scheduler.CfnScheduleGroup;
  /** Assumed by Scheduler, for the schedules of this group only, to invoke their target. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // No name: CloudFormation names it after the stack, so two regions (or stacks) never collide.
    // "Default" keeps the logical ID it was deployed with: replacing a group deletes its schedules.
    this.group = new scheduler.CfnScheduleGroup(this, 'Default');
    this.role = new iam.Role(this, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to invoke the targets of its schedule group',
      // Only schedules of this account's group may use it (confused-deputy guard).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnEquals: { 'aws:SourceArn': this.group.attrArn },
        },
      }),
    });
  }

  /** The ARN of every schedule in this group; schedule names are only known at run time. */
  get schedulesArn(): string {
    return `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${this.group.ref}/*`;
  }

  /**
   * Lets `fromFunction` create and delete schedules in this group that invoke
   * `target` (unqualified: schedules follow $LATEST) and dead-letter into the
   * target's queue, and tells it the group, target, role and queue through the
   * environment, under the names of its kind (e.g. SCHEDULE_GROUP,
   * SCHEDULER_ROLE_ARN, REMINDER_TARGET_ARN, REMINDER_DLQ_ARN).
   */
  allowScheduling(fromFunction: ServiceFunction, target: AsyncFunction, kind: ScheduleTargetKind): void {
    const settings = SCHEDULE_TARGETS[kind];
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [target.function.functionArn],
      }),
    );
    target.deadLetterQueue.grantSendMessages(this.role);

    fromFunction.function
      .addEnvironment(settings.group, this.group.ref)
      .addEnvironment(settings.role, this.role.roleArn)
      .addEnvironment(settings.deadLetter, target.deadLetterQueue.queueArn)
      .addEnvironment(settings.arn, target.function.functionArn);
    fromFunction.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...settings.actions], resources: [this.schedulesArn] }),
    );
    fromFunction.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );

    const groupLogicalId = Stack.of(this).getLogicalId(this.group);
    const policy = fromFunction.role.node.tryFindChild('DefaultPolicy') ?? fromFunction.role;
    Validations.of(policy.node.defaultChild ?? policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<${groupLogicalId}>/*]`,
      reason:
        'Each reminder, agreement or service plan gets its own schedule named after its id, so the schedule ' +
        'actions are granted on the schedules of one schedule group only (schedule/<group>/*); ' +
        'schedule names are not known when the policy is written.',
    });
  }
}
