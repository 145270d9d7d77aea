import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoWorkOrderRepository } from '../../functions/adapters/dynamodb/repositories/work-orders';
import { systemClock } from '../../functions/shared/clock';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(documentClient);
const repository = new DynamoWorkOrderRepository({ client: documentClient, tableName: 't' }, systemClock);
const item = (id: string) => ({
  pk: `TENANT#a#WO#${id}`,
  sk: 'WO',
  id,
  tenantId: 'a',
  number: `WO-2026-${id}`,
});

beforeEach(() => dynamo.reset());

describe('work-order repository, many at once', () => {
  it('asks again for the keys BatchGetItem left unprocessed, and returns each found order once', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { t: [item('1')] },
        UnprocessedKeys: { t: { Keys: [{ pk: 'TENANT#a#WO#2', sk: 'WO' }] } },
      })
      .resolvesOnce({ Responses: { t: [item('2')] } });

    const found = await repository.getMany('a', ['1', '2', '3']);

    expect([...found.keys()].sort()).toEqual(['1', '2']);
    expect(found.get('2')).not.toHaveProperty('pk');
    const calls = dynamo.commandCalls(BatchGetCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input.RequestItems?.t?.Keys).toEqual([{ pk: 'TENANT#a#WO#2', sk: 'WO' }]);
  });

  it('reads 250 ids in three calls of at most 100 keys', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { t: [] } });
    await repository.getMany(
      'a',
      Array.from({ length: 250 }, (_, i) => String(i)),
    );
    expect(
      dynamo.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.t?.Keys?.length),
    ).toEqual([100, 100, 50]);
  });
});
