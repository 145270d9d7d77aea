import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, type DynamoEventSourceProps, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  ServiceFunction,
  type ServiceFunctionProps,
  type TableAccess,
  type TableBindingOptions,
} from './service-function';

/**
 * What invokes an asynchronous function, which decides what its dead-letter
 * queue keeps:
 * - `events`: Lambda asynchronous invocations (EventBridge rules, Scheduler
 *   schedules). The queue keeps each event whole once Lambda's own retries
 *   are spent.
 * - `stream`: a table stream read through `consumeStream`. The queue keeps an
 *   on-failure record naming the shard and the sequence-number range of the
 *   failed batch, not the records themselves.
 */
export type AsyncInvocation = 'events' | 'stream';

/**
 * How the queue receives what an `events` function failed on, once Lambda's two
 * retries (or six hours) are spent:
 * - `dead-letter-queue`: the message body is the event alone; the error is in
 *   the message attributes, without a stack or an attempt count.
 * - `on-failure-destination`: the message is Lambda's invocation record: the
 *   event as `requestPayload`, the error as `responsePayload`, the condition
 *   and attempt count in `requestContext`. For functions whose failures are
 *   re-driven by a script that reports what failed and why.
 */
export type FailureDelivery = 'dead-letter-queue' | 'on-failure-destination';

export interface AsyncFunctionProps extends Omit<ServiceFunctionProps, 'deadLetterQueue'> {
  /** @default 'events' */
  readonly invokedBy?: AsyncInvocation;
  /**
   * Only for `invokedBy: 'events'`; a stream's failures always arrive as on-failure records.
   * @default 'dead-letter-queue'
   */
  readonly failureDelivery?: FailureDelivery;
  /** What stays undone while messages wait in the queue, e.g. "Forwarded work orders could not be mailed". */
  readonly failureImpact: string;
}

/** How the stream is read; the starting position and failure handling are fixed by the construct. */
export type StreamOptions = Required<
  Pick<DynamoEventSourceProps, 'batchSize' | 'retryAttempts' | 'maxRecordAge'>
> &
  Pick<DynamoEventSourceProps, 'filters'>;

/**
 * A function nobody waits for: a `ServiceFunction`, the dead-letter queue that
 * keeps what it could not process, and the alarms that say so. Nothing it is
 * given is dropped silently.
 */
export class AsyncFunction extends Construct implements iam.IGrantable {
  readonly serviceFunction: ServiceFunction;
  /**
   * Encrypted, TLS-only, 14 days. How a message is re-driven once the cause is
   * fixed depends on `invokedBy` (steps in docs/deploy.md, "Re-driving a
   * dead-letter queue"):
   * - `events`: the message body is the original event (with
   *   `on-failure-destination`, the record's `requestPayload`); invoke the
   *   function asynchronously with it (`aws lambda invoke --invocation-type
   *   Event`), then delete the message. Events from the bus may instead be put
   *   on it again.
   * - `stream`: the message names the stream, the shard and the first and last
   *   sequence numbers of the failed batch; read that range while the stream
   *   still holds it (24 h) and invoke the function with those records.
   */
  readonly deadLetterQueue: sqs.Queue;
  readonly invokedBy: AsyncInvocation;
  private streamConsumed = false;

  constructor(scope: Construct, id: string, props: AsyncFunctionProps) {
    super(scope, id);
    const { invokedBy = 'events', failureDelivery, failureImpact, ...functionProps } = props;
    this.invokedBy = invokedBy;
    if (invokedBy === 'stream' && failureDelivery !== undefined) {
      throw new Error(`${this.node.path} reads a stream: its failures always arrive as on-failure records`);
    }
    const toDestination = failureDelivery === 'on-failure-destination';

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // "Default" keeps the function's logical IDs what they were before it had a construct around it.
    this.serviceFunction = new ServiceFunction(this, 'Default', {
      ...functionProps,
      // A stream invocation is synchronous: its failures reach the queue through the mapping's on-failure destination.
      ...(invokedBy === 'events' && !toDestination ? { deadLetterQueue: this.deadLetterQueue } : {}),
    });

    if (toDestination) {
      this.function.configureAsyncInvoke({
        onFailure: new SqsDestination(this.deadLetterQueue),
        // Lambda's defaults, written out: the handler must be idempotent for exactly these.
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      });
    }
    if (invokedBy === 'stream' || toDestination) {
      const failuresOf = toDestination ? 'asynchronous invocations' : 'a stream mapping';
      Validations.of(this.deadLetterQueue.node.defaultChild ?? this.deadLetterQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason:
          `This queue is itself the on-failure destination of ${failuresOf} ` +
          '(cdk-nag only recognises queue redrive and Lambda DeadLetterConfig as DLQ use); it needs no DLQ ' +
          'of its own.',
      });
    }
    if (invokedBy === 'stream') {
      this.node.addValidation({
        validate: () =>
          this.streamConsumed ? [] : [`${this.node.path} is invoked by a stream it never reads`],
      });
    }

    const queueKind = toDestination ? 'on-failure' : 'dead-letter';
    this.alarm('DeadLetterQueueNotEmpty', `${failureImpact} and wait in the ${queueKind} queue`, {
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
    });
    this.alarm('Errors', `${failureImpact}: invocations failed (they are retried, then dead-lettered)`, {
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
    });
  }

  get function(): NodejsFunction {
    return this.serviceFunction.function;
  }

  get role(): iam.Role {
    return this.serviceFunction.role;
  }

  get grantPrincipal(): iam.IPrincipal {
    return this.serviceFunction.role;
  }

  bindTable(table: ITableV2, access: TableAccess, options?: TableBindingOptions): this {
    this.serviceFunction.bindTable(table, access, options);
    return this;
  }

  /**
   * Reads the table stream, batch by batch, dead-lettering what still fails
   * after the retries, and alarms when the reading falls behind.
   */
  consumeStream(table: ITableV2, options: StreamOptions): this {
    if (this.invokedBy !== 'stream') {
      throw new Error(`${this.node.path} is invoked by events; give it invokedBy: 'stream' to read a stream`);
    }
    if (this.streamConsumed) throw new Error(`${this.node.path} already reads a stream`);
    this.streamConsumed = true;
    this.function.addEventSource(
      new DynamoEventSource(table, {
        // TRIM_HORIZON, not LATEST: when the mapping is created or replaced, items written meanwhile
        // are still in the stream (24 h) and get processed; LATEST would drop them. Consumers are
        // at-least-once and idempotent, so reading a record twice is safe.
        startingPosition: StartingPosition.TRIM_HORIZON,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.deadLetterQueue),
        ...options,
      }),
    );
    this.alarm('IteratorAge', `${this.node.id} reads the table stream more than 5 minutes late`, {
      metric: this.function.metric('IteratorAge', {
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: Duration.minutes(5).toMilliseconds(),
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    return this;
  }

  private alarm(
    id: string,
    description: string,
    props: Pick<cloudwatch.AlarmProps, 'metric'> & Partial<cloudwatch.AlarmProps>,
  ): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, id, {
      alarmDescription: description,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
    });
  }
}
