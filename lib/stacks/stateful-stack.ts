import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { TABLE } from '../../functions/adapters/dynamodb/table-definition';
import { ROLES } from '../../functions/domain/access/principal';
import { CLAIMS } from '../../functions/handlers/api/http/claims';
import type { RegionSettings } from '../config/app-config';
import { inboundMailNames } from '../config/inbound-mail-names';
import { InboundMailStorage } from '../constructs/inbound-mail-storage';

export interface StatefulStackProps extends StackProps {
  readonly settings: RegionSettings;
}

/** `custom:tenantId` in tokens; Cognito adds the `custom:` prefix itself. */
const TENANT_ATTRIBUTE = CLAIMS.tenant.replace(/^custom:/, '');

/**
 * Everything that holds data and must outlive any deployment of the code: the
 * table, the mail bucket, the user pool and, where SES receives mail, the
 * reply-token secret. All of it is retained when the stack is deleted, and the
 * stack itself is termination-protected.
 */
export class StatefulStack extends Stack {
  readonly table: dynamodb.TableV2;
  /** Names of the table's global secondary indexes, for per-index grants. */
  readonly tableIndexNames: readonly string[];
  readonly mailBucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;
  readonly userPool: cognito.UserPool;
  readonly apiClient: cognito.UserPoolClient;
  /** Only where `settings.sesReceiving`: signs plus-address reply tokens. */
  readonly threadTokenSecret: secretsmanager.Secret | undefined;
  readonly settings: RegionSettings;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    this.settings = props.settings;

    this.table = this.createTable();
    this.tableIndexNames = TABLE.globalIndexes.map((index) => index.name);
    this.accessLogBucket = this.createAccessLogBucket();
    this.mailBucket = this.createMailBucket(this.accessLogBucket);
    this.userPool = this.createUserPool();
    this.apiClient = this.createApiClient(this.userPool);
    this.threadTokenSecret = props.settings.sesReceiving
      ? new InboundMailStorage(this, 'InboundMail', {
          mailBucket: this.mailBucket,
          names: inboundMailNames(this.region),
        }).threadTokenSecret
      : undefined;
  }

  private createTable(): dynamodb.TableV2 {
    const key = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });
    return new dynamodb.TableV2(this, 'Table', {
      partitionKey: key(TABLE.partitionKey),
      sortKey: key(TABLE.sortKey),
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TABLE.ttlAttribute,
      globalSecondaryIndexes: TABLE.globalIndexes.map((index) => ({
        indexName: index.name,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      })),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private createAccessLogBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'AccessLogBucket', {
      // Server access log delivery supports SSE-S3 only.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(365),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(bucket.node.defaultChild ?? bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the server access log bucket of the mail bucket; logging its own access would log the ' +
        'log deliveries themselves, endlessly.',
    });
    return bucket;
  }

  /** Raw inbound mail (as SES stores it, under `inbound/<region>/`) and work-order attachments. */
  private createMailBucket(accessLogs: s3.IBucket): s3.Bucket {
    return new s3.Bucket(this, 'MailBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'mail-bucket/',
      lifecycleRules: [
        {
          id: 'tier-and-clean-up',
          // Mail and attachments are read often for a few weeks, then rarely; Intelligent-Tiering
          // moves them down without retrieval fees when an old work order is opened again.
          transitions: [
            { storageClass: s3.StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(30) },
          ],
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private createUserPool(): cognito.UserPool {
    const userPool = new cognito.UserPool(this, 'UserPool', {
      // The username is `<tenant>.<user id>`, set by the identity provisioner (one person may be a user in
      // several tenants); people sign in with their e-mail address as an alias of it.
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      // Logins are created from user records by the identity provisioner, never by people themselves.
      selfSignUpEnabled: false,
      autoVerify: { email: true },
      // A changed address takes effect only once verified, so a typo cannot lock the user out.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      userInvitation: {
        emailSubject: 'Your field service account',
        emailBody:
          'An account was created for you. Sign in with this e-mail address (or the login name {username}) ' +
          'and the temporary password {####}; you will choose your own password at the first sign-in.',
      },
      customAttributes: {
        // Immutable: a user belongs to one tenant for life, and every key is built from it.
        [TENANT_ATTRIBUTE]: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const role of ROLES) {
      new cognito.UserPoolGroup(this, `Group-${role}`, {
        userPool,
        groupName: role,
        description: `Members act as ${role} inside their own tenant`,
      });
    }

    Validations.of(userPool.node.defaultChild ?? userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP only, no SMS): integration accounts sign in without a person present, and ' +
        'tenants roll MFA out to their staff at their own pace. Enforcing it for all is a tenant-level ' +
        'policy decision still to be taken.',
    });
    Validations.of(userPool.node.defaultChild ?? userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Essentials tier: the Plus tier (threat protection) is billed per monthly active user; the API ' +
        'already limits exposure (JWT authorizer, no self sign-up, strong passwords, optional TOTP). ' +
        'Revisit when compromised-credential detection is required.',
    });
    return userPool;
  }

  private createApiClient(userPool: cognito.UserPool): cognito.UserPoolClient {
    const standard = { email: true, emailVerified: true, fullname: true, phoneNumber: true, locale: true };
    return userPool.addClient('ApiClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      // The tenant must be readable to appear in ID tokens, and never writable through the client.
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes(standard)
        .withCustomAttributes(TENANT_ATTRIBUTE),
      // Cognito requires required attributes (email) to be writable by the client.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({
        email: true,
        fullname: true,
        phoneNumber: true,
        locale: true,
      }),
    });
  }
}
