import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../shared/errors';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** What a failed condition on one item of the transaction means to the caller. */
export type ConditionFailure = () => Error;

/**
 * Collects the items of one TransactWriteItems call, each with the error its
 * failed condition stands for, so a cancelled transaction becomes a typed error.
 */
export class Transaction {
  private readonly items: { item: TransactItem; onConditionFailed: ConditionFailure }[] = [];

  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  put(
    item: Record<string, unknown>,
    condition: string | undefined,
    onConditionFailed: ConditionFailure,
    values?: Record<string, unknown>,
  ): this {
    this.items.push({
      item: {
        Put: {
          TableName: this.tableName,
          Item: item,
          ...(condition ? { ConditionExpression: condition } : {}),
          ...(values ? { ExpressionAttributeValues: values } : {}),
        },
      },
      onConditionFailed,
    });
    return this;
  }

  delete(
    key: { pk: string; sk: string },
    condition: string | undefined,
    onConditionFailed: ConditionFailure,
    values?: Record<string, unknown>,
  ): this {
    this.items.push({
      item: {
        Delete: {
          TableName: this.tableName,
          Key: key,
          ...(condition ? { ConditionExpression: condition } : {}),
          ...(values ? { ExpressionAttributeValues: values } : {}),
        },
      },
      onConditionFailed,
    });
    return this;
  }

  get size(): number {
    return this.items.length;
  }

  async commit(): Promise<void> {
    if (this.items.length === 0) return;
    if (this.items.length > 100)
      throw new Error(`A transaction holds at most 100 items, got ${this.items.length}`);
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: this.items.map((i) => i.item) }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
        const entry = failed >= 0 ? this.items[failed] : undefined;
        if (entry) throw entry.onConditionFailed();
        if (reasons.some((reason) => reason.Code === 'TransactionConflict')) {
          throw new ConflictError('Another change to the same data was in progress; try again');
        }
      }
      throw error;
    }
  }
}
