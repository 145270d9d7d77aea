import {
  Aws,
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { OUTBOX_ENTITY_TYPE } from '../../functions/adapters/dynamodb/table-definition';
import { IDENTITY_EVENTS } from '../../functions/domain/organisation/identity';
import { API_FUNCTIONS, type ApiFunction } from '../../functions/handlers/api/api-functions';
import type { RouteContract } from '../../functions/handlers/api/http/route';
import { EVENT_FUNCTIONS } from '../../functions/handlers/event-functions';
import type { RegionSettings } from '../config/app-config';
import { ServiceFunction } from '../constructs/service-function';

/** What the stateless stack uses from the stateful one; `StatefulStack` provides all of it. */
export interface StatefulResources {
  readonly table: dynamodb.ITableV2;
  readonly tableIndexNames: readonly string[];
  readonly mailBucket: s3.IBucket;
  readonly userPool: cognito.IUserPool;
  readonly apiClient: cognito.IUserPoolClient;
}

export interface StatelessStackProps extends StackProps {
  readonly stateful: StatefulResources;
  /** Mail domain and SES availability; the inbound-mail flow reads them. */
  readonly settings: RegionSettings;
}

/** Print, forward and reminders: what runs outside the API for them. */
export interface WorkOrderActionResources {
  /** Mails forwarded work orders (EventBridge rule on `WorkOrderForwarded`). */
  readonly mailer: ServiceFunction;
  readonly mailerDeadLetterQueue: sqs.Queue;
  /** Invoked by each reminder's one-time schedule. */
  readonly reminder: ServiceFunction;
  readonly reminderDeadLetterQueue: sqs.Queue;
  readonly scheduleGroup: scheduler.CfnScheduleGroup;
  /** The role EventBridge Scheduler assumes to invoke the reminder function. */
  readonly schedulerRole: iam.Role;
  /** `service@<mailDomain>`: the sender of every mail. */
  readonly mailFrom: string;
}

/**
 * How cdk-nag names the wildcard of "the schedules of the reminder group": the
 * same text in every region, as the ARN is built from pseudo parameters.
 */
const WORK_ORDER_SCHEDULES_FINDING =
  'arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<ReminderSchedules>/*';

/** What the identity provisioner calls on the user pool (functions/adapters/cognito/identity-directory.ts). */
const IDENTITY_DIRECTORY_ACTIONS = [
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminDeleteUser',
];

/**
 * The code and its wiring: the HTTP API and its Lambdas, the event bus, the
 * outbox publisher and the identity provisioner. Holds no data of its own, so
 * it can be destroyed and redeployed at will.
 */
export class StatelessStack extends Stack {
  readonly eventBus: events.EventBus;
  readonly httpApi: HttpApi;
  readonly apiStage: HttpStage;
  readonly apiFunctions: ReadonlyMap<string, ServiceFunction>;
  readonly outboxPublisher: ServiceFunction;
  readonly outboxDeadLetterQueue: sqs.Queue;
  readonly identityProvisioner: ServiceFunction;
  readonly identityDeadLetterQueue: sqs.Queue;
  readonly settings: RegionSettings;
  readonly workOrderActions: WorkOrderActionResources;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    // Exports and imports: CloudFormation refuses to delete a table, bucket or pool this stack still uses.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { stateful } = props;
    this.settings = props.settings;

    this.eventBus = new events.EventBus(this, 'EventBus', {
      description: 'Domain events of the field service (WorkOrderCreated, ...), published from the outbox',
    });
    // Lets a consumer that was down or buggy replay what it missed.
    this.eventBus.archive('EventArchive', {
      description: 'Every domain event, for replay',
      eventPattern: { source: events.Match.prefix('fieldservice.') },
      retention: Duration.days(90),
    });

    ({ api: this.httpApi, stage: this.apiStage } = this.createHttpApi(stateful));
    this.apiFunctions = this.createApiFunctions(stateful);

    this.outboxDeadLetterQueue = this.deadLetterQueue('OutboxDeadLetterQueue');
    Validations.of(this.outboxDeadLetterQueue.node.defaultChild ?? this.outboxDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the outbox stream mapping (cdk-nag only ' +
        'recognises queue redrive and Lambda DeadLetterConfig as DLQ use); it needs no DLQ of its own.',
    });
    this.outboxPublisher = this.createOutboxPublisher(stateful.table, this.outboxDeadLetterQueue);

    this.identityDeadLetterQueue = this.deadLetterQueue('IdentityDeadLetterQueue');
    this.identityProvisioner = this.createIdentityProvisioner(stateful, this.identityDeadLetterQueue);
    this.workOrderActions = this.createWorkOrderActions(stateful);

    this.createAlarms();

    new CfnOutput(this, 'ApiUrl', { value: this.apiStage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: stateful.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', {
      value: stateful.apiClient.userPoolClientId,
      description: 'App client for sign-in (SRP); its ID tokens are what the API accepts',
    });
    new CfnOutput(this, 'TableName', { value: stateful.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.eventBus.eventBusName });
    new CfnOutput(this, 'MailBucketName', { value: stateful.mailBucket.bucketName });
  }

  private createHttpApi(stateful: StatefulResources): { api: HttpApi; stage: HttpStage } {
    const issuer = `https://cognito-idp.${this.region}.${this.urlSuffix}/${stateful.userPool.userPoolId}`;
    const api = new HttpApi(this, 'HttpApi', {
      description: 'Field service API',
      defaultAuthorizer: new HttpJwtAuthorizer('CognitoJwt', issuer, {
        jwtAudience: [stateful.apiClient.userPoolClientId],
        identitySource: ['$request.header.Authorization'],
      }),
      // The default stage is created below, with access logging.
      createDefaultStage: false,
    });

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
    });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: api,
      autoDeploy: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });
    return { api, stage };
  }

  /** One Lambda per catalog entry, one route per contract: new entries need no change here. */
  private createApiFunctions(stateful: StatefulResources): Map<string, ServiceFunction> {
    const functions = new Map<string, ServiceFunction>();
    const owners = new Map<string, string>();
    const entries: [string, ApiFunction][] = Object.entries(API_FUNCTIONS);

    for (const [name, definition] of entries) {
      const fn = new ServiceFunction(this, `Api-${name}`, {
        entry: definition.entry,
        description: `API: ${name}`,
        memorySize: definition.memoryMb,
        ...(definition.timeoutSeconds ? { timeout: Duration.seconds(definition.timeoutSeconds) } : {}),
      }).bindTable(stateful.table, 'readWrite', { indexes: stateful.tableIndexNames });
      functions.set(name, fn);

      const integration = new HttpLambdaIntegration(`Api-${name}-Integration`, fn.function, {
        // One invoke permission per function instead of one per route: the Lambda resource policy is
        // capped at 20 KB, and a function serves dozens of routes.
        scopePermissionToRoute: false,
      });
      for (const route of definition.routes) {
        const key = `${route.method} ${route.path}`;
        const owner = owners.get(key);
        if (owner !== undefined) {
          throw new Error(`Route ${key} is served by both API functions "${owner}" and "${name}"`);
        }
        owners.set(key, name);
        this.addRoute(route, integration);
      }
    }
    return functions;
  }

  private addRoute(route: RouteContract, integration: HttpLambdaIntegration): void {
    const isPublic = route.auth === 'none';
    const [created] = this.httpApi.addRoutes({
      path: route.path,
      methods: [HttpMethod[route.method]],
      integration,
      ...(isPublic ? { authorizer: new HttpNoneAuthorizer() } : {}),
    });
    if (isPublic && created) {
      Validations.of(created.node.defaultChild ?? created).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${route.method} ${route.path} is public by contract (auth: 'none'): it serves no tenant data.`,
      });
    }
  }

  private createOutboxPublisher(table: dynamodb.ITableV2, deadLetterQueue: sqs.IQueue): ServiceFunction {
    const publisher = new ServiceFunction(this, 'OutboxPublisher', {
      entry: EVENT_FUNCTIONS['outbox-publisher'].entry,
      description: 'Publishes outbox events from the table stream to the event bus',
      timeout: Duration.seconds(30),
      environment: { EVENT_BUS_NAME: this.eventBus.eventBusName },
    });
    this.eventBus.grantPutEventsTo(publisher);

    publisher.function.addEventSource(
      new DynamoEventSource(table, {
        // TRIM_HORIZON, not LATEST: when the mapping is created or replaced, outbox items written
        // meanwhile are still in the stream (24 h) and get published; LATEST would drop them.
        // Re-publishing is safe because events are at-least-once and carry their id.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 50,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        // Well inside the stream's 24 h retention, so a stuck record reaches the DLQ before it expires.
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(deadLetterQueue),
        // Only new outbox items invoke the function; every other write to the table costs nothing here.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { entityType: { S: FilterRule.isEqual(OUTBOX_ENTITY_TYPE) } } },
          }),
        ],
      }),
    );
    return publisher;
  }

  /**
   * Logins follow user records: the organisation events on the bus invoke the
   * provisioner, which reads the user and creates, updates, disables or deletes
   * the Cognito login (and sends the invitation).
   */
  private createIdentityProvisioner(
    stateful: StatefulResources,
    deadLetterQueue: sqs.IQueue,
  ): ServiceFunction {
    const provisioner = new ServiceFunction(this, 'IdentityProvisioner', {
      entry: EVENT_FUNCTIONS['identity-provisioner'].entry,
      description: 'Keeps Cognito logins in line with user records',
      timeout: Duration.seconds(30),
      environment: { USER_POOL_ID: stateful.userPool.userPoolId },
      deadLetterQueue,
    }).bindTable(stateful.table, 'read');
    stateful.userPool.grant(provisioner, ...IDENTITY_DIRECTORY_ACTIONS);

    this.subscribe(
      'IdentityEvents',
      'User and tenant changes that a Cognito login must follow',
      IDENTITY_EVENTS,
      provisioner,
      deadLetterQueue,
    );
    return provisioner;
  }

  /**
   * Forward and reminders. The mailer follows `WorkOrderForwarded` on the bus;
   * each reminder is a one-time EventBridge Scheduler schedule in this stack's
   * group that invokes the reminder function through a role of its own. Both
   * send through SES as `service@<mailDomain>`, and only as that domain.
   */
  private createWorkOrderActions(stateful: StatefulResources): WorkOrderActionResources {
    const { mailDomain } = this.settings;
    const mailFrom = `service@${mailDomain}`;
    const sendAsMailDomain = new iam.PolicyStatement({
      actions: ['ses:SendRawEmail'],
      resources: [this.formatArn({ service: 'ses', resource: 'identity', resourceName: mailDomain })],
    });

    const mailerDeadLetterQueue = this.deadLetterQueue('WorkOrderMailerDeadLetterQueue');
    const mailerDefinition = EVENT_FUNCTIONS['work-order-mailer'];
    const mailer = new ServiceFunction(this, 'WorkOrderMailer', {
      entry: mailerDefinition.entry,
      description: 'Mails forwarded work orders',
      // MAIL_CLAIM_LEASE_SECONDS (60) is twice this: a claim older than that was abandoned.
      timeout: Duration.seconds(30),
      environment: { MAIL_FROM: mailFrom },
      deadLetterQueue: mailerDeadLetterQueue,
    }).bindTable(stateful.table, 'readWrite');
    mailer.role.addToPrincipalPolicy(sendAsMailDomain);
    this.subscribe(
      'WorkOrderForwardedEvents',
      'Forwarded work orders, to be mailed',
      mailerDefinition.events,
      mailer,
      mailerDeadLetterQueue,
    );

    const reminderDeadLetterQueue = this.deadLetterQueue('ReminderDeadLetterQueue');
    const reminder = new ServiceFunction(this, 'Reminder', {
      entry: EVENT_FUNCTIONS.reminder.entry,
      description: 'Fires due work-order reminders and mails the user',
      timeout: Duration.seconds(30),
      environment: { MAIL_FROM: mailFrom },
      deadLetterQueue: reminderDeadLetterQueue,
    }).bindTable(stateful.table, 'readWrite');
    reminder.role.addToPrincipalPolicy(sendAsMailDomain);

    // No name: CloudFormation names it after the stack, so two regions (or stacks) never collide.
    const scheduleGroup = new scheduler.CfnScheduleGroup(this, 'ReminderSchedules');
    const schedulerRole = new iam.Role(this, 'ReminderSchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to invoke the reminder function',
      // Only schedules of this account's reminder group may use it (confused-deputy guard).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnEquals: { 'aws:SourceArn': scheduleGroup.attrArn },
        },
      }),
    });
    schedulerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        // The unqualified ARN only: schedules target $LATEST, no version or alias.
        resources: [reminder.function.functionArn],
      }),
    );
    reminderDeadLetterQueue.grantSendMessages(schedulerRole);

    const api = this.apiFunctions.get('work-order-actions');
    if (!api) throw new Error('The API catalog has no work-order-actions function');
    api.function
      .addEnvironment('SCHEDULE_GROUP', scheduleGroup.ref)
      .addEnvironment('REMINDER_TARGET_ARN', reminder.function.functionArn)
      .addEnvironment('SCHEDULER_ROLE_ARN', schedulerRole.roleArn)
      .addEnvironment('REMINDER_DLQ_ARN', reminderDeadLetterQueue.queueArn)
      .addEnvironment('MAIL_FROM', mailFrom);
    const schedulesOfGroup = `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule/${scheduleGroup.ref}/*`;
    api.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [schedulesOfGroup],
      }),
    );
    api.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    const apiPolicy = api.role.node.tryFindChild('DefaultPolicy') ?? api.role;
    Validations.of(apiPolicy.node.defaultChild ?? apiPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${WORK_ORDER_SCHEDULES_FINDING}]`,
      reason:
        'Each reminder gets its own one-time schedule named after the reminder id, so CreateSchedule and ' +
        "DeleteSchedule are granted on the schedules of this stack's reminder group only (schedule/<group>/*); " +
        'schedule names are not known when the policy is written.',
    });

    this.workOrderActionAlarms(mailer, mailerDeadLetterQueue, reminder, reminderDeadLetterQueue);
    return {
      mailer,
      mailerDeadLetterQueue,
      reminder,
      reminderDeadLetterQueue,
      scheduleGroup,
      schedulerRole,
      mailFrom,
    };
  }

  private workOrderActionAlarms(
    mailer: ServiceFunction,
    mailerDeadLetterQueue: sqs.IQueue,
    reminder: ServiceFunction,
    reminderDeadLetterQueue: sqs.IQueue,
  ): void {
    const alarm = (id: string, description: string, metric: cloudwatch.IMetric) =>
      new cloudwatch.Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    for (const [id, what, queue] of [
      ['WorkOrderMailer', 'Forwarded work orders could not be mailed', mailerDeadLetterQueue],
      ['Reminder', 'Due reminders could not be fired or mailed', reminderDeadLetterQueue],
    ] as const) {
      alarm(
        `${id}DeadLetterQueueNotEmpty`,
        `${what} and wait in the dead-letter queue`,
        queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
      );
    }
    for (const [id, fn] of [
      ['WorkOrderMailer', mailer],
      ['Reminder', reminder],
    ] as const) {
      alarm(
        `${id}Errors`,
        `The ${id === 'Reminder' ? 'reminder function' : 'work-order mailer'} failed invocations (retried, then dead-lettered)`,
        fn.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      );
    }
  }

  /**
   * A rule on this stack's bus invoking a function for some event types. The
   * target's DLQ only gets events EventBridge cannot hand to Lambda at all;
   * failed runs go to the function's own DLQ (the same queue here).
   */
  private subscribe(
    id: string,
    description: string,
    pattern: { source: string; types: readonly string[] },
    fn: ServiceFunction,
    deadLetterQueue: sqs.IQueue,
  ): events.Rule {
    return new events.Rule(this, id, {
      eventBus: this.eventBus,
      description,
      eventPattern: { source: [pattern.source], detailType: [...pattern.types] },
      targets: [
        new targets.LambdaFunction(fn.function, {
          deadLetterQueue,
          maxEventAge: Duration.hours(6),
          retryAttempts: 20,
        }),
      ],
    });
  }

  private deadLetterQueue(id: string): sqs.Queue {
    return new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
  }

  private createAlarms(): void {
    const alarm = (id: string, description: string, metric: cloudwatch.IMetric, threshold = 1) =>
      new cloudwatch.Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    const messagesWaiting = (queue: sqs.IQueue) =>
      queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      });
    const errors = (fn: ServiceFunction) =>
      fn.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM });

    alarm(
      'OutboxDeadLetterQueueNotEmpty',
      'Outbox events could not be published and wait in the dead-letter queue',
      messagesWaiting(this.outboxDeadLetterQueue),
    );
    alarm(
      'OutboxPublisherErrors',
      'The outbox publisher failed invocations (events are retried, then dead-lettered)',
      errors(this.outboxPublisher),
    );
    new cloudwatch.Alarm(this, 'OutboxPublisherIteratorAge', {
      alarmDescription: 'Outbox events are published more than 5 minutes late',
      metric: this.outboxPublisher.function.metric('IteratorAge', {
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: Duration.minutes(5).toMilliseconds(),
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm(
      'IdentityDeadLetterQueueNotEmpty',
      'User changes could not be applied to Cognito logins and wait in the dead-letter queue',
      messagesWaiting(this.identityDeadLetterQueue),
    );
    alarm(
      'IdentityProvisionerErrors',
      'The identity provisioner failed invocations (retried twice, then dead-lettered)',
      errors(this.identityProvisioner),
    );
    alarm(
      'ApiServerErrors',
      'The HTTP API answered with 5xx',
      this.httpApi.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      5,
    );
  }
}
