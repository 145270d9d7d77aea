import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface TableContext {
  client: DynamoDBDocumentClient;
  tableName: string;
}

/**
 * The document client. With an endpoint it talks to DynamoDB Local; in AWS
 * there is none and the SDK uses the regional endpoint.
 */
export function createDocumentClient(endpoint?: string, region?: string): DynamoDBDocumentClient {
  const base = new DynamoDBClient(
    endpoint
      ? {
          endpoint,
          region: region ?? 'local',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {},
  );
  return DynamoDBDocumentClient.from(base, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
