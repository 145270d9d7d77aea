/**
 * Names the deployed stacks answer to, and the outputs scripts read from them.
 * Plain data without the CDK, so operations scripts (bin/) can find a region's
 * stacks without loading the infrastructure code.
 */

export const stackNames = (region: string) => ({
  stateful: `FieldService-Stateful-${region}`,
  stateless: `FieldService-Stateless-${region}`,
});

/** Outputs of the stateless stack where SES receives mail; `npm run mail:redrive` reads them. */
export const INBOUND_MAIL_OUTPUTS = {
  failureQueueUrl: 'InboundMailFailureQueueUrl',
  functionName: 'InboundMailFunctionName',
} as const;
