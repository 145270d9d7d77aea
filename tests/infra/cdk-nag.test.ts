import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsSolutionsChecks, stackNames } from '../../lib/app';
import {
  awsSolutionsFindings,
  type SynthesizedApp,
  synthesizeApp,
  TEST_ACCOUNT,
  TEST_REGIONS,
} from './synth';

/**
 * Every rule the app acknowledges, reviewed. A new acknowledgement fails this
 * list on purpose: fix the finding, or add it here with its reason in the code.
 */
const REVIEWED_ACKNOWLEDGEMENTS = [
  'AwsSolutions-APIG4',
  'AwsSolutions-COG2',
  'AwsSolutions-COG8',
  'AwsSolutions-IAM5[Resource::*]',
  'AwsSolutions-IAM5[Resource::<InboundMailActivationOnEventFunction4182FEBC.Arn>:*]',
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<ReminderSchedules>/*]',
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<ServicePlanSchedules>/*]',
  // The inbound handler's mail bucket prefixes; the bucket's ARN is imported from the region's stateful stack.
  ...TEST_REGIONS.flatMap((region) =>
    [`inbound/${region}/*`, 'attachments/*'].map(
      (keys) =>
        `AwsSolutions-IAM5[Resource::${stackNames(region).stateful}:ExportsOutputFnGetAttMailBucketFABEC941ArnB8304EC6/${keys}]`,
    ),
  ),
  'AwsSolutions-L1',
  'AwsSolutions-S1',
  'AwsSolutions-SMG4',
  'AwsSolutions-SQS3',
];

interface Acknowledgement {
  id: string;
  reason: string;
}

let synthesized: SynthesizedApp;

beforeAll(() => {
  // No throw on failure here: the findings are what these tests are about.
  synthesized = synthesizeApp();
});

afterAll(() => synthesized?.dispose());

describe('cdk-nag AwsSolutions checks on the app', () => {
  it('let the synth through (cdk-nag 3 fails the synth on any unacknowledged finding)', () => {
    expect(synthesized.synthError).toBeUndefined();
  });

  it('leave no unacknowledged error or warning in any stack', () => {
    const findings = awsSolutionsFindings(synthesized.app);

    for (const stack of synthesized.stacks()) {
      const inStack = findings.filter((f) => f.path.startsWith(`${stack.node.path}/`));
      expect(
        inStack.filter((f) => f.severity === 'error'),
        stack.stackName,
      ).toEqual([]);
      expect(
        inStack.filter((f) => f.severity === 'warning'),
        stack.stackName,
      ).toEqual([]);
    }
    expect(findings).toEqual([]);
  });

  it('leave no error or warning annotation from the CDK itself in any stack', () => {
    const assembly = synthesized.app.synth();

    for (const stack of synthesized.stacks()) {
      const messages = assembly
        .getStackArtifact(stack.artifactId)
        .messages.filter((message) => message.level !== 'info')
        .map((message) => `${message.level} at ${message.id}: ${String(message.entry.data)}`);
      expect(messages, stack.stackName).toEqual([]);
    }
  });

  describe('acknowledgements', () => {
    const acknowledgements = () =>
      synthesized.stacks().flatMap((stack) =>
        Object.entries(
          synthesized.template(stack).toJSON().Resources as Record<string, CfnResourceJson>,
        ).flatMap(([logicalId, resource]) =>
          (resource.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((ack) => ({
            where: `${stack.stackName}/${logicalId}`,
            ...ack,
          })),
        ),
      );

    it('are written into the templates, for audit', () => {
      expect(acknowledgements().length).toBeGreaterThan(0);
    });

    it('each give a specific written reason', () => {
      for (const { where, id, reason } of acknowledgements()) {
        const context = `${id} on ${where}`;
        expect(reason.trim().length, context).toBeGreaterThanOrEqual(60);
        expect(reason, context).not.toMatch(/^(n\/?a|todo|tbd|none|ok|not needed|suppressed?)\b/i);
        expect(reason, context).not.toContain(id);
      }
    });

    it('are the reviewed ones only, attached to resources rather than whole stacks', () => {
      const ids = [...new Set(acknowledgements().map((ack) => ack.id))].sort();

      expect(ids).toEqual([...REVIEWED_ACKNOWLEDGEMENTS].sort());
      for (const stack of synthesized.stacks()) {
        const stackLevel = stack.node.metadata.filter(
          (entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY,
        );
        expect(stackLevel, stack.stackName).toEqual([]);
      }
    });

    it('acknowledge IAM wildcards only for the exact finding, not the whole IAM5 rule', () => {
      const iamAcknowledgements = acknowledgements().filter((ack) => ack.id.startsWith('AwsSolutions-IAM'));

      expect(iamAcknowledgements.length).toBeGreaterThan(0);
      for (const ack of iamAcknowledgements) expect(ack.id).toMatch(/^AwsSolutions-IAM5\[.+\]$/);
    });
  });
});

describe('cdk-nag AwsSolutions checks on a non-compliant stack', () => {
  it('find an unencrypted queue that accepts plain HTTP, and fail the synth', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'field-service-nag-'));
    try {
      const app = new App({ outdir });
      const stack = new Stack(app, 'NonCompliant', { env: { account: TEST_ACCOUNT, region: 'eu-west-1' } });
      new sqs.Queue(stack, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED, enforceSSL: false });
      Validations.of(app).addPlugins(awsSolutionsChecks(app));

      expect(() => app.synth()).toThrow(/AwsSolutions-SQS2/);
      const rules = awsSolutionsFindings(app).map((finding) => finding.rule);
      expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS2', 'AwsSolutions-SQS4']));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

interface CfnResourceJson {
  Metadata?: { cdk_nag?: { rules_to_suppress?: Acknowledgement[] } };
}
