import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import { type ITableV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  type LogLevel as BundlingLogLevel,
  NodejsFunction,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HANDLER_BUNDLE_OPTIONS } from './bundling';

/** Handler entries are given relative to the repository root, wherever the CDK is run from. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Must match `LAMBDA_NODE_TARGET` in bundling.ts. */
export const LAMBDA_RUNTIME = Runtime.NODEJS_22_X;

export type TableAccess = 'read' | 'readWrite';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ServiceFunctionProps {
  /** Handler module relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description?: string;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  readonly environment?: Record<string, string>;
  /** @default 'info' */
  readonly logLevel?: LogLevel;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  /** Keeps asynchronous invocations (e.g. from EventBridge) that still fail after Lambda's two retries. */
  readonly deadLetterQueue?: IQueue;
}

export interface TableBindingOptions {
  /** Global secondary indexes the function queries; each is granted by name. */
  readonly indexes?: readonly string[];
}

/**
 * Every Lambda of the service: Node 22 on ARM, ESM bundle with the SDK inside,
 * its own log group with a retention, X-Ray, and a role that holds only what
 * its `bind*` calls and grants add.
 */
export class ServiceFunction extends Construct implements iam.IGrantable {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: iam.Role;
  private tableBindings = 0;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });

    // An explicit role instead of AWSLambdaBasicExecutionRole: that managed
    // policy lets the function write to any log group in the account.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        LOG_LEVEL: props.logLevel ?? 'info',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: HANDLER_BUNDLE_OPTIONS.target,
        minify: HANDLER_BUNDLE_OPTIONS.minify,
        sourceMap: HANDLER_BUNDLE_OPTIONS.sourcemap,
        sourcesContent: HANDLER_BUNDLE_OPTIONS.sourcesContent,
        mainFields: [...HANDLER_BUNDLE_OPTIONS.mainFields],
        banner: HANDLER_BUNDLE_OPTIONS.banner.js,
        externalModules: [...HANDLER_BUNDLE_OPTIONS.external],
        logLevel: HANDLER_BUNDLE_OPTIONS.logLevel as BundlingLogLevel,
        forceDockerBundling: false,
      },
    });

    Validations.of(this.function.node.defaultChild ?? this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x is pinned on purpose: the bundles target node22 (lib/constructs/bundling.ts), and ' +
        'nodejs24.x is adopted by changing runtime and esbuild target together once the handlers are ' +
        'tested on Node 24.',
    });
    const policy = this.role.node.tryFindChild('DefaultPolicy') ?? this.role;
    Validations.of(policy.node.defaultChild ?? policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which do not support ' +
        'resource-level permissions, so IAM requires Resource "*".',
    });
  }

  get grantPrincipal(): iam.IPrincipal {
    return this.role;
  }

  /**
   * Sets TABLE_NAME and grants data access to the table and to the named
   * indexes only. CDK's table grants would add `<table>/index/*`; granting
   * through a reference that knows no indexes stops them at the table, and each
   * index is then granted explicitly (Query only: no Scan on request paths).
   */
  bindTable(table: ITableV2, access: TableAccess, options: TableBindingOptions = {}): this {
    const tableOnly = TableV2.fromTableAttributes(this, `TableAccess${this.tableBindings++}`, {
      tableArn: table.tableArn,
      encryptionKey: table.encryptionKey,
    });
    if (access === 'readWrite') tableOnly.grantReadWriteData(this);
    else tableOnly.grantReadData(this);

    const indexes = options.indexes ?? [];
    if (indexes.length > 0) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: indexes.map((index) => `${table.tableArn}/index/${index}`),
        }),
      );
    }
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }
}
