import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { Transaction } from '../../functions/adapters/dynamodb/transaction';
import { ConflictError, NotFoundError } from '../../functions/domain/shared/errors';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(documentClient);

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

beforeEach(() => dynamo.reset());

describe('Transaction', () => {
  it('turns a failed condition into the error registered for that item', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled(['None', 'ConditionalCheckFailed']));
    const tx = new Transaction(documentClient, 't')
      .put({ pk: 'a', sk: 'a' }, 'attribute_not_exists(pk)', () => new ConflictError('first'))
      .put({ pk: 'b', sk: 'b' }, 'attribute_not_exists(pk)', () => new NotFoundError('Thing', 'b'));
    await expect(tx.commit()).rejects.toBeInstanceOf(NotFoundError);
  });

  it('turns a transaction conflict into a retryable 409', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled(['TransactionConflict', 'None']));
    const tx = new Transaction(documentClient, 't')
      .put({ pk: 'a', sk: 'a' }, undefined, () => new Error('unused'))
      .put({ pk: 'b', sk: 'b' }, undefined, () => new Error('unused'));
    await expect(tx.commit()).rejects.toThrow(/try again/);
  });

  it('passes other failures through untouched', async () => {
    dynamo.on(TransactWriteCommand).rejects(new Error('throttled'));
    const tx = new Transaction(documentClient, 't').put(
      { pk: 'a', sk: 'a' },
      undefined,
      () => new Error('unused'),
    );
    await expect(tx.commit()).rejects.toThrow('throttled');
  });

  it('refuses more than 100 items before calling DynamoDB', async () => {
    const tx = new Transaction(documentClient, 't');
    for (let i = 0; i < 101; i++) tx.put({ pk: `${i}`, sk: 's' }, undefined, () => new Error('unused'));
    await expect(tx.commit()).rejects.toThrow(/at most 100/);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
