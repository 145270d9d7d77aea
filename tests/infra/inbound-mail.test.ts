import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionStacks } from '../../lib/app';
import { inboundMailNames } from '../../lib/config/inbound-mail-names';
import { INBOUND_MAIL_OUTPUTS } from '../../lib/config/stack-names';
import { type SynthesizedApp, synthesizeApp, TEST_ACCOUNT } from './synth';

/** One region receives mail, the other does not: one synth covers both. */
const RECEIVING = { region: 'eu-west-1', mailDomain: 'service.example.eu' } as const;
const NOT_RECEIVING = 'us-east-1';

let synthesized: SynthesizedApp;

beforeAll(() => {
  synthesized = synthesizeApp({
    regionSettings: {
      [RECEIVING.region]: { mailDomain: RECEIVING.mailDomain, sesReceiving: true },
      [NOT_RECEIVING]: { mailDomain: 'service.example.com', sesReceiving: false },
    },
  });
  if (synthesized.synthError) throw synthesized.synthError;
});

afterAll(() => synthesized?.dispose());

const regionStacks = (region: string): RegionStacks => {
  const pair = synthesized.regions.find((r) => r.region === region);
  if (!pair) throw new Error(`no stacks for ${region}`);
  return pair;
};
const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } } | undefined) => {
  if (!construct) throw new Error('no such construct');
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
};

const names = inboundMailNames(RECEIVING.region);
const ruleArn = `arn:aws:ses:${RECEIVING.region}:${TEST_ACCOUNT}:receipt-rule-set/${names.ruleSetName}:receipt-rule/${names.ruleName}`;

describe(`where SES receives mail (${RECEIVING.region})`, () => {
  let pair: RegionStacks;
  let template: Template;
  let stateful: Template;
  let handlerId: string;
  let queueId: string;

  beforeAll(() => {
    pair = regionStacks(RECEIVING.region);
    template = synthesized.template(pair.stateless);
    stateful = synthesized.template(pair.stateful);
    const inboundMail = pair.stateless.inboundMail;
    if (!inboundMail) throw new Error('no inbound mail in the receiving region');
    handlerId = logicalId(pair.stateless, inboundMail.handler.function);
    queueId = logicalId(pair.stateless, inboundMail.handler.deadLetterQueue);
  });

  /** How the stateless template reads a value the stateful stack exports. */
  const imported = (value: unknown) => {
    const output = Object.values(stateful.findOutputs('*')).find(
      (o) => JSON.stringify(o.Value) === JSON.stringify(value),
    );
    if (!output?.Export?.Name) throw new Error(`the stateful stack exports no ${JSON.stringify(value)}`);
    return { 'Fn::ImportValue': output.Export.Name };
  };
  const mailBucketId = () => logicalId(pair.stateful, pair.stateful.mailBucket);

  it('has one receipt rule set, named for the region', () => {
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 1);
    template.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: names.ruleSetName });
  });

  it('takes every address of the mail domain, over TLS only, with spam and virus scanning', () => {
    template.resourceCountIs('AWS::SES::ReceiptRule', 1);
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      RuleSetName: { Ref: Match.anyValue() },
      Rule: Match.objectLike({
        Name: names.ruleName,
        Enabled: true,
        Recipients: [RECEIVING.mailDomain],
        TlsPolicy: 'Require',
        ScanEnabled: true,
      }),
    });
  });

  it('stores the raw mail under the region prefix first, then invokes the handler asynchronously', () => {
    const rule = Object.values(template.findResources('AWS::SES::ReceiptRule'))[0];

    expect(rule?.Properties.Rule.Actions).toEqual([
      {
        S3Action: {
          BucketName: imported({ Ref: mailBucketId() }),
          ObjectKeyPrefix: `inbound/${RECEIVING.region}/`,
        },
      },
      { LambdaAction: { FunctionArn: { 'Fn::GetAtt': [handlerId, 'Arn'] }, InvocationType: 'Event' } },
    ]);
  });

  it('lets SES invoke the handler only for this rule of this account, before the rule exists', () => {
    const permissions = template.findResources('AWS::Lambda::Permission', {
      Properties: { Principal: 'ses.amazonaws.com' },
    });
    const [permissionId, permission] = Object.entries(permissions)[0] ?? [];

    expect(Object.keys(permissions)).toHaveLength(1);
    expect(permission?.Properties).toEqual({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [handlerId, 'Arn'] },
      Principal: 'ses.amazonaws.com',
      SourceAccount: TEST_ACCOUNT,
      SourceArn: ruleArn,
    });
    const rule = Object.values(template.findResources('AWS::SES::ReceiptRule'))[0];
    expect(rule?.DependsOn).toContain(permissionId);
  });

  it('lets SES put objects only under the region prefix, for this rule of this account (stateful bucket policy)', () => {
    const policies = Object.values(
      stateful.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: mailBucketId() } } }),
    );
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const ses = statements.filter((s) => s.Principal?.Service === 'ses.amazonaws.com');

    expect(policies).toHaveLength(1);
    expect(ses).toEqual([
      {
        Sid: 'SesStoresInboundMail',
        Effect: 'Allow',
        Principal: { Service: 'ses.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: {
          'Fn::Join': ['', [{ 'Fn::GetAtt': [mailBucketId(), 'Arn'] }, `/inbound/${RECEIVING.region}/*`]],
        },
        Condition: { StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT, 'aws:SourceArn': ruleArn } },
      },
    ]);
  });

  it('keeps the stacks one-way: the stateful stack imports nothing and depends on nothing', () => {
    expect(JSON.stringify(stateful.toJSON())).not.toContain('Fn::ImportValue');
    expect(pair.stateful.dependencies).toEqual([]);
    expect(pair.stateless.dependencies).toContain(pair.stateful);
  });

  it('activates the rule set with a custom resource, once its rule exists', () => {
    const activations = template.findResources('Custom::ActiveReceiptRuleSet');
    const ruleSetId = Object.keys(template.findResources('AWS::SES::ReceiptRuleSet'))[0];
    const ruleId = Object.keys(template.findResources('AWS::SES::ReceiptRule'))[0];

    expect(Object.keys(activations)).toHaveLength(1);
    template.hasResource('Custom::ActiveReceiptRuleSet', {
      Properties: {
        ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^InboundMailActivationProvider'), 'Arn'] },
        RuleSetName: { Ref: ruleSetId },
      },
      DependsOn: Match.arrayWith([ruleId]),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['ses:DescribeActiveReceiptRuleSet', 'ses:SetActiveReceiptRuleSet'],
            Effect: 'Allow',
            Resource: '*',
          },
        ],
      },
    });
  });

  it('keeps what the handler failed on in an encrypted, TLS-only on-failure queue, and alarms', () => {
    const handler = template.findResources('AWS::Lambda::Function')[handlerId];

    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: handlerId },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 60 * 60,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    expect(handler?.Properties.DeadLetterConfig).toBeUndefined();
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    expect(template.findResources('AWS::SQS::Queue')[queueId]?.Properties.SqsManagedSseEnabled).toBe(true);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
    });
  });

  it('gives the handler the memory, time and settings to parse a 40 MB mail', () => {
    const secretId = logicalId(pair.stateful, pair.stateful.threadTokenSecret);

    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      Timeout: 60,
      Environment: {
        Variables: Match.objectLike({
          MAIL_BUCKET: imported({ Ref: mailBucketId() }),
          RAW_MAIL_PREFIX: `inbound/${RECEIVING.region}/`,
          MAIL_DOMAIN: RECEIVING.mailDomain,
          THREAD_TOKEN_SECRET_ARN: imported({ Ref: secretId }),
          MAIL_FROM: `service@${RECEIVING.mailDomain}`,
          TABLE_NAME: Match.anyValue(),
        }),
      },
    });
    expect(template.findResources('AWS::Lambda::Function')[handlerId]?.Properties.MemorySize).toBe(1024);
  });

  it('lets the handler read raw mail, read and write attachments, send as the domain and read the secret', () => {
    const role = logicalId(pair.stateless, pair.stateless.inboundMail?.handler.role);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const bucketArn = imported({ 'Fn::GetAtt': [mailBucketId(), 'Arn'] });
    const objects = (keys: string) => ({ 'Fn::Join': ['', [bucketArn, `/${keys}`]] });
    const secretId = logicalId(pair.stateful, pair.stateful.threadTokenSecret);

    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: 's3:GetObject',
          Resource: objects(`inbound/${RECEIVING.region}/*`),
        }),
        expect.objectContaining({
          Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
          Resource: objects('attachments/*'),
        }),
        expect.objectContaining({
          Action: 'ses:SendRawEmail',
          Resource: `arn:aws:ses:${RECEIVING.region}:${TEST_ACCOUNT}:identity/${RECEIVING.mailDomain}`,
        }),
        expect.objectContaining({
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
          Resource: imported({ Ref: secretId }),
        }),
      ]),
    );
    const s3Actions = statements.flatMap((s) => [s.Action].flat()).filter((a: string) => a.startsWith('s3:'));
    expect(s3Actions).not.toContain('s3:DeleteObject');
  });

  it('outputs the failure queue and the handler for the re-drive script', () => {
    const outputs = template.findOutputs('*');

    expect(outputs[INBOUND_MAIL_OUTPUTS.failureQueueUrl]?.Value).toEqual({ Ref: queueId });
    expect(outputs[INBOUND_MAIL_OUTPUTS.functionName]?.Value).toEqual({ Ref: handlerId });
  });

  it('keeps a generated 64-character reply-token secret in the stateful stack, retained', () => {
    stateful.resourceCountIs('AWS::SecretsManager::Secret', 1);
    stateful.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
      }),
    });
  });
});

describe(`where SES does not receive mail (${NOT_RECEIVING})`, () => {
  it('has no rule set, rule, activation, secret, inbound function or SES bucket statement', () => {
    const pair = regionStacks(NOT_RECEIVING);
    const template = synthesized.template(pair.stateless);
    const stateful = synthesized.template(pair.stateful);
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));

    expect(pair.stateless.inboundMail).toBeUndefined();
    expect(pair.stateful.threadTokenSecret).toBeUndefined();
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
    template.resourceCountIs('AWS::SES::ReceiptRule', 0);
    template.resourceCountIs('Custom::ActiveReceiptRuleSet', 0);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
    stateful.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(functions.filter((fn) => fn.Properties.Environment?.Variables?.RAW_MAIL_PREFIX)).toEqual([]);
    expect(JSON.stringify(stateful.findResources('AWS::S3::BucketPolicy'))).not.toContain(
      'ses.amazonaws.com',
    );
    expect(Object.keys(template.findOutputs('*'))).not.toContain(INBOUND_MAIL_OUTPUTS.functionName);
  });
});
