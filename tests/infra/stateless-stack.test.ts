import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX_ENTITY_TYPE, TABLE } from '../../functions/adapters/dynamodb/table-definition';
import { IDENTITY_EVENTS } from '../../functions/domain/organisation/identity';
import { REINDEX_EVENTS } from '../../functions/domain/work-orders/scene-reindexer';
import { API_FUNCTIONS, type ApiFunction } from '../../functions/handlers/api/api-functions';
import { EVENT_FUNCTIONS } from '../../functions/handlers/event-functions';
import type { RegionStacks } from '../../lib/app';
import { INBOUND_MAIL_OUTPUTS } from '../../lib/config/stack-names';
import type { AsyncFunction } from '../../lib/constructs/async-function';
import { ESM_REQUIRE_BANNER, LAMBDA_NODE_TARGET } from '../../lib/constructs/bundling';
import type { ServiceFunction } from '../../lib/constructs/service-function';
import { type SynthesizedApp, synthesizeApp, TEST_REGIONS } from './synth';

let synthesized: SynthesizedApp;

beforeAll(() => {
  synthesized = synthesizeApp();
  if (synthesized.synthError) throw synthesized.synthError;
});

afterAll(() => synthesized?.dispose());

const catalog: [string, ApiFunction][] = Object.entries(API_FUNCTIONS);
const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);
/** How the stateless template reads `value` (a Ref or GetAtt in the stateful template): its export. */
function importOf(stateful: Template, value: unknown): { 'Fn::ImportValue': string } {
  const output = Object.values(stateful.findOutputs('*')).find(
    (o) => JSON.stringify(o.Value) === JSON.stringify(value),
  );
  if (!output?.Export?.Name) throw new Error(`the stateful stack exports no ${JSON.stringify(value)}`);
  return { 'Fn::ImportValue': output.Export.Name };
}

describe.each(TEST_REGIONS)('stateless stack in %s', (region) => {
  let pair: RegionStacks;
  let template: Template;
  let stateful: Template;
  const fnLogicalId = (fn: ServiceFunction | AsyncFunction) => logicalId(pair.stateless, fn.function);
  const statefulRef = (construct: { node: { defaultChild?: unknown } }) =>
    importOf(stateful, { Ref: logicalId(pair.stateful, construct) });
  const statefulAtt = (construct: { node: { defaultChild?: unknown } }, attribute: string) =>
    importOf(stateful, { 'Fn::GetAtt': [logicalId(pair.stateful, construct), attribute] });
  const functionIdsUnder = (scope: Construct | undefined) =>
    (scope?.node.findAll() ?? [])
      .filter((c): c is CfnFunction => c instanceof CfnFunction)
      .map((fn) => pair.stateless.getLogicalId(fn));
  /** The custom resource that activates the receipt rule set: its handler and the CDK's provider framework. */
  const activationFunctionIds = () => functionIdsUnder(pair.stateless.inboundMail?.activation);
  const providerFrameworkIds = () => functionIdsUnder(pair.stateless.inboundMail?.activation.provider);

  beforeAll(() => {
    const found = synthesized.regions.find((r) => r.region === region);
    if (!found) throw new Error(`no stacks for ${region}`);
    pair = found;
    template = synthesized.template(pair.stateless);
    stateful = synthesized.template(pair.stateful);
  });

  describe('HTTP API', () => {
    it('verifies Cognito ID tokens of the stateful user pool and its API client by default', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
      template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [statefulRef(pair.stateful.apiClient)],
          Issuer: {
            'Fn::Join': [
              '',
              [
                `https://cognito-idp.${region}.`,
                { Ref: 'AWS::URLSuffix' },
                '/',
                statefulRef(pair.stateful.userPool),
              ],
            ],
          },
        },
      });
    });

    it('has exactly one route per catalog contract, to the function of its catalog entry', () => {
      const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
      const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
      const authorizerId = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'))[0];
      const expectedKeys = catalog.flatMap(([, fn]) => fn.routes.map((r) => `${r.method} ${r.path}`));

      expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual([...expectedKeys].sort());

      for (const [name, definition] of catalog) {
        const fn = pair.stateless.api.functions.get(name);
        expect(fn, `function for catalog entry ${name}`).toBeDefined();
        for (const contract of definition.routes) {
          const routeKey = `${contract.method} ${contract.path}`;
          const route = routes.find((r) => r.Properties.RouteKey === routeKey);
          const target = route?.Properties.Target['Fn::Join'][1][1].Ref as string;

          expect(integrations[target]?.Properties.IntegrationUri, routeKey).toEqual({
            'Fn::GetAtt': [fnLogicalId(fn as ServiceFunction), 'Arn'],
          });
          if (contract.auth === 'none') {
            expect(route?.Properties, routeKey).toMatchObject({ AuthorizationType: 'NONE' });
            expect(route?.Properties.AuthorizerId, routeKey).toBeUndefined();
          } else {
            expect(route?.Properties, routeKey).toMatchObject({
              AuthorizationType: 'JWT',
              AuthorizerId: { Ref: authorizerId },
            });
          }
        }
      }
    });

    it('serves at least one public route (health) and keeps every other route behind the JWT authorizer', () => {
      const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
      const publicKeys = catalog.flatMap(([, fn]) =>
        fn.routes.filter((r) => r.auth === 'none').map((r) => `${r.method} ${r.path}`),
      );

      expect(publicKeys).toContain('GET /health');
      expect(
        routes.filter((r) => r.Properties.AuthorizationType !== 'JWT').map((r) => r.Properties.RouteKey),
      ).toEqual(expect.arrayContaining(publicKeys));
      expect(routes.filter((r) => r.Properties.AuthorizationType !== 'JWT')).toHaveLength(publicKeys.length);
    });

    it('logs every request of the default stage as JSON to a log group with retention', () => {
      const logGroups = template.findResources('AWS::Logs::LogGroup');
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
          Format: Match.stringLikeRegexp('\\$context\\.requestId'),
        },
      });
      const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
      const logGroup = logGroups[stage?.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0]];

      expect(logGroup?.Properties.RetentionInDays).toBeGreaterThan(0);
      expect(() => JSON.parse(stage?.Properties.AccessLogSettings.Format)).not.toThrow();
    });

    it('lets each function be invoked by the API with one permission, not one per route', () => {
      const permissions = Object.values(
        template.findResources('AWS::Lambda::Permission', {
          Properties: { Principal: 'apigateway.amazonaws.com' },
        }),
      );

      expect(permissions.map((p) => p.Properties.FunctionName['Fn::GetAtt'][0]).sort()).toEqual(
        [...pair.stateless.api.functions.values()].map(fnLogicalId).sort(),
      );
    });
  });

  describe('Lambda functions', () => {
    it('are one per catalog entry and one per event function, plus the rule set activation', () => {
      expect(activationFunctionIds()).toHaveLength(2);
      template.resourceCountIs(
        'AWS::Lambda::Function',
        catalog.length + Object.keys(EVENT_FUNCTIONS).length + activationFunctionIds().length,
      );
      expect([...pair.stateless.api.functions.keys()].sort()).toEqual(catalog.map(([name]) => name).sort());
    });

    it('all run Node 22 on arm64 with active tracing, source maps and their own log group', () => {
      // The CDK's custom resource framework brings its own code and runtime; only its log group is ours.
      const framework = new Set(providerFrameworkIds());
      const functions = Object.entries(template.findResources('AWS::Lambda::Function'))
        .filter(([id]) => !framework.has(id))
        .map(([, fn]) => fn);
      const logGroups = template.findResources('AWS::Logs::LogGroup');

      for (const fn of functions) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          Handler: 'index.handler',
          Environment: { Variables: { LOG_LEVEL: 'info', NODE_OPTIONS: '--enable-source-maps' } },
        });
        const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
        expect(logGroups[logGroupId]?.Properties.RetentionInDays).toBeGreaterThan(0);
      }
      expect(`nodejs${LAMBDA_NODE_TARGET.replace('node', '')}.x`).toBe('nodejs22.x');
    });

    it('give each API function the memory and timeout of its catalog entry', () => {
      const functions = template.findResources('AWS::Lambda::Function');
      for (const [name, definition] of catalog) {
        const fn = pair.stateless.api.functions.get(name);
        const properties = functions[fnLogicalId(fn as ServiceFunction)]?.Properties;
        expect(properties, name).toMatchObject({
          MemorySize: definition.memoryMb ?? 512,
          Timeout: definition.timeoutSeconds ?? 10,
        });
      }
    });

    it('use roles without AWS managed policies', () => {
      for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    it('ship ESM bundles with the SDK inside, the require banner and a source map', () => {
      const outdir = synthesized.app.outdir;
      const bundles = readdirSync(outdir)
        .filter((dir) => dir.startsWith('asset.') && existsSync(join(outdir, dir, 'index.mjs')))
        .map((dir) => join(outdir, dir));

      // The rule set activation's handler is bundled too; the provider framework ships plain JavaScript.
      expect(bundles).toHaveLength(catalog.length + Object.keys(EVENT_FUNCTIONS).length + 1);
      for (const bundle of bundles) {
        const code = readFileSync(join(bundle, 'index.mjs'), 'utf8');
        expect(code.startsWith(ESM_REQUIRE_BANNER), bundle).toBe(true);
        expect(code, bundle).not.toMatch(/from\s*["']@aws-sdk\//);
        expect(existsSync(join(bundle, 'index.mjs.map')), bundle).toBe(true);
      }
    });

    it('API functions get TABLE_NAME and data access to the table and each index by name, never index/*', () => {
      const policies = template.findResources('AWS::IAM::Policy');
      const roles = template.findResources('AWS::IAM::Role');

      for (const [name, fn] of pair.stateless.api.functions) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          Description: `API: ${name}`,
          Environment: {
            Variables: Match.objectLike({
              TABLE_NAME: statefulRef(pair.stateful.table),
            }),
          },
        });
        const roleId = logicalId(pair.stateless, fn.role);
        expect(roles[roleId]).toBeDefined();
        const policy = Object.values(policies).find((p) => p.Properties.Roles[0].Ref === roleId);
        const statements = policy?.Properties.PolicyDocument.Statement as {
          Action: unknown;
          Resource: unknown;
        }[];

        const tableArn = statefulAtt(pair.stateful.table, 'Arn');

        expect(statements).toContainEqual(
          expect.objectContaining({
            Action: expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']),
            Resource: tableArn,
          }),
        );
        const indexResources = statements.find(
          (statement) => statement.Action === 'dynamodb:Query',
        )?.Resource;
        expect(indexResources).toEqual(
          TABLE.globalIndexes.map((index) => ({ 'Fn::Join': ['', [tableArn, `/index/${index.name}`]] })),
        );
        expect(JSON.stringify(statements)).not.toContain('/index/*');
      }
    });
  });

  describe('outbox publisher', () => {
    const outboxMapping = () =>
      Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).find(
        (m) => m.Properties.FunctionName.Ref === fnLogicalId(pair.stateless.outboxPublisher),
      );

    it('reads new outbox items from the table stream, bisecting and reporting failures, into a DLQ', () => {
      const dlq = logicalId(pair.stateless, pair.stateless.outboxPublisher.deadLetterQueue);
      // The outbox publisher and the plans' schedule keeper: the two readers a table stream serves well.
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: fnLogicalId(pair.stateless.outboxPublisher) },
        EventSourceArn: statefulAtt(pair.stateful.table, 'StreamArn'),
        StartingPosition: 'TRIM_HORIZON',
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: Match.anyValue(),
        MaximumRecordAgeInSeconds: Match.anyValue(),
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlq, 'Arn'] } } },
      });
      const mapping = outboxMapping();
      expect(mapping?.Properties.MaximumRetryAttempts).toBeLessThanOrEqual(10_000);
      expect(mapping?.Properties.MaximumRetryAttempts).toBeGreaterThan(0);
      expect(mapping?.Properties.MaximumRecordAgeInSeconds).toBeLessThan(24 * 3600);
      expect(mapping?.Properties.BatchSize).toBeGreaterThan(0);
    });

    it('is invoked only for inserted outbox items (Lambda event filter)', () => {
      const mapping = outboxMapping();
      const patterns = mapping?.Properties.FilterCriteria.Filters.map((f: { Pattern: string }) =>
        JSON.parse(f.Pattern),
      );

      expect(patterns).toEqual([
        { eventName: ['INSERT'], dynamodb: { NewImage: { entityType: { S: [OUTBOX_ENTITY_TYPE] } } } },
      ]);
    });

    it('knows the bus and may put events on it, and only on it', () => {
      const bus = Object.keys(template.findResources('AWS::Events::EventBus'))[0];
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ EVENT_BUS_NAME: { Ref: bus } }) },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalId(pair.stateless, pair.stateless.outboxPublisher.role) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            { Action: 'events:PutEvents', Effect: 'Allow', Resource: { 'Fn::GetAtt': [bus, 'Arn'] } },
          ]),
        },
      });
    });

    it('dead-letters into encrypted, TLS-only queues (as does the identity provisioner)', () => {
      const queues = template.findResources('AWS::SQS::Queue');
      const queuePolicies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));

      // One per asynchronous function: outbox publisher, identity provisioner, scene indexer, mailer,
      // reminder, agreement generator, agreement products, agreement expiry, inbound mail, plan generator,
      // plan schedule keeper, plan agreement end.
      expect(Object.keys(queues)).toHaveLength(12);
      for (const [id, queue] of Object.entries(queues)) {
        expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
        const policy = queuePolicies.find((p) => p.Properties.Queues[0].Ref === id);
        expect(policy?.Properties.PolicyDocument.Statement, id).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    });
  });

  describe('scene indexer', () => {
    it('is invoked by the re-filing events its handler expects, dead-letters them, and waits out the grace', () => {
      const rules = Object.values(template.findResources('AWS::Events::Rule'));
      const rule = rules.find(
        (r) => r.Properties.Targets?.[0]?.Arn['Fn::GetAtt']?.[0] === fnLogicalId(pair.stateless.sceneIndexer),
      );
      expect(rule?.Properties.EventPattern).toEqual({
        source: [REINDEX_EVENTS.source],
        'detail-type': [...REINDEX_EVENTS.types],
      });
      expect(rule?.Properties.Targets[0].DeadLetterConfig).toEqual({
        Arn: {
          'Fn::GetAtt': [logicalId(pair.stateless, pair.stateless.sceneIndexer.deadLetterQueue), 'Arn'],
        },
      });
      const fn = template.findResources('AWS::Lambda::Function')[fnLogicalId(pair.stateless.sceneIndexer)];
      // A step may start only after the grace, so the function outlives it with room for the work.
      const grace = Number(fn?.Properties.Environment.Variables.SCENE_REINDEX_GRACE_SECONDS);
      expect(fn?.Properties.Timeout).toBeGreaterThan(grace + 120);
    });
  });

  describe('identity provisioner', () => {
    it('is invoked by the organisation events its handler expects', () => {
      const rules = Object.values(template.findResources('AWS::Events::Rule'));
      const rule = rules.find(
        (r) =>
          r.Properties.Targets?.[0]?.Arn['Fn::GetAtt']?.[0] ===
          fnLogicalId(pair.stateless.identityProvisioner),
      );

      expect(rule?.Properties).toMatchObject({
        EventBusName: { Ref: Object.keys(template.findResources('AWS::Events::EventBus'))[0] },
        EventPattern: { source: [IDENTITY_EVENTS.source], 'detail-type': [...IDENTITY_EVENTS.types] },
      });
      expect(rule?.Properties.Targets[0].DeadLetterConfig).toEqual({
        Arn: {
          'Fn::GetAtt': [
            logicalId(pair.stateless, pair.stateless.identityProvisioner.deadLetterQueue),
            'Arn',
          ],
        },
      });
    });

    it('dead-letters failed runs, knows the user pool and the table, and may only read the table', () => {
      const dlq = logicalId(pair.stateless, pair.stateless.identityProvisioner.deadLetterQueue);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: 'Keeps Cognito logins in line with user records',
        DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] } },
        Environment: {
          Variables: Match.objectLike({
            USER_POOL_ID: statefulRef(pair.stateful.userPool),
            TABLE_NAME: statefulRef(pair.stateful.table),
          }),
        },
      });
      const roleId = logicalId(pair.stateless, pair.stateless.identityProvisioner.role);
      const policy = Object.values(template.findResources('AWS::IAM::Policy')).find(
        (p) => p.Properties.Roles[0].Ref === roleId,
      );
      const statements = policy?.Properties.PolicyDocument.Statement as { Action: string | string[] }[];
      const actions = statements.flatMap((statement) => statement.Action);

      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: expect.arrayContaining(['cognito-idp:AdminCreateUser', 'cognito-idp:AdminAddUserToGroup']),
          Resource: statefulAtt(pair.stateful.userPool, 'Arn'),
        }),
      );
      expect(actions).toContain('dynamodb:GetItem');
      expect(actions.filter((action) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(action))).toEqual([]);
    });
  });

  describe('event bus', () => {
    it('is one custom bus per stack, archived for replay', () => {
      template.resourceCountIs('AWS::Events::EventBus', 1);
      const bus = Object.keys(template.findResources('AWS::Events::EventBus'))[0];
      template.hasResourceProperties('AWS::Events::Archive', {
        SourceArn: { 'Fn::GetAtt': [bus, 'Arn'] },
        RetentionDays: Match.anyValue(),
      });
    });
  });

  describe('alarms', () => {
    it('watch the dead-letter queues, the publisher and API 5xx', () => {
      const dlq = logicalId(pair.stateless, pair.stateless.outboxPublisher.deadLetterQueue);
      const api = logicalId(pair.stateless, pair.stateless.api.api);
      const publisher = fnLogicalId(pair.stateless.outboxPublisher);

      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
        Threshold: 1,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: publisher } }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: {
              'Fn::GetAtt': [
                logicalId(pair.stateless, pair.stateless.identityProvisioner.deadLetterQueue),
                'QueueName',
              ],
            },
          },
        ],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApiGateway',
        MetricName: '5xx',
        Dimensions: [{ Name: 'ApiId', Value: { Ref: api } }],
      });
    });
  });

  describe('asynchronous functions', () => {
    it('every function outside the API and the state machine dead-letters into an encrypted queue, and both are alarmed', () => {
      // The activation runs inside a CloudFormation deployment, which reports its failure itself.
      const notAsync = new Set([...pair.stateless.api.functions.values()].map(fnLogicalId));
      for (const id of activationFunctionIds()) notAsync.add(id);
      // Step Functions invokes the steps synchronously and owns their retries and catches: what still
      // fails is a failed execution, alarmed and re-driven on the state machine (tests/infra/consumption.test.ts).
      notAsync.add(fnLogicalId(pair.stateless.consumption.steps));
      const functions = Object.keys(template.findResources('AWS::Lambda::Function')).filter(
        (id) => !notAsync.has(id),
      );
      const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
      const invokeConfigs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'));
      const queues = template.findResources('AWS::SQS::Queue');

      expect(functions).toHaveLength(Object.keys(EVENT_FUNCTIONS).length - 1);
      for (const id of functions) {
        const fn = template.findResources('AWS::Lambda::Function')[id];
        const mapping = mappings.find((m) => m.Properties.FunctionName.Ref === id);
        const invokeConfig = invokeConfigs.find((c) => c.Properties.FunctionName.Ref === id);
        const queue = (fn?.Properties.DeadLetterConfig?.TargetArn ??
          mapping?.Properties.DestinationConfig?.OnFailure?.Destination ??
          invokeConfig?.Properties.DestinationConfig?.OnFailure?.Destination)?.['Fn::GetAtt']?.[0] as string;

        expect(queues[queue]?.Properties.SqsManagedSseEnabled, id).toBe(true);
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
          Threshold: 1,
        });
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
        });
      }
    });
  });

  it('keeps the logical IDs its resources were deployed with, so a deploy updates them in place', () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string }>;
    const typeOf = (id: string) => resources[id]?.Type;

    // Replacing these loses data: queued messages, archived events, pending schedules.
    expect(typeOf('EventBus7B8748AA')).toBe('AWS::Events::EventBus');
    expect(typeOf('EventBusEventArchive82E66C32')).toBe('AWS::Events::Archive');
    expect(typeOf('ReminderSchedules')).toBe('AWS::Scheduler::ScheduleGroup');
    for (const queue of [
      'OutboxDeadLetterQueueA11B6070',
      'IdentityDeadLetterQueueD835B793',
      'WorkOrderMailerDeadLetterQueue7CC35E28',
      'ReminderDeadLetterQueue0D974BDB',
    ]) {
      expect(typeOf(queue), queue).toBe('AWS::SQS::Queue');
    }
    // Pending schedules name these by ARN; the API URL carries the API's id.
    expect(typeOf('ReminderFunctionC5081AD9')).toBe('AWS::Lambda::Function');
    expect(typeOf('ReminderSchedulerRole2B55116C')).toBe('AWS::IAM::Role');
    expect(typeOf('HttpApiF5A9A8A7')).toBe('AWS::ApiGatewayV2::Api');
    // Replacing these collides with the old one still in place ($default stage, route keys, authorizer name).
    expect(typeOf('DefaultStageEE28A986')).toBe('AWS::ApiGatewayV2::Stage');
    expect(typeOf('HttpApiGEThealthAB1F4856')).toBe('AWS::ApiGatewayV2::Route');
    expect(typeOf('HttpApiCognitoJwt4B02D8E4')).toBe('AWS::ApiGatewayV2::Authorizer');
    // Replacing these would only churn: new function names, new log groups, fresh alarm state.
    for (const [id, type] of [
      ['OutboxPublisherFunction4BDC6D54', 'AWS::Lambda::Function'],
      ['IdentityProvisionerFunction313CFD89', 'AWS::Lambda::Function'],
      ['WorkOrderMailerFunctionFFB44D4A', 'AWS::Lambda::Function'],
      ['ApiworkorderactionsFunction6F5EAABA', 'AWS::Lambda::Function'],
      ['ApiworkorderactionsLogGroupF059BB93', 'AWS::Logs::LogGroup'],
      ['ApiAccessLogsE9DF007D', 'AWS::Logs::LogGroup'],
      ['IdentityEventsAAB9F753', 'AWS::Events::Rule'],
      ['WorkOrderForwardedEvents9ABFF9C5', 'AWS::Events::Rule'],
      ['OutboxDeadLetterQueuePolicy4CBB0699', 'AWS::SQS::QueuePolicy'],
      ['OutboxDeadLetterQueueNotEmpty58DCC613', 'AWS::CloudWatch::Alarm'],
      ['OutboxPublisherIteratorAge8AD6E78D', 'AWS::CloudWatch::Alarm'],
      ['ReminderErrorsD9178313', 'AWS::CloudWatch::Alarm'],
      ['ApiServerErrorsDFE5B564', 'AWS::CloudWatch::Alarm'],
    ]) {
      expect(typeOf(id as string), id).toBe(type);
    }
  });

  it('outputs what an admin and the create-tenant and mail:redrive scripts need', () => {
    const outputs = Object.keys(template.findOutputs('*'));

    expect(outputs).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'UserPoolId',
        'UserPoolClientId',
        'TableName',
        'EventBusName',
        'MailBucketName',
        INBOUND_MAIL_OUTPUTS.failureQueueUrl,
        INBOUND_MAIL_OUTPUTS.functionName,
      ]),
    );
  });
});
