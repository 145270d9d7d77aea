import { readFileSync } from 'node:fs';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FUNCTION_ENV } from '../config/function-environment';

/** A function that is granted something and told where through its environment. */
export interface WiredFunction extends iam.IGrantable {
  readonly function: lambda.Function;
}

export interface StandardStateMachineProps {
  /** The ASL file (JSONPath), absolute path; its `${Name}` placeholders are filled by `definitionSubstitutions`. */
  readonly definitionFile: string;
  /** One value per placeholder of the file, no more and no fewer. */
  readonly definitionSubstitutions: Readonly<Record<string, string>>;
  /**
   * The functions its Task states invoke. Its role may invoke these (unqualified,
   * as the definition names them) and no other function.
   */
  readonly invokes: readonly lambda.IFunction[];
  /** The environment variable that tells a function given `allowStarting` this state machine's ARN. */
  readonly arnVariable: (typeof FUNCTION_ENV)[keyof typeof FUNCTION_ENV];
  /** What an execution does, e.g. "Consumption then billing of a work order"; the alarms say it. */
  readonly purpose: string;
  /** @default three months */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A Standard state machine from an ASL file: every execution event logged
 * (without the execution data) to its own log group, X-Ray tracing, a role
 * that may invoke only the functions it runs, and alarms on executions that
 * failed, timed out or were aborted. Functions are given the right to start
 * executions or answer task tokens through `allowStarting` and
 * `allowTaskResponses`.
 */
export class StandardStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  private readonly arnVariable: StandardStateMachineProps['arnVariable'];

  constructor(scope: Construct, id: string, props: StandardStateMachineProps) {
    super(scope, id);
    this.arnVariable = props.arnVariable;
    const definition = readFileSync(props.definitionFile, 'utf8');
    checkSubstitutions(definition, props.definitionSubstitutions, props.definitionFile);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // Step Functions adds each log group it writes to to the account's CloudWatch Logs resource
      // policy, which is capped at 5,120 characters; log groups under /aws/vendedlogs/ are exempt.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-${id}`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    });

    // "Default" keeps the logical IDs of the state machine and its role those of this construct's id.
    this.stateMachine = new sfn.StateMachine(this, 'Default', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      // A string, not an S3 asset: the definition stays readable in the template, and reviewable in a diff.
      definitionBody: sfn.DefinitionBody.fromString(definition),
      definitionSubstitutions: { ...props.definitionSubstitutions },
      tracingEnabled: true,
      logs: {
        destination: this.logGroup,
        level: sfn.LogLevel.ALL,
        // Inputs and outputs may carry personal data (who approved, and why in their own words); the
        // execution history keeps them for those allowed to read executions, the logs need only the events.
        includeExecutionData: false,
      },
    });
    // grantInvoke would add `<function>:*`, every version and alias; the definition invokes the
    // unqualified function only.
    for (const fn of props.invokes) fn.grantInvokeLatestVersion(this.stateMachine);

    const policy = this.stateMachine.role.node.tryFindChild('DefaultPolicy') ?? this.stateMachine.role;
    Validations.of(policy.node.defaultChild ?? policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Logging to CloudWatch Logs needs logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, ' +
        'DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies and DescribeLogGroups, ' +
        'and X-Ray tracing needs xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules and ' +
        'GetSamplingTargets; none of them supports resource-level permissions, so IAM requires Resource "*".',
    });

    const redrive =
      'Once the cause is fixed, re-drive it within 14 days of its end (Step Functions RedriveExecution, ' +
      '`aws stepfunctions redrive-execution --execution-arn <arn>`): it goes on from the step that did not ' +
      'complete, with the same input, and every step is idempotent.';
    const failStates = failErrorsOf(definition);
    const designedEnds =
      failStates.length > 0
        ? `An execution that failed with ${failStates.join(' or ')} took a path of the definition that ends ` +
          'in a Fail state, after running what the definition runs on that path; it needs no re-drive. '
        : '';
    this.alarm(
      'ExecutionsFailed',
      this.stateMachine.metricFailed(),
      `${props.purpose}: an execution failed. ${designedEnds}An execution that failed with any other error ` +
        'stopped in the state that failed (its last events name the state and the error: ' +
        `\`aws stepfunctions get-execution-history --execution-arn <arn> --reverse-order\`). ${redrive}`,
    );
    this.alarm(
      'ExecutionsTimedOut',
      this.stateMachine.metricTimedOut(),
      `${props.purpose}: an execution ran past its time limit and was stopped in the step it was in, ` +
        `without running what follows a failure. ${redrive}`,
    );
    this.alarm(
      'ExecutionsAborted',
      this.stateMachine.metricAborted(),
      `${props.purpose}: an execution was stopped by hand (StopExecution) in the step it was in, ` +
        `without running what follows a failure. ${redrive}`,
    );
  }

  get stateMachineArn(): string {
    return this.stateMachine.stateMachineArn;
  }

  /** Lets `fn` start executions (StartExecution) and tells it this state machine's ARN. */
  allowStarting(fn: WiredFunction): void {
    this.stateMachine.grantStartExecution(fn);
    fn.function.addEnvironment(this.arnVariable, this.stateMachine.stateMachineArn);
  }

  /** Lets `fn` hand a waiting task its result (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat). */
  allowTaskResponses(fn: iam.IGrantable): void {
    this.stateMachine.grantTaskResponse(fn);
  }

  private alarm(id: string, metric: cloudwatch.Metric, description: string): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, id, {
      alarmDescription: description,
      metric: metric.with({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

/** The errors the definition's Fail states end an execution with. */
function failErrorsOf(definition: string): string[] {
  const { States } = JSON.parse(definition) as { States: Record<string, { Type: string; Error?: string }> };
  return Object.values(States).flatMap((state) =>
    state.Type === 'Fail' && state.Error ? [state.Error] : [],
  );
}

/**
 * CloudFormation leaves a placeholder without a value as it is, and Step
 * Functions rejects the definition only when the stack deploys; a value
 * without a placeholder is a misspelt name. Both fail the synth instead.
 */
function checkSubstitutions(
  definition: string,
  values: Readonly<Record<string, string>>,
  file: string,
): void {
  const placeholders = new Set([...definition.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1]));
  const missing = [...placeholders].filter((name) => name !== undefined && !(name in values));
  const unused = Object.keys(values).filter((name) => !placeholders.has(name));
  if (missing.length > 0) throw new Error(`${file}: no substitution for ${missing.join(', ')}`);
  if (unused.length > 0) throw new Error(`${file} has no placeholder ${unused.join(', ')}`);
}
