import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Everything the local runtime keeps lives under one ignored folder. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const STATE_DIR = process.env.LOCAL_STATE_DIR ?? join(ROOT, '.local');

export const LOCAL_DEFAULTS = {
  apiPort: Number(process.env.PORT ?? 3000),
  dynamoDbPort: Number(process.env.DYNAMODB_PORT ?? 8000),
  smtpPort: Number(process.env.SMTP_PORT ?? 2525),
  tableName: process.env.TABLE_NAME ?? 'fieldservice-local',
  region: 'local',
};
