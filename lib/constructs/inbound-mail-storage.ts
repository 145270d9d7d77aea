import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { type InboundMailNames, receiptRuleArn } from '../config/inbound-mail-names';

export interface InboundMailStorageProps {
  /** Owned by the same stack: its bucket policy receives the statement for SES. */
  readonly mailBucket: s3.Bucket;
  readonly names: InboundMailNames;
}

/**
 * The stateful half of inbound mail: SES's right to store raw mail in the mail
 * bucket, and the secret that signs plus-address reply tokens.
 *
 * Why the bucket statement lives here and not next to the receipt rule: a
 * bucket has one bucket policy, and the stateful stack already owns it (the
 * TLS-only statements). Adding the statement from the stateless stack would
 * either write a second `AWS::S3::BucketPolicy` that replaces the first, or
 * make the stateful policy reference the stateless rule, a circular
 * dependency. The rule's ARN is therefore computed from the region's names
 * (lib/config/inbound-mail-names.ts), which the stateless stack uses for the
 * rule itself.
 */
export class InboundMailStorage extends Construct {
  /** 64 random letters and digits; the inbound handler reads it, outgoing mail carries tokens signed with it. */
  readonly threadTokenSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: InboundMailStorageProps) {
    super(scope, id);
    const { mailBucket, names } = props;
    const stack = Stack.of(this);

    mailBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SesStoresInboundMail',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [mailBucket.arnForObjects(`${names.rawMailPrefix}*`)],
        // Only our own rule in our own account: another account's SES rule naming this bucket is refused.
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': receiptRuleArn(stack, names),
          },
        },
      }),
    );

    this.threadTokenSecret = new secretsmanager.Secret(this, 'ThreadTokenSecret', {
      description:
        'Signs the plus-address reply tokens of outgoing mail (HMAC). Rotating it stops older tokens from ' +
        'threading replies; headers and subject tags still do.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Mail already sent carries tokens signed with it: keep it whatever happens to the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.threadTokenSecret.node.defaultChild ?? this.threadTokenSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation would invalidate the reply tokens in every mail sent before it, so replies to them ' +
        'would fall back to header and subject threading; the key is rotated by hand, deliberately ' +
        '(docs/deploy.md).',
    });
  }
}
