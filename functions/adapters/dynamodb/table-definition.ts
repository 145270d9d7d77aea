/**
 * The single table's shape, shared by the CDK stateful stack, the local runtime
 * and the integration tests, so all three create the same table.
 * Plain data only: no SDK or CDK imports.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  /** Overloaded indexes; the key builder (keys.ts) decides what goes in them. */
  globalIndexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
} as const;

/** `entityType` of outbox items: the stream filter of the outbox publisher matches on it. */
export const OUTBOX_ENTITY_TYPE = 'OutboxEvent';

/** `entityType` of a service plan's progress: the plans' schedules follow its changes on the stream. */
export const PLAN_PROGRESS_ENTITY_TYPE = 'ServicePlanProgress';

export type GlobalIndexName = (typeof TABLE.globalIndexes)[number]['name'];

/** CreateTable input for DynamoDB Local and tests (the CDK stack builds its own from TABLE). */
export function createTableInput(tableName: string) {
  const keyNames = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of TABLE.globalIndexes) {
    keyNames.add(index.partitionKey);
    keyNames.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...keyNames].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: TABLE.globalIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' as const },
  };
}
