import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE } from '../../functions/adapters/dynamodb/table-definition';
import { ROLES } from '../../functions/domain/access/principal';
import { stackNames } from '../../lib/app';
import { type SynthesizedApp, synthesizeApp, TEST_ACCOUNT, TEST_REGIONS } from './synth';

let synthesized: SynthesizedApp;

beforeAll(() => {
  synthesized = synthesizeApp();
  if (synthesized.synthError) throw synthesized.synthError;
});

afterAll(() => synthesized?.dispose());

describe('the app', () => {
  it('has a stateful and a stateless stack per region, in that region and account', () => {
    const stacks = synthesized.stacks();

    expect(stacks.map((stack) => stack.stackName).sort()).toEqual(
      TEST_REGIONS.flatMap((region) => Object.values(stackNames(region))).sort(),
    );
    for (const { region, stateful, stateless } of synthesized.regions) {
      for (const stack of [stateful, stateless]) {
        expect(stack.region).toBe(region);
        expect(stack.account).toBe(TEST_ACCOUNT);
      }
      expect(stateless.dependencies).toContain(stateful);
      expect(stateful.terminationProtection).toBe(true);
    }
  });
});

describe.each(TEST_REGIONS)('stateful stack in %s', (region) => {
  let template: Template;

  beforeAll(() => {
    const pair = synthesized.regions.find((r) => r.region === region);
    if (!pair) throw new Error(`no stacks for ${region}`);
    template = synthesized.template(pair.stateful);
  });

  describe('table', () => {
    it('is the single table of table-definition.ts: keys, indexes, TTL, stream', () => {
      const key = (partitionKey: string, sortKey: string) => [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ];
      const keyNames = [
        TABLE.partitionKey,
        TABLE.sortKey,
        ...TABLE.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
      ];

      template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        KeySchema: key(TABLE.partitionKey, TABLE.sortKey),
        AttributeDefinitions: Match.arrayEquals(
          keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        ),
        GlobalSecondaryIndexes: TABLE.globalIndexes.map((index) => ({
          IndexName: index.name,
          KeySchema: key(index.partitionKey, index.sortKey),
          Projection: { ProjectionType: 'ALL' },
        })),
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        BillingMode: 'PAY_PER_REQUEST',
      });
    });

    it('has point-in-time recovery and deletion protection, and is retained', () => {
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          Replicas: [
            Match.objectLike({
              Region: region,
              DeletionProtectionEnabled: true,
              PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            }),
          ],
        }),
      });
    });
  });

  describe('mail bucket', () => {
    const mailBucket = () => {
      const buckets = template.findResources('AWS::S3::Bucket', {
        Properties: { VersioningConfiguration: { Status: 'Enabled' } },
      });
      const ids = Object.keys(buckets);
      expect(ids).toHaveLength(1);
      return ids[0] as string;
    };

    it('is encrypted, private, versioned, retained and logs access to the log bucket', () => {
      const logBucketIds = Object.keys(template.findResources('AWS::S3::Bucket')).filter(
        (id) => id !== mailBucket(),
      );
      expect(logBucketIds).toHaveLength(1);

      template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: Match.anyValue() } }),
            ],
          },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          VersioningConfiguration: { Status: 'Enabled' },
          LoggingConfiguration: Match.objectLike({ DestinationBucketName: { Ref: logBucketIds[0] } }),
        }),
      });
    });

    it('cleans up after itself: old versions expire, incomplete uploads are aborted, objects tier down', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              Status: 'Enabled',
              NoncurrentVersionExpiration: { NoncurrentDays: Match.anyValue() },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: Match.anyValue() },
              Transitions: [Match.objectLike({ StorageClass: Match.anyValue() })],
            }),
          ]),
        },
      });
    });

    it('refuses requests without TLS (and below TLS 1.2)', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: mailBucket() },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Deny',
              Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
            }),
          ]),
        },
      });
    });

    it('has an access log bucket that is private, TLS-only and expires logs', () => {
      const logBucketId = Object.keys(template.findResources('AWS::S3::Bucket')).find(
        (id) => id !== mailBucket(),
      );
      const logBucket = template.findResources('AWS::S3::Bucket')[logBucketId as string];

      expect(logBucket?.Properties).toMatchObject({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
        LifecycleConfiguration: {
          Rules: [expect.objectContaining({ ExpirationInDays: expect.any(Number) })],
        },
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logBucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('user pool', () => {
    it('signs in by e-mail alias, only admins create logins, MFA by TOTP is optional, and it is retained', () => {
      template.hasResource('AWS::Cognito::UserPool', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          // The identity provisioner's usernames are `<tenant>.<user id>`, not e-mail addresses.
          UsernameAttributes: Match.absent(),
          AliasAttributes: ['email'],
          AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
          MfaConfiguration: 'OPTIONAL',
          EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
          DeletionProtection: 'ACTIVE',
          Policies: {
            PasswordPolicy: Match.objectLike({
              MinimumLength: Match.anyValue(),
              RequireLowercase: true,
              RequireUppercase: true,
              RequireNumbers: true,
              RequireSymbols: true,
            }),
          },
        }),
      });
      const pool = Object.values(template.findResources('AWS::Cognito::UserPool'))[0];
      expect(pool?.Properties.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
    });

    it('carries the tenant as an immutable custom attribute, the claim handlers read', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        Schema: Match.arrayWith([
          Match.objectLike({ Name: 'tenantId', AttributeDataType: 'String', Mutable: false }),
        ]),
      });
    });

    it('has exactly one group per role', () => {
      const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map(
        (group) => group.Properties.GroupName,
      );

      expect(groups.sort()).toEqual([...ROLES].sort());
    });

    it('has an API client without secret, for SRP sign-in and refresh, whose ID tokens carry the tenant', () => {
      template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        ExplicitAuthFlows: Match.arrayEquals(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
        AllowedOAuthFlowsUserPoolClient: false,
        PreventUserExistenceErrors: 'ENABLED',
        ReadAttributes: Match.arrayWith(['custom:tenantId']),
        WriteAttributes: Match.not(Match.arrayWith(['custom:tenantId'])),
      });
    });
  });
});
