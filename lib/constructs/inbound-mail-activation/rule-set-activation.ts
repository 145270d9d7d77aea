import { CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type * as ses from 'aws-cdk-lib/aws-ses';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ServiceFunction } from '../service-function';
import type { ActivationProperties } from './handler';

export interface RuleSetActivationProps {
  readonly ruleSet: ses.IReceiptRuleSet;
}

/**
 * Keeps `ruleSet` the active receipt rule set of the account and region while
 * this resource exists (decisions in ./handler.ts). Make it depend on the rules
 * of the set, so the set is activated complete and, on stack deletion,
 * deactivated before SES is asked to delete it (SES refuses to delete the
 * active set).
 */
export class RuleSetActivation extends Construct {
  readonly onEvent: ServiceFunction;
  readonly provider: cr.Provider;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: RuleSetActivationProps) {
    super(scope, id);

    this.onEvent = new ServiceFunction(this, 'OnEvent', {
      entry: 'lib/constructs/inbound-mail-activation/handler.ts',
      description: 'Activates the receipt rule set of the stack; deactivates it on delete while still active',
      timeout: Duration.seconds(30),
    });
    // Its own policy, so its acknowledgement carries its own reason (the role's default policy has X-Ray's).
    const setActive = new iam.Policy(this, 'SetActiveRuleSet', {
      roles: [this.onEvent.role],
      statements: [
        new iam.PolicyStatement({
          actions: ['ses:DescribeActiveReceiptRuleSet', 'ses:SetActiveReceiptRuleSet'],
          resources: ['*'],
        }),
      ],
    });
    Validations.of(setActive.node.defaultChild ?? setActive).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'DescribeActiveReceiptRuleSet and SetActiveReceiptRuleSet act on the account and region, not on a ' +
        'rule set resource: SES defines no resource type for them, so IAM requires Resource "*".',
    });

    // An explicit role for the framework function: the default one carries the AWS managed
    // AWSLambdaBasicExecutionRole policy (logs in any log group of the account).
    const frameworkRole = new iam.Role(this, 'ProviderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the custom resource framework that calls the rule set activation function',
    });
    const frameworkLogs = new LogGroup(this, 'ProviderLogs', { retention: RetentionDays.ONE_MONTH });
    frameworkLogs.grantWrite(frameworkRole);
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEvent.function,
      frameworkOnEventRole: frameworkRole,
      logGroup: frameworkLogs,
    });
    const frameworkPolicy = frameworkRole.node.tryFindChild('DefaultPolicy') ?? frameworkRole;
    const onEventLogicalId = Stack.of(this).getLogicalId(
      this.onEvent.function.node.defaultChild as lambda.CfnFunction,
    );
    Validations.of(frameworkPolicy.node.defaultChild ?? frameworkPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${onEventLogicalId}.Arn>:*]`,
      reason:
        'The CDK custom resource framework is granted invoke on the activation function and on its versions ' +
        '(ARN with ":*"); it invokes exactly that one function.',
    });

    const properties: ActivationProperties = { RuleSetName: props.ruleSet.receiptRuleSetName };
    this.resource = new CustomResource(this, 'Default', {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::ActiveReceiptRuleSet',
      properties: { ...properties },
    });
  }
}
