import {
  type CfnElement,
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule } from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { OUTBOX_ENTITY_TYPE } from '../../functions/adapters/dynamodb/table-definition';
import { API_FUNCTIONS } from '../../functions/handlers/api/api-functions';
import { EVENT_FUNCTIONS } from '../../functions/handlers/event-functions';
import type { RegionSettings } from '../config/app-config';
import { FUNCTION_ENV } from '../config/function-environment';
import { inboundMailNames } from '../config/inbound-mail-names';
import { INBOUND_MAIL_OUTPUTS } from '../config/stack-names';
import { AsyncFunction } from '../constructs/async-function';
import { DomainEventBus } from '../constructs/event-bus';
import { ServiceApi } from '../constructs/http-api';
import { InboundMail } from '../constructs/inbound-mail';
import { type AgreementResources, createAgreements } from './agreements';
import { type ConsumptionResources, createConsumption } from './consumption';
import { DeployedLogicalIds } from './deployed-logical-ids';
import { createServicePlans, type ServicePlanResources } from './service-plans';
import { STATELESS_MOVED_PATHS } from './stateless-moved-paths';
import { createWorkOrderActions, type WorkOrderActionResources } from './work-order-actions';

/** What the stateless stack uses from the stateful one; `StatefulStack` provides all of it. */
export interface StatefulResources {
  readonly table: dynamodb.ITableV2;
  readonly tableIndexNames: readonly string[];
  readonly mailBucket: s3.IBucket;
  readonly userPool: cognito.IUserPool;
  readonly apiClient: cognito.IUserPoolClient;
  /** Set where SES receives mail (`settings.sesReceiving`). */
  readonly threadTokenSecret?: secretsmanager.ISecret | undefined;
}

export interface StatelessStackProps extends StackProps {
  readonly stateful: StatefulResources;
  /** Mail domain and SES availability; the inbound-mail flow reads them. */
  readonly settings: RegionSettings;
}

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

const DEPLOYED_LOGICAL_IDS = new DeployedLogicalIds(STATELESS_MOVED_PATHS);

/**
 * The code and its wiring: the HTTP API and its Lambdas, the event bus, the
 * outbox publisher, the identity provisioner, the work-order actions, the
 * consumption-billing state machine and, where SES receives mail, inbound
 * mail. Holds no data of its own, so it can be destroyed and redeployed at will.
 */
export class StatelessStack extends Stack {
  readonly settings: RegionSettings;
  readonly api: ServiceApi;
  readonly eventBus: DomainEventBus;
  readonly outboxPublisher: AsyncFunction;
  readonly identityProvisioner: AsyncFunction;
  readonly sceneIndexer: AsyncFunction;
  readonly workOrderActions: WorkOrderActionResources;
  readonly agreements: AgreementResources;
  readonly consumption: ConsumptionResources;
  readonly servicePlans: ServicePlanResources;
  /** Only where `settings.sesReceiving`. */
  readonly inboundMail: InboundMail | undefined;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    // Exports and imports: CloudFormation refuses to delete a table, bucket or pool this stack still uses.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const { stateful } = props;
    this.settings = props.settings;
    this.node.addValidation({
      validate: () =>
        DEPLOYED_LOGICAL_IDS.missingIn(this).map((path) => `Moved path ${path} no longer exists in ${id}`),
    });

    this.eventBus = new DomainEventBus(this, 'EventBus', { sourcePrefix: 'fieldservice.' });
    this.api = new ServiceApi(this, 'HttpApi', { functions: API_FUNCTIONS, ...stateful });

    this.outboxPublisher = new AsyncFunction(this, 'OutboxPublisher', {
      entry: EVENT_FUNCTIONS['outbox-publisher'].entry,
      description: 'Publishes outbox events from the table stream to the event bus',
      failureImpact: 'Outbox events could not be published',
      invokedBy: 'stream',
      timeout: Duration.seconds(30),
    });
    this.eventBus.allowPublishing(this.outboxPublisher);
    this.outboxPublisher.consumeStream(stateful.table, {
      batchSize: 50,
      retryAttempts: 10,
      // Well inside the stream's 24 h retention, so a stuck record reaches the DLQ before it expires.
      maxRecordAge: Duration.hours(6),
      // Only new outbox items invoke the function; every other write to the table costs nothing here.
      filters: [
        FilterCriteria.filter({
          eventName: FilterRule.isEqual('INSERT'),
          dynamodb: { NewImage: { entityType: { S: FilterRule.isEqual(OUTBOX_ENTITY_TYPE) } } },
        }),
      ],
    });

    this.identityProvisioner = this.createIdentityProvisioner(stateful);
    this.sceneIndexer = this.createSceneIndexer(stateful);
    this.workOrderActions = createWorkOrderActions(this, {
      api: this.api,
      eventBus: this.eventBus,
      table: stateful.table,
      mailDomain: this.settings.mailDomain,
    });
    this.agreements = createAgreements(this, {
      api: this.api,
      eventBus: this.eventBus,
      table: stateful.table,
      schedules: this.workOrderActions.reminderSchedules,
    });
    this.consumption = createConsumption(this, { api: this.api, eventBus: this.eventBus, ...stateful });
    this.servicePlans = createServicePlans(this, {
      eventBus: this.eventBus,
      table: stateful.table,
      tableIndexNames: stateful.tableIndexNames,
    });
    this.inboundMail = this.settings.sesReceiving ? this.createInboundMail(stateful) : undefined;

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: stateful.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', {
      value: stateful.apiClient.userPoolClientId,
      description: 'App client for sign-in (SRP); its ID tokens are what the API accepts',
    });
    new CfnOutput(this, 'TableName', { value: stateful.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.eventBus.eventBusName });
    new CfnOutput(this, 'MailBucketName', { value: stateful.mailBucket.bucketName });
  }

  /** SES receiving for the mail domain; the re-drive script finds the handler and its queue by these outputs. */
  private createInboundMail(stateful: StatefulResources): InboundMail {
    if (!stateful.threadTokenSecret) {
      throw new Error(`${this.node.id} receives mail but was given no thread token secret`);
    }
    const inboundMail = new InboundMail(this, 'InboundMail', {
      mailDomain: this.settings.mailDomain,
      names: inboundMailNames(this.region),
      mailBucket: stateful.mailBucket,
      table: stateful.table,
      tableIndexNames: stateful.tableIndexNames,
      threadTokenSecret: stateful.threadTokenSecret,
      mailSender: this.workOrderActions.mailSender,
    });
    inboundMail.allowMailWork(this.api.function('mail'));
    new CfnOutput(this, INBOUND_MAIL_OUTPUTS.failureQueueUrl, {
      value: inboundMail.handler.deadLetterQueue.queueUrl,
      description: 'Received mail the inbound handler failed on (npm run mail:redrive)',
    });
    new CfnOutput(this, INBOUND_MAIL_OUTPUTS.functionName, {
      value: inboundMail.handler.function.functionName,
    });
    return inboundMail;
  }

  protected override allocateLogicalId(element: CfnElement): string {
    return DEPLOYED_LOGICAL_IDS.of(element) ?? super.allocateLogicalId(element);
  }

  /**
   * Organisation changes re-file the work-order scenes they move: each step
   * walks up to a few thousand work orders and hands over to the next by an
   * event; a failed step is retried, then dead-lettered, and resumes from
   * the job's saved progress when re-driven.
   */
  private createSceneIndexer(stateful: StatefulResources): AsyncFunction {
    const indexer = new AsyncFunction(this, 'SceneIndexer', {
      entry: EVENT_FUNCTIONS['scene-indexer'].entry,
      description: 'Re-files work-order scenes after organisation changes',
      failureImpact: 'Hierarchy scenes stay on their slower live reading until re-driven',
      // The grace after a change (60 s) and a step of a few thousand work orders.
      timeout: Duration.minutes(5),
      environment: { [FUNCTION_ENV.SCENE_REINDEX_GRACE_SECONDS]: '60' },
    }).bindTable(stateful.table, 'readWrite');
    this.eventBus.subscribe(
      'SceneReindexEvents',
      'Re-filings of the work-order scenes to start or continue',
      EVENT_FUNCTIONS['scene-indexer'].events,
      indexer,
    );
    return indexer;
  }

  /**
   * Logins follow user records: the organisation events on the bus invoke the
   * provisioner, which reads the user and creates, updates, disables or deletes
   * the Cognito login (and sends the invitation).
   */
  private createIdentityProvisioner(stateful: StatefulResources): AsyncFunction {
    const provisioner = new AsyncFunction(this, 'IdentityProvisioner', {
      entry: EVENT_FUNCTIONS['identity-provisioner'].entry,
      description: 'Keeps Cognito logins in line with user records',
      failureImpact: 'User changes could not be applied to Cognito logins',
      timeout: Duration.seconds(30),
      environment: { [FUNCTION_ENV.USER_POOL_ID]: stateful.userPool.userPoolId },
    }).bindTable(stateful.table, 'read');
    stateful.userPool.grant(provisioner, ...IDENTITY_DIRECTORY_ACTIONS);
    this.eventBus.subscribe(
      'IdentityEvents',
      'User and tenant changes that a Cognito login must follow',
      EVENT_FUNCTIONS['identity-provisioner'].events,
      provisioner,
    );
    return provisioner;
  }
}
