import { readFileSync } from 'node:fs';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE } from '../../functions/adapters/dynamodb/table-definition';
import { EVENT_FUNCTIONS } from '../../functions/handlers/event-functions';
import type { RegionStacks } from '../../lib/app';
import type { ServiceFunction } from '../../lib/constructs/service-function';
import { CONSUMPTION_BILLING_ASL } from '../../lib/state-machines/consumption-billing';
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
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
const actionsOf = (statement: Statement) => [statement.Action].flat();
const resourcesOf = (statement: Statement) => [statement.Resource].flat();

interface AslState {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Error?: string;
  Parameters?: { FunctionName?: string; Payload?: Record<string, unknown> };
}
/** The ASL's own text for the steps function, filled in by the definition substitutions. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder as the ASL spells it
const STEPS_PLACEHOLDER = '${ConsumptionStepsFunctionArn}';
const asl = JSON.parse(readFileSync(CONSUMPTION_BILLING_ASL, 'utf8')) as { States: Record<string, AslState> };

describe.each(TEST_REGIONS)('consumption-billing in the stateless stack in %s', (region) => {
  let pair: RegionStacks;
  let template: Template;
  let stateful: Template;
  const stateMachineId = () =>
    logicalId(pair.stateless, pair.stateless.consumption.stateMachine.stateMachine);
  const stepsId = () => logicalId(pair.stateless, pair.stateless.consumption.steps.function);
  const stepsArn = () => ({ 'Fn::GetAtt': [stepsId(), 'Arn'] });
  const stateMachine = () => {
    const found = template.findResources('AWS::StepFunctions::StateMachine')[stateMachineId()];
    if (!found) throw new Error('no consumption-billing state machine');
    return found.Properties;
  };
  const definition = () => JSON.parse(stateMachine().DefinitionString) as typeof asl;
  const statementsOfRole = (roleLogicalId: string): Statement[] =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleLogicalId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
  const stateMachineRoleId = () => stateMachine().RoleArn['Fn::GetAtt'][0] as string;
  const consumptionApi = () => pair.stateless.api.function('consumption');

  beforeAll(() => {
    const found = synthesized.regions.find((r) => r.region === region);
    if (!found) throw new Error(`no stacks for ${region}`);
    pair = found;
    template = synthesized.template(pair.stateless);
    stateful = synthesized.template(pair.stateful);
  });

  /** How the stateless template reads the table's ARN: the stateful stack's export of it. */
  const tableArn = () => {
    const arn = { 'Fn::GetAtt': [logicalId(pair.stateful, pair.stateful.table), 'Arn'] };
    const output = Object.values(stateful.findOutputs('*')).find(
      (o) => JSON.stringify(o.Value) === JSON.stringify(arn),
    );
    if (!output?.Export?.Name) throw new Error('the stateful stack exports no table ARN');
    return { 'Fn::ImportValue': output.Export.Name };
  };
  /** What the role may Query besides the table itself: the resources of its index statement. */
  const queriedIndexes = (fn: ServiceFunction) => {
    const statements = statementsOfRole(logicalId(pair.stateless, fn.role));
    return statements
      .filter((s) => actionsOf(s).includes('dynamodb:Query'))
      .flatMap(resourcesOf)
      .filter((resource) => JSON.stringify(resource) !== JSON.stringify(tableArn()));
  };
  const eachIndexByName = () =>
    TABLE.globalIndexes.map((index) => ({ 'Fn::Join': ['', [tableArn(), `/index/${index.name}`]] }));

  describe('state machine', () => {
    it('is the one Standard state machine of the stack, defined by the ASL file as it is', () => {
      template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
      expect(stateMachine().StateMachineType).toBe('STANDARD');
      expect(definition()).toEqual(asl);
      expect(Object.keys(definition().States).sort()).toEqual(Object.keys(asl.States).sort());
    });

    it('waits for the approval on a task token, with a time limit', () => {
      const waiting = Object.values(definition().States).filter(
        (state) => state.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      );

      expect(waiting).toHaveLength(1);
      expect(waiting[0]?.Parameters?.Payload?.['taskToken.$']).toBe('$$.Task.Token');
      expect(waiting[0]?.Parameters?.FunctionName).toBe(STEPS_PLACEHOLDER);
      expect(waiting[0]?.TimeoutSeconds).toBeGreaterThan(0);
    });

    it('runs every step on the steps function: its one substitution is that function’s ARN', () => {
      expect(stateMachine().DefinitionSubstitutions).toEqual({ ConsumptionStepsFunctionArn: stepsArn() });
      const tasks = Object.values(definition().States).filter((state) => state.Type === 'Task');
      for (const task of tasks) {
        expect(task.Parameters?.FunctionName ?? task.Resource).toBe(STEPS_PLACEHOLDER);
      }
    });

    it('logs every execution event, without execution data, to its own log group with a retention', () => {
      const logGroupId = logicalId(pair.stateless, pair.stateless.consumption.stateMachine.logGroup);

      expect(stateMachine().LoggingConfiguration).toEqual({
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
      });
      const logGroup = template.findResources('AWS::Logs::LogGroup')[logGroupId]?.Properties;
      expect(logGroup?.RetentionInDays).toBeGreaterThan(0);
      expect(logGroup?.LogGroupName).toMatch(/^\/aws\/vendedlogs\/states\//);
      expect(stateMachine().TracingConfiguration).toEqual({ Enabled: true });
    });

    it('may invoke the steps function, unqualified, and no other function', () => {
      const statements = statementsOfRole(stateMachineRoleId());
      const invoking = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('lambda:')));

      expect(invoking.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
      const resources = invoking.flatMap(resourcesOf);
      expect(resources).toHaveLength(2);
      expect(resources).toEqual(
        expect.arrayContaining([stepsArn(), { 'Fn::Join': ['', [stepsArn(), ':$LATEST']] }]),
      );
    });

    it('holds "*" only for log delivery and tracing, which have no resource-level permissions', () => {
      const onAnything = statementsOfRole(stateMachineRoleId())
        .filter((s) => resourcesOf(s).includes('*'))
        .flatMap(actionsOf);

      expect(onAnything.length).toBeGreaterThan(0);
      for (const action of onAnything) expect(action).toMatch(/^(logs|xray):/);
    });
  });

  describe('steps function', () => {
    it('runs the consumption-steps handler for up to 30 s, with no dead-letter queue of its own', () => {
      const fn = template.findResources('AWS::Lambda::Function')[stepsId()]?.Properties;

      expect(fn?.Timeout).toBe(30);
      expect(fn?.DeadLetterConfig).toBeUndefined();
      expect(fn?.Environment.Variables.TABLE_NAME).toBeDefined();
    });

    it('reads and writes the table, transactions included', () => {
      const roleId = logicalId(pair.stateless, pair.stateless.consumption.steps.role);
      const actions = statementsOfRole(roleId).flatMap(actionsOf);

      // A transaction is authorised action by action: its puts, updates and condition checks.
      expect(actions).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:ConditionCheckItem',
        ]),
      );
    });
  });

  describe('agreement-products function', () => {
    const products = () => pair.stateless.consumption.agreementProducts;
    const productsId = () => logicalId(pair.stateless, products().function);
    const queueId = () => logicalId(pair.stateless, products().deadLetterQueue);

    it('runs in the stack with the table, and dead-letters what still fails into its encrypted queue', () => {
      const fn = template.findResources('AWS::Lambda::Function')[productsId()]?.Properties;

      expect(fn?.Description).toBe(
        "Adds the covering agreement's auto-create lines to a new work order as service products",
      );
      expect(fn?.Timeout).toBe(30);
      expect(fn?.Environment.Variables.TABLE_NAME).toBeDefined();
      expect(fn?.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [queueId(), 'Arn'] } });
      const queue = template.findResources('AWS::SQS::Queue')[queueId()]?.Properties;
      expect(queue?.SqsManagedSseEnabled).toBe(true);
    });

    it('alarms on its dead-letter queue and its errors, saying what stays undone', () => {
      const impact = "New work orders do not get their agreement's service products until re-driven";
      const onQueue = template.findResources('AWS::CloudWatch::Alarm', {
        Properties: {
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(), 'QueueName'] } }],
        },
      });
      const onErrors = template.findResources('AWS::CloudWatch::Alarm', {
        Properties: {
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: productsId() } }],
        },
      });

      for (const alarms of [onQueue, onErrors]) {
        const found = Object.values(alarms);
        expect(found).toHaveLength(1);
        expect(found[0]?.Properties).toMatchObject({
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmDescription: expect.stringContaining(impact),
        });
      }
    });

    it('is invoked by one rule on the bus, for WorkOrderCreated from the work orders, dead-lettering undeliverable events', () => {
      const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((rule) =>
        (rule.Properties.Targets ?? []).some(
          (target: { Arn: { 'Fn::GetAtt'?: string[] } }) => target.Arn['Fn::GetAtt']?.[0] === productsId(),
        ),
      );

      expect(EVENT_FUNCTIONS['agreement-products'].events).toEqual({
        source: 'fieldservice.work-orders',
        types: ['WorkOrderCreated'],
      });
      expect(rules).toHaveLength(1);
      expect(rules[0]?.Properties).toMatchObject({
        EventBusName: { Ref: logicalId(pair.stateless, pair.stateless.eventBus.bus) },
        EventPattern: { source: ['fieldservice.work-orders'], 'detail-type': ['WorkOrderCreated'] },
      });
      expect(rules[0]?.Properties.Targets).toHaveLength(1);
      expect(rules[0]?.Properties.Targets[0].DeadLetterConfig).toEqual({
        Arn: { 'Fn::GetAtt': [queueId(), 'Arn'] },
      });
    });
  });

  describe('index access', () => {
    it.each([
      ['agreement-products function', () => pair.stateless.consumption.agreementProducts.serviceFunction],
      ['steps function', () => pair.stateless.consumption.steps],
      ['consumption API function', () => consumptionApi()],
    ])("lets the %s Query each of the table's indexes (gsi2 among them) by name, never index/*", (_, fn) => {
      const indexes = queriedIndexes(fn());

      expect(indexes).toEqual(eachIndexByName());
      expect(indexes).toContainEqual({ 'Fn::Join': ['', [tableArn(), '/index/gsi2']] });
      expect(JSON.stringify(statementsOfRole(logicalId(pair.stateless, fn().role)))).not.toContain(
        '/index/*',
      );
    });
  });

  describe('consumption API function', () => {
    it('may start executions and answer task tokens of this state machine, and knows its ARN', () => {
      const roleId = logicalId(pair.stateless, consumptionApi().role);
      const onStateMachine = statementsOfRole(roleId).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('states:')),
      );

      expect(onStateMachine.flatMap(actionsOf).sort()).toEqual([
        'states:SendTaskFailure',
        'states:SendTaskHeartbeat',
        'states:SendTaskSuccess',
        'states:StartExecution',
      ]);
      for (const statement of onStateMachine) {
        expect(resourcesOf(statement)).toEqual([{ Ref: stateMachineId() }]);
      }
      const fn =
        template.findResources('AWS::Lambda::Function')[logicalId(pair.stateless, consumptionApi().function)];
      expect(fn?.Properties.Environment.Variables.CONSUMPTION_STATE_MACHINE_ARN).toEqual({
        Ref: stateMachineId(),
      });
    });

    it('is the only function that may start or resume executions', () => {
      const consumptionRole = logicalId(pair.stateless, consumptionApi().role);
      const others = Object.values(template.findResources('AWS::IAM::Policy')).filter(
        (p) => !p.Properties.Roles.some((r: { Ref: string }) => r.Ref === consumptionRole),
      );
      const stateActions = others
        .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('states:'));

      expect(stateActions).toEqual([]);
      const withArn = Object.entries(template.findResources('AWS::Lambda::Function'))
        .filter(([, fn]) => fn.Properties.Environment?.Variables?.CONSUMPTION_STATE_MACHINE_ARN !== undefined)
        .map(([id]) => id);
      expect(withArn).toEqual([logicalId(pair.stateless, consumptionApi().function)]);
    });
  });

  describe('alarms', () => {
    it.each([['ExecutionsFailed'], ['ExecutionsTimedOut'], ['ExecutionsAborted']])(
      'alarm on %s of this state machine and say how to re-drive',
      (metricName) => {
        const alarms = Object.values(
          template.findResources('AWS::CloudWatch::Alarm', {
            Properties: {
              Namespace: 'AWS/States',
              MetricName: metricName,
              Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId() } }],
            },
          }),
        );

        expect(alarms).toHaveLength(1);
        expect(alarms[0]?.Properties).toMatchObject({
          Statistic: 'Sum',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
          AlarmDescription: expect.stringContaining('aws stepfunctions redrive-execution --execution-arn'),
        });
        expect(alarms[0]?.Properties.AlarmDescription.length).toBeLessThanOrEqual(1024);
      },
    );

    it('tell the failures the definition ends in on purpose from those it stopped on', () => {
      const failed = Object.values(
        template.findResources('AWS::CloudWatch::Alarm', {
          Properties: { Namespace: 'AWS/States', MetricName: 'ExecutionsFailed' },
        }),
      )[0]?.Properties.AlarmDescription as string;

      const ends = Object.values(asl.States).flatMap((state) =>
        state.Type === 'Fail' && state.Error ? [state.Error] : [],
      );
      expect(ends.sort()).toEqual(['ApprovalTimedOut', 'ConsumptionFailed']);
      for (const end of ends) expect(failed).toContain(end);
      expect(failed).toContain('needs no re-drive');
    });
  });

  it('acknowledge on the state machine role only the wildcard that log delivery and tracing need', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.Roles.some((r: { Ref: string }) => r.Ref === stateMachineRoleId()),
    );
    const acknowledged = policies.flatMap(
      (p) => (p.Metadata?.cdk_nag?.rules_to_suppress ?? []) as { id: string; reason: string }[],
    );

    expect(acknowledged.map((ack) => ack.id)).toEqual(['AwsSolutions-IAM5[Resource::*]']);
    expect(acknowledged[0]?.reason).toMatch(/logs:CreateLogDelivery.*xray:PutTraceSegments/s);
  });
});
