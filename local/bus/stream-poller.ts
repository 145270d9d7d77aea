import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { localClient } from '../dynamodb/launcher';

type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/**
 * Lambda's DynamoDB stream event source mapping for the local runtime: polls
 * every shard of the table's stream and hands batches to the handler; records
 * it reports as failed are retried from the first failure, as Lambda does.
 */
export class LocalStreamPoller {
  private readonly streams: DynamoDBStreamsClient;
  private readonly iterators = new Map<string, string | undefined>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;
  private idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly endpoint: string,
    private readonly tableName: string,
    private readonly handler: StreamHandler,
    private readonly options: {
      startAt: 'TRIM_HORIZON' | 'LATEST';
      intervalMs?: number;
      onError?: (error: unknown) => void;
    },
  ) {
    this.streams = new DynamoDBStreamsClient({
      endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  }

  async start(): Promise<void> {
    await this.discoverShards(this.options.startAt);
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.idle;
    this.streams.destroy();
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.idle = this.pollOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => this.schedule());
    }, this.options.intervalMs ?? 100);
  }

  private async streamArn(): Promise<string> {
    const table = localClient(this.endpoint);
    try {
      const { Table } = await table.send(new DescribeTableCommand({ TableName: this.tableName }));
      if (!Table?.LatestStreamArn) throw new Error(`Table ${this.tableName} has no stream`);
      return Table.LatestStreamArn;
    } finally {
      table.destroy();
    }
  }

  private async discoverShards(startAt: 'TRIM_HORIZON' | 'LATEST') {
    const StreamArn = await this.streamArn();
    const { StreamDescription } = await this.streams.send(new DescribeStreamCommand({ StreamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || this.iterators.has(shard.ShardId)) continue;
      const { ShardIterator } = await this.streams.send(
        new GetShardIteratorCommand({ StreamArn, ShardId: shard.ShardId, ShardIteratorType: startAt }),
      );
      this.iterators.set(shard.ShardId, ShardIterator);
    }
  }

  /** One pass over every shard; answers how many records it handed over. Exposed for tests that drive the poller. */
  async pollOnce(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let handed = 0;
    try {
      // Shards found after start are new: read them from their beginning.
      await this.discoverShards('TRIM_HORIZON');
      for (const [shardId, iterator] of this.iterators) {
        if (!iterator) continue;
        const { Records = [], NextShardIterator } = await this.streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }),
        );
        let next = NextShardIterator;
        if (Records.length > 0) {
          handed += Records.length;
          const response = await this.handler({
            Records: Records.map(toLambdaRecord),
          } as DynamoDBStreamEvent);
          const firstFailed = response.batchItemFailures[0]?.itemIdentifier;
          if (firstFailed) {
            const { ShardIterator } = await this.streams.send(
              new GetShardIteratorCommand({
                StreamArn: await this.streamArn(),
                ShardId: shardId,
                ShardIteratorType: 'AT_SEQUENCE_NUMBER',
                SequenceNumber: firstFailed,
              }),
            );
            next = ShardIterator;
          }
        }
        this.iterators.set(shardId, next);
      }
      return handed;
    } finally {
      this.running = false;
    }
  }

  /** Polls until a pass finds nothing new: everything written before the call has been handled. */
  async drain(): Promise<void> {
    // A pass the timer started may be under way: let it end, so the passes below are not skipped.
    await this.idle;
    while ((await this.pollOnce()) > 0);
  }
}

function toLambdaRecord(record: _Record) {
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventSource: 'aws:dynamodb',
    eventVersion: record.eventVersion,
    awsRegion: 'local',
    dynamodb: record.dynamodb,
  };
}
