import {
  DescribeActiveReceiptRuleSetCommand,
  SESClient,
  SetActiveReceiptRuleSetCommand,
} from '@aws-sdk/client-ses';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/**
 * The onEvent handler of the custom resource that makes the stack's receipt
 * rule set the active one (lib/constructs/inbound-mail-activation). SES allows
 * one active rule set per account and region, and CloudFormation creates rule
 * sets inactive.
 *
 * - Create and Update: activate ours. Whatever was active before stays in the
 *   account, inactive; its name is logged and returned as `PreviouslyActive`.
 * - Delete: deactivate only while ours is still the active one. If someone
 *   activated another set meanwhile, that set is theirs: leave it alone.
 */

const ses = new SESClient({});

/** What the custom resource passes; CloudFormation delivers every property as a string. */
export interface ActivationProperties {
  readonly RuleSetName: string;
}

export interface ActivationResult {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly PreviouslyActive: string };
}

export async function handler(event: CloudFormationCustomResourceEvent): Promise<ActivationResult> {
  const ruleSetName = ruleSetNameOf(event.ResourceProperties);
  const active = await activeRuleSetName();

  if (event.RequestType === 'Delete') {
    if (active === ruleSetName) {
      await ses.send(new SetActiveReceiptRuleSetCommand({}));
      log('deactivated', { ruleSetName });
    } else {
      log('left active', { ruleSetName, active: active ?? null });
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  }

  if (active !== ruleSetName) {
    await ses.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: ruleSetName }));
  }
  log('activated', { ruleSetName, previouslyActive: active ?? null });
  // The name as physical id: renaming the set makes CloudFormation delete the old resource, whose
  // Delete then finds the new set active and leaves it.
  return { PhysicalResourceId: ruleSetName, Data: { PreviouslyActive: active ?? '' } };
}

async function activeRuleSetName(): Promise<string | undefined> {
  const { Metadata } = await ses.send(new DescribeActiveReceiptRuleSetCommand({}));
  return Metadata?.Name;
}

function ruleSetNameOf(properties: Record<string, unknown>): string {
  const name = (properties as Partial<ActivationProperties>).RuleSetName;
  if (typeof name !== 'string' || name === '') throw new Error('RuleSetName is missing');
  return name;
}

function log(outcome: string, details: Record<string, unknown>): void {
  console.log(JSON.stringify({ message: `Receipt rule set ${outcome}`, ...details }));
}
