import { CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { EVENT_FUNCTIONS } from '../../functions/handlers/event-functions';
import { FUNCTION_ENV } from '../config/function-environment';
import { type InboundMailNames, receiptRuleArn } from '../config/inbound-mail-names';
import { AsyncFunction } from './async-function';
import { RuleSetActivation } from './inbound-mail-activation/rule-set-activation';
import type { MailSender } from './mail-sender';
import type { ServiceFunction } from './service-function';

export interface InboundMailProps {
  /** Every address of this domain is taken by the rule. */
  readonly mailDomain: string;
  readonly names: InboundMailNames;
  /**
   * The stateful stack's mail bucket. Its policy already lets SES write under
   * `names.rawMailPrefix` for this rule (InboundMailStorage); nothing here adds
   * to it.
   */
  readonly mailBucket: s3.IBucket;
  readonly table: ITableV2;
  /** The handler reads contacts by their e-mail index. */
  readonly tableIndexNames: readonly string[];
  readonly threadTokenSecret: secretsmanager.ISecret;
  /** Acknowledgements go out as the mail domain. */
  readonly mailSender: MailSender;
}

/**
 * SES receiving for one region's mail domain: the receipt rule set and its one
 * rule (store the raw mail in S3, then invoke the inbound handler
 * asynchronously), the custom resource that activates the set, and the handler
 * with the queue that keeps its failures.
 *
 * The SES event carries the envelope and verdicts, never the body (up to
 * 40 MB): the handler reads the raw mail from the bucket. SES invokes it
 * asynchronously, so a failure is retried twice by Lambda and then lands in
 * the on-failure queue as a record holding the SES event and the error;
 * `npm run mail:redrive` invokes the handler again with those events.
 */
export class InboundMail extends Construct {
  readonly handler: AsyncFunction;
  readonly ruleSet: ses.ReceiptRuleSet;
  readonly rule: ses.ReceiptRule;
  readonly activation: RuleSetActivation;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: InboundMailProps,
  ) {
    super(scope, id);
    const { names, mailBucket } = props;
    const ruleArn = receiptRuleArn(Stack.of(this), names);

    this.handler = this.createHandler(props);

    // SES checks that it may invoke the function when the rule is created, so the permission comes first.
    this.handler.function.addPermission('SesInvoke', {
      principal: new iam.ServicePrincipal('ses.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: Stack.of(this).account,
      sourceArn: ruleArn,
    });
    const sesInvoke = this.handler.function.node.findChild('SesInvoke');

    this.ruleSet = new ses.ReceiptRuleSet(this, 'RuleSet', { receiptRuleSetName: names.ruleSetName });
    this.rule = this.ruleSet.addRule('Rule', {
      receiptRuleName: names.ruleName,
      recipients: [props.mailDomain],
      enabled: true,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      scanEnabled: true,
      // Plain action configurations: the library's S3 and Lambda actions would add their own bucket
      // statement (to the stateful stack's policy: a dependency cycle) and a permission without SourceArn.
      actions: [
        {
          bind: () => ({
            s3Action: { bucketName: mailBucket.bucketName, objectKeyPrefix: names.rawMailPrefix },
          }),
        },
        {
          bind: () => ({
            lambdaAction: { functionArn: this.handler.function.functionArn, invocationType: 'Event' },
          }),
        },
      ],
    });
    this.rule.node.addDependency(sesInvoke);

    this.activation = new RuleSetActivation(this, 'Activation', { ruleSet: this.ruleSet });
    this.activation.resource.node.addDependency(this.rule);
  }

  /**
   * The handler decides each mail: it reads raw mail and contacts (by their
   * e-mail index), stores attachments, works on the table, and acknowledges.
   */
  private createHandler(props: InboundMailProps): AsyncFunction {
    const handler = new AsyncFunction(this, 'Handler', {
      entry: EVENT_FUNCTIONS['inbound-mail'].entry,
      description: 'Turns mail received by SES into work orders and comments, and acknowledges it',
      failureImpact: 'Received mail could not be processed',
      failureDelivery: 'on-failure-destination',
      // A 40 MB mail is read, parsed and its attachments stored within one invocation.
      memorySize: 1024,
      timeout: Duration.seconds(60),
    }).bindTable(props.table, 'readWrite', { indexes: props.tableIndexNames });
    this.allowMailWork(handler, props);
    return handler;
  }

  /**
   * What deciding a mail needs, for the handler and for the mail API function
   * (which tests rules against stored mail and replays it): the bucket, the
   * names of its prefixes and of the mail domain, sending as the domain, and
   * the reply-token secret.
   */
  allowMailWork(fn: AsyncFunction | ServiceFunction, props: InboundMailProps = this.props): void {
    const { names, mailBucket } = props;
    for (const [name, value] of Object.entries({
      [FUNCTION_ENV.MAIL_BUCKET]: mailBucket.bucketName,
      [FUNCTION_ENV.RAW_MAIL_PREFIX]: names.rawMailPrefix,
      [FUNCTION_ENV.MAIL_DOMAIN]: props.mailDomain,
      [FUNCTION_ENV.THREAD_TOKEN_SECRET_ARN]: props.threadTokenSecret.secretArn,
    })) {
      fn.function.addEnvironment(name, value);
    }
    const rawMailKeys = `${names.rawMailPrefix}*`;
    const attachmentKeys = `${names.attachmentsPrefix}*`;
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [mailBucket.arnForObjects(rawMailKeys)],
      }),
    );
    fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        resources: [mailBucket.arnForObjects(attachmentKeys)],
      }),
    );
    props.mailSender.allowSending(fn);
    props.threadTokenSecret.grantRead(fn);
    this.acknowledgeObjectWildcards(fn, mailBucket, [rawMailKeys, attachmentKeys]);
  }

  /** Object keys are message and attachment ids, known only at run time: a prefix is the narrowest grant. */
  private acknowledgeObjectWildcards(
    handler: AsyncFunction | ServiceFunction,
    bucket: s3.IBucket,
    keyPatterns: string[],
  ): void {
    const policy = handler.role.node.tryFindChild('DefaultPolicy') ?? handler.role;
    for (const keyPattern of keyPatterns) {
      Validations.of(policy.node.defaultChild ?? policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagObjectsResource(this, bucket, keyPattern)}]`,
        reason:
          'Raw mail is stored under the SES message id and attachments under ids made at run time, so the ' +
          'handler is granted the objects under one prefix of the mail bucket, not named objects.',
      });
    }
  }
}

/**
 * The objects under `keyPattern` as cdk-nag names them in an IAM5 finding. A
 * bucket of another stack reaches this one as an import of the export the CDK
 * generates for its ARN; `exportValue` returns that very import (the automatic
 * reference calls it too), which names the export before synthesis.
 */
function nagObjectsResource(scope: Construct, bucket: s3.IBucket, keyPattern: string): string {
  const owner = Stack.of(bucket);
  if (owner === Stack.of(scope)) {
    const bucketElement = bucket.node.defaultChild;
    if (!(bucketElement instanceof CfnElement))
      throw new Error(`${bucket.node.path} is not a bucket of this app`);
    return `<${owner.getLogicalId(bucketElement)}.Arn>/${keyPattern}`;
  }
  const imported = owner.resolve(owner.exportValue(bucket.bucketArn)) as { 'Fn::ImportValue': string };
  return `${imported['Fn::ImportValue']}/${keyPattern}`;
}
