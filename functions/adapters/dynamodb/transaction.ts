import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { TransactionConflictError } from '../../domain/shared/errors';

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
    names?: Record<string, string>,
  ): this {
    return this.add(
      { Put: { TableName: this.tableName, Item: item, ...conditionOf(condition, values, names) } },
      onConditionFailed,
    );
  }

  delete(
    key: { pk: string; sk: string },
    condition: string | undefined,
    onConditionFailed: ConditionFailure,
    values?: Record<string, unknown>,
  ): this {
    return this.add(
      { Delete: { TableName: this.tableName, Key: key, ...conditionOf(condition, values) } },
      onConditionFailed,
    );
  }

  /** An UpdateItem inside the transaction (counters); `values` serve the update and the condition. */
  update(
    key: { pk: string; sk: string },
    updateExpression: string,
    condition: string | undefined,
    onConditionFailed: ConditionFailure,
    values: Record<string, unknown>,
    names?: Record<string, string>,
  ): this {
    return this.add(
      {
        Update: {
          TableName: this.tableName,
          Key: key,
          UpdateExpression: updateExpression,
          ...conditionOf(condition, values, names),
        },
      },
      onConditionFailed,
    );
  }

  /**
   * An UpdateItem from attribute changes: every attribute name goes through a placeholder, so any name
   * (a reserved word, `s:<user id>`) is safe. Sets are DynamoDB sets for `add` and `delete`.
   */
  patch(
    key: { pk: string; sk: string },
    changes: {
      set?: Record<string, unknown>;
      remove?: string[];
      add?: Record<string, unknown>;
      delete?: Record<string, unknown>;
    },
    condition?: {
      expression: string;
      names?: Record<string, string>;
      values?: Record<string, unknown>;
      onFailed: ConditionFailure;
    },
  ): this {
    const names: Record<string, string> = { ...condition?.names };
    const values: Record<string, unknown> = { ...condition?.values };
    let n = 0;
    const clause = (verb: string, entries: [string, unknown][], separator: string) => {
      if (entries.length === 0) return '';
      const parts = entries.map(([attribute, value]) => {
        const i = n++;
        names[`#p${i}`] = attribute;
        if (verb === 'REMOVE') return `#p${i}`;
        values[`:p${i}`] = value;
        return `#p${i}${separator}:p${i}`;
      });
      return `${verb} ${parts.join(', ')}`;
    };
    const expression = [
      clause('SET', Object.entries(changes.set ?? {}), ' = '),
      clause(
        'REMOVE',
        (changes.remove ?? []).map((attribute) => [attribute, undefined]),
        '',
      ),
      clause('ADD', Object.entries(changes.add ?? {}), ' '),
      clause('DELETE', Object.entries(changes.delete ?? {}), ' '),
    ]
      .filter(Boolean)
      .join(' ');
    return this.update(
      key,
      expression,
      condition?.expression,
      condition?.onFailed ?? (() => new Error('unreachable')),
      values,
      names,
    );
  }

  /** A condition on an item the transaction does not change (e.g. "the work order still exists"). */
  check(
    key: { pk: string; sk: string },
    condition: string,
    onConditionFailed: ConditionFailure,
    values?: Record<string, unknown>,
    names?: Record<string, string>,
  ): this {
    return this.add(
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: key,
          ...conditionOf(condition, values, names),
          ConditionExpression: condition,
        },
      },
      onConditionFailed,
    );
  }

  private add(item: TransactItem, onConditionFailed: ConditionFailure): this {
    this.items.push({ item, onConditionFailed });
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
          throw new TransactionConflictError();
        }
      }
      throw error;
    }
  }
}

/** DynamoDB refuses empty attribute maps, so they are left out. */
function conditionOf(
  condition: string | undefined,
  values: Record<string, unknown> | undefined,
  names?: Record<string, string>,
) {
  return {
    ...(condition ? { ConditionExpression: condition } : {}),
    ...(values && Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    ...(names && Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
  };
}
