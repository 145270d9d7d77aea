import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { EVENT_FUNCTIONS } from '../../functions/handlers/event-functions';
import { AsyncFunction, type AsyncFunctionProps } from '../../lib/constructs/async-function';
import { DomainEventBus } from '../../lib/constructs/event-bus';
import { ScheduleGroup } from '../../lib/constructs/schedule-group';
import { ServiceFunction } from '../../lib/constructs/service-function';
import { StandardStateMachine, type StandardStateMachineProps } from '../../lib/constructs/state-machine';
import { DeployedLogicalIds } from '../../lib/stacks/deployed-logical-ids';
import { TEST_ACCOUNT } from './synth';

/** A stack whose Lambdas are not bundled: these tests read templates, not code. */
function unbundledStack(): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return new Stack(app, 'Constructs', { env: { account: TEST_ACCOUNT, region: 'eu-west-1' } });
}

const asyncProps = (overrides: Partial<AsyncFunctionProps> = {}): AsyncFunctionProps => ({
  entry: EVENT_FUNCTIONS.reminder.entry,
  failureImpact: 'Work could not be done',
  ...overrides,
});

const streamTable = (stack: Stack) =>
  new dynamodb.TableV2(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    dynamoStream: dynamodb.StreamViewType.NEW_IMAGE,
  });

const streamOptions = { batchSize: 10, retryAttempts: 3, maxRecordAge: Duration.hours(1) };

const logicalIdOf = (stack: Stack, construct: Construct) =>
  (stack.resolve((construct.node.defaultChild as unknown as { ref: string }).ref) as { Ref: string }).Ref;

const queueAlarm = (queueLogicalId: string) => ({
  MetricName: 'ApproximateNumberOfMessagesVisible',
  Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueLogicalId, 'QueueName'] } }],
  Threshold: 1,
});

describe('AsyncFunction', () => {
  it('invoked by events: dead-letters its invocations into an encrypted, TLS-only queue, and is alarmed', () => {
    const stack = unbundledStack();
    const fn = new AsyncFunction(stack, 'Worker', asyncProps());
    const template = Template.fromStack(stack);
    const queue = logicalIdOf(stack, fn.deadLetterQueue);

    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [queue, 'Arn'] } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', queueAlarm(queue));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(stack, fn.function) } }],
    });
  });

  it('invoked by a stream: the queue is the on-failure destination of the mapping, and lag is alarmed', () => {
    const stack = unbundledStack();
    const fn = new AsyncFunction(stack, 'Reader', asyncProps({ invokedBy: 'stream' }));
    fn.consumeStream(streamTable(stack), streamOptions);
    const template = Template.fromStack(stack);
    const queue = logicalIdOf(stack, fn.deadLetterQueue);

    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    const lambda = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    expect(lambda?.Properties.DeadLetterConfig).toBeUndefined();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', queueAlarm(queue));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge' });
  });

  it('with an on-failure destination: the queue receives invocation records instead of bare events', () => {
    const stack = unbundledStack();
    const fn = new AsyncFunction(stack, 'Worker', asyncProps({ failureDelivery: 'on-failure-destination' }));
    const template = Template.fromStack(stack);
    const queue = logicalIdOf(stack, fn.deadLetterQueue);

    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalIdOf(stack, fn.function) },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    const lambda = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    expect(lambda?.Properties.DeadLetterConfig).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Resource: { 'Fn::GetAtt': [queue, 'Arn'] },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', queueAlarm(queue));
  });

  it('refuses a failure delivery for a stream, whose failures always arrive as on-failure records', () => {
    const stack = unbundledStack();

    expect(
      () =>
        new AsyncFunction(
          stack,
          'Reader',
          asyncProps({ invokedBy: 'stream', failureDelivery: 'on-failure-destination' }),
        ),
    ).toThrow(/reads a stream/);
  });

  it('reads a stream only when made for one, once, and fails the synth when it never does', () => {
    const stack = unbundledStack();
    const table = streamTable(stack);
    const byEvents = new AsyncFunction(stack, 'ByEvents', asyncProps());
    new AsyncFunction(stack, 'NeverReads', asyncProps({ invokedBy: 'stream' }));
    const reader = new AsyncFunction(stack, 'Reader', asyncProps({ invokedBy: 'stream' }));
    reader.consumeStream(table, streamOptions);

    expect(() => byEvents.consumeStream(table, streamOptions)).toThrow(/invoked by events/);
    expect(() => reader.consumeStream(table, streamOptions)).toThrow(/already reads a stream/);
    expect(() => Template.fromStack(stack)).toThrow(/NeverReads is invoked by a stream it never reads/);
  });
});

describe('DomainEventBus', () => {
  it("subscribes a function with the function's own queue as the target's dead-letter queue", () => {
    const stack = unbundledStack();
    const bus = new DomainEventBus(stack, 'Bus', { sourcePrefix: 'test.' });
    const fn = new AsyncFunction(stack, 'Consumer', asyncProps());
    bus.subscribe('Things', 'Things happened', { source: 'test.things', types: ['ThingHappened'] }, fn);
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: logicalIdOf(stack, bus.bus) },
      EventPattern: { source: ['test.things'], 'detail-type': ['ThingHappened'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(stack, fn.function), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(stack, fn.deadLetterQueue), 'Arn'] } },
        }),
      ],
    });
  });

  it('refuses a function that reads a stream', () => {
    const stack = unbundledStack();
    const bus = new DomainEventBus(stack, 'Bus', { sourcePrefix: 'test.' });
    const reader = new AsyncFunction(stack, 'Reader', asyncProps({ invokedBy: 'stream' }));

    expect(() => bus.subscribe('Things', 'Things', { source: 'test.things', types: ['X'] }, reader)).toThrow(
      /reads a stream/,
    );
  });
});

describe('ScheduleGroup', () => {
  /** Two groups in one stack, each with its scheduling function and a target of its own kind. */
  function twoGroups() {
    const stack = unbundledStack();
    const kinds = [
      { name: 'First', kind: 'reminder', env: 'REMINDER' },
      { name: 'Second', kind: 'agreement-expiry', env: 'AGREEMENT_EXPIRY' },
    ] as const;
    const wiring = kinds.map(({ name, kind, env }) => {
      const group = new ScheduleGroup(stack, `${name}Schedules`);
      const scheduling = new ServiceFunction(stack, `${name}Api`, { entry: EVENT_FUNCTIONS.reminder.entry });
      const target = new AsyncFunction(stack, `${name}Target`, asyncProps());
      group.allowScheduling(scheduling, target, kind);
      return { group, scheduling, target, env };
    });
    return { stack, wiring, template: Template.fromStack(stack) };
  }

  const statementsOf = (template: Template, stack: Stack, role: Construct) =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === logicalIdOf(stack, role)))
      .flatMap(
        (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      );

  it('tells the scheduling function its group, target, role and dead-letter queue', () => {
    const { stack, wiring, template } = twoGroups();

    for (const { group, scheduling, target, env } of wiring) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: Match.absent(),
        Environment: {
          Variables: Match.objectLike({
            SCHEDULE_GROUP: { Ref: stack.getLogicalId(group.group) },
            [`${env}_TARGET_ARN`]: { 'Fn::GetAtt': [logicalIdOf(stack, target.function), 'Arn'] },
            SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [logicalIdOf(stack, group.role), 'Arn'] },
            [`${env}_DLQ_ARN`]: { 'Fn::GetAtt': [logicalIdOf(stack, target.deadLetterQueue), 'Arn'] },
          }),
        },
        Role: { 'Fn::GetAtt': [logicalIdOf(stack, scheduling.role), 'Arn'] },
      });
    }
  });

  it("scopes each function's scheduling rights to its own group's schedules and role", () => {
    const { stack, wiring, template } = twoGroups();

    for (const { group, scheduling } of wiring) {
      const statements = statementsOf(template, stack, scheduling.role);
      const scheduler = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('scheduler:')));
      const passRole = statements.filter((s) => [s.Action].flat().includes('iam:PassRole'));

      expect(scheduler).toHaveLength(1);
      expect(JSON.stringify(scheduler[0]?.Resource)).toContain(
        `{"Ref":"${stack.getLogicalId(group.group)}"}`,
      );
      expect(JSON.stringify(scheduler[0]?.Resource)).toMatch(/":schedule\/",\{"Ref":"[^"]+"\},"\/\*"/);
      expect(passRole.map((s) => s.Resource)).toEqual([
        { 'Fn::GetAtt': [logicalIdOf(stack, group.role), 'Arn'] },
      ]);
    }
  });

  it('lets its role invoke only the targets it was given and send to their queues', () => {
    const { stack, wiring, template } = twoGroups();

    for (const { group, target } of wiring) {
      const statements = statementsOf(template, stack, group.role);
      expect(statements.filter((s) => s.Action === 'lambda:InvokeFunction').map((s) => s.Resource)).toEqual([
        { 'Fn::GetAtt': [logicalIdOf(stack, target.function), 'Arn'] },
      ]);
      expect(statements.find((s) => [s.Action].flat().includes('sqs:SendMessage'))?.Resource).toEqual({
        'Fn::GetAtt': [logicalIdOf(stack, target.deadLetterQueue), 'Arn'],
      });
    }
  });
});

describe('StandardStateMachine', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder as an ASL file spells it
  const WORKER = '${Worker}';
  /** A one-step definition whose task runs the function substituted for WORKER. */
  const definitionFile = () => {
    const file = join(mkdtempSync(join(tmpdir(), 'state-machine-')), 'flow.asl.json');
    writeFileSync(
      file,
      JSON.stringify({
        StartAt: 'Work',
        States: {
          Work: { Type: 'Task', Resource: WORKER, Next: 'Done' },
          Done: { Type: 'Fail', Error: 'WorkRefused' },
        },
      }),
    );
    return file;
  };
  const machine = (
    stack: Stack,
    overrides: (worker: ServiceFunction) => Partial<StandardStateMachineProps>,
  ) => {
    const worker = new ServiceFunction(stack, 'Worker', { entry: EVENT_FUNCTIONS.reminder.entry });
    const props: StandardStateMachineProps = {
      definitionFile: definitionFile(),
      definitionSubstitutions: { Worker: worker.function.functionArn },
      invokes: [worker.function],
      arnVariable: 'CONSUMPTION_STATE_MACHINE_ARN',
      purpose: 'Work',
      ...overrides(worker),
    };
    return { worker, stateMachine: new StandardStateMachine(stack, 'Flow', props) };
  };
  const statementsOf = (template: Template, stack: Stack, role: Construct) =>
    Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === logicalIdOf(stack, role)))
      .flatMap(
        (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      );

  it('fails the synth on a placeholder without a value and on a value without a placeholder', () => {
    expect(() => machine(unbundledStack(), () => ({ definitionSubstitutions: {} }))).toThrow(
      /no substitution for Worker/,
    );
    expect(() =>
      machine(unbundledStack(), (worker) => ({
        definitionSubstitutions: { Worker: worker.function.functionArn, Wroker: 'x' },
      })),
    ).toThrow(/has no placeholder Wroker/);
  });

  it('lets its role invoke the functions it runs and no other', () => {
    const stack = unbundledStack();
    const other = new ServiceFunction(stack, 'Other', { entry: EVENT_FUNCTIONS.reminder.entry });
    const { worker, stateMachine } = machine(stack, () => ({}));
    const template = Template.fromStack(stack);
    const workerArn = { 'Fn::GetAtt': [logicalIdOf(stack, worker.function), 'Arn'] };

    const invoking = statementsOf(template, stack, stateMachine.stateMachine.role).filter((s) =>
      [s.Action].flat().includes('lambda:InvokeFunction'),
    );
    expect(invoking.flatMap((s) => [s.Resource].flat())).toEqual(
      expect.arrayContaining([workerArn, { 'Fn::Join': ['', [workerArn, ':$LATEST']] }]),
    );
    expect(JSON.stringify(invoking)).not.toContain(logicalIdOf(stack, other.function));
    expect(JSON.stringify(invoking)).not.toContain('*');
  });

  it('tells a function it lets start executions the ARN under the variable it was given', () => {
    const stack = unbundledStack();
    const { stateMachine } = machine(stack, () => ({}));
    const starter = new ServiceFunction(stack, 'Starter', { entry: EVENT_FUNCTIONS.reminder.entry });
    const responder = new ServiceFunction(stack, 'Responder', { entry: EVENT_FUNCTIONS.reminder.entry });
    stateMachine.allowStarting(starter);
    stateMachine.allowTaskResponses(responder);
    const template = Template.fromStack(stack);
    const arn = { Ref: logicalIdOf(stack, stateMachine.stateMachine) };

    template.hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [logicalIdOf(stack, starter.role), 'Arn'] },
      Environment: { Variables: Match.objectLike({ CONSUMPTION_STATE_MACHINE_ARN: arn }) },
    });
    const startActions = statementsOf(template, stack, starter.role).filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('states:')),
    );
    expect(startActions).toEqual([
      expect.objectContaining({ Action: 'states:StartExecution', Resource: arn }),
    ]);
    const responses = statementsOf(template, stack, responder.role).filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('states:')),
    );
    expect(responses.flatMap((s) => [s.Action].flat()).sort()).toEqual([
      'states:SendTaskFailure',
      'states:SendTaskHeartbeat',
      'states:SendTaskSuccess',
    ]);
    expect(responses.map((s) => s.Resource)).toEqual([arn]);
  });

  it("names the definition's own Fail states in the failure alarm", () => {
    const stack = unbundledStack();
    machine(stack, () => ({}));

    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      AlarmDescription: Match.stringLikeRegexp('failed with WorkRefused took a path'),
    });
  });
});

describe('DeployedLogicalIds', () => {
  class KeepingStack extends Stack {
    constructor(
      app: App,
      private readonly deployed: DeployedLogicalIds,
    ) {
      super(app, 'Keeping');
    }
    protected override allocateLogicalId(element: CfnElement): string {
      return this.deployed.of(element) ?? super.allocateLogicalId(element);
    }
  }

  it('gives a moved resource, and what lies below it, the logical IDs of the path it was deployed under', () => {
    const before = new Stack(new App(), 'Before');
    const deployedQueue = new sqs.Queue(before, 'OldQueue', { enforceSSL: true });

    const after = new KeepingStack(
      new App(),
      new DeployedLogicalIds([{ now: 'Capability/Queue', deployedAs: 'OldQueue' }]),
    );
    const movedQueue = new sqs.Queue(new Construct(after, 'Capability'), 'Queue', { enforceSSL: true });

    expect(logicalIdOf(after, movedQueue)).toBe(logicalIdOf(before, deployedQueue));
    expect(Object.keys(Template.fromStack(after).toJSON().Resources).sort()).toEqual(
      Object.keys(Template.fromStack(before).toJSON().Resources).sort(),
    );
  });

  it('leaves unmoved resources alone and names moves whose path no longer exists', () => {
    const deployed = new DeployedLogicalIds([
      { now: 'Capability/Queue', deployedAs: 'OldQueue' },
      { now: 'Renamed/Queue', deployedAs: 'OtherQueue' },
    ]);
    const stack = new KeepingStack(new App(), deployed);
    new sqs.Queue(new Construct(stack, 'Capability'), 'Queue');
    const untouched = new sqs.Queue(stack, 'Untouched');

    expect(logicalIdOf(stack, untouched)).toMatch(/^Untouched[0-9A-F]{8}$/);
    expect(deployed.missingIn(stack)).toEqual(['Renamed/Queue']);
  });
});
