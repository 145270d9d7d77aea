import { ArnFormat, type Stack } from 'aws-cdk-lib';

/**
 * The names of a region's SES receiving set-up, computed from the region alone.
 * Both stacks need them: the stateless stack creates the receipt rule set and
 * rule under these names, and the stateful stack, which owns the mail bucket's
 * one bucket policy, lets SES write only for that rule. Computing the names on
 * both sides (instead of referencing the rule) keeps the dependency one-way,
 * stateless → stateful.
 */
export interface InboundMailNames {
  /** One per region: SES allows one active rule set per account and region. */
  readonly ruleSetName: string;
  readonly ruleName: string;
  /** Where the S3 action stores raw mail in the mail bucket, e.g. `inbound/eu-west-1/`. */
  readonly rawMailPrefix: string;
  /** Where the inbound handler stores the attachments it takes out of mail. */
  readonly attachmentsPrefix: string;
}

export function inboundMailNames(region: string): InboundMailNames {
  return {
    ruleSetName: `FieldService-Inbound-${region}`,
    ruleName: 'store-then-process',
    rawMailPrefix: `inbound/${region}/`,
    attachmentsPrefix: 'attachments/',
  };
}

/**
 * `arn:<partition>:ses:<region>:<account>:receipt-rule-set/<set>:receipt-rule/<rule>`:
 * the `aws:SourceArn` SES presents when its rule writes to S3 or invokes Lambda.
 * CloudFormation returns no ARN for a receipt rule, so it is built from the names.
 */
export function receiptRuleArn(stack: Stack, names: InboundMailNames): string {
  return stack.formatArn({
    service: 'ses',
    resource: 'receipt-rule-set',
    resourceName: `${names.ruleSetName}:receipt-rule/${names.ruleName}`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
