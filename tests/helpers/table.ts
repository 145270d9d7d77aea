import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient, type TableContext } from '../../functions/adapters/dynamodb/client';
import { ensureTable, localClient } from '../../local/dynamodb/launcher';

/**
 * A fresh table for one test file on the run's DynamoDB Local, and the
 * environment a deployed handler would see (TABLE_NAME, endpoint).
 */
export async function freshTable(
  prefix = 'test',
): Promise<TableContext & { endpoint: string; drop(): Promise<void> }> {
  const endpoint = inject('dynamoDbEndpoint');
  const tableName = `${prefix}-${randomUUID()}`;
  await ensureTable(endpoint, tableName);
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  const client = createDocumentClient(endpoint);
  return {
    client,
    tableName,
    endpoint,
    drop: async () => {
      const admin = localClient(endpoint);
      await admin.send(new DeleteTableCommand({ TableName: tableName })).finally(() => admin.destroy());
      client.destroy();
    },
  };
}
