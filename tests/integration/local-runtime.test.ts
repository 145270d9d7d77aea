import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client';
import { compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import { devSecret, signDevToken } from '../../local/auth/dev-jwt';
import { freePort } from '../../local/dynamodb/launcher';
import { pollUntil } from '../../local/poll';

const stateDir = mkdtempSync(join(tmpdir(), 'fs-local-'));
/** `npm start -- --now`: one clock for the domain and the scheduler, started in another year. */
const NOW = '2031-05-04T08:00:00.000Z';
let child: ChildProcess;
let output = '';
let apiUrl: string;
let dynamoEndpoint: string;
const TABLE = 'fieldservice-local';

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  const [apiPort, dynamoPort] = [await freePort(), await freePort()];
  apiUrl = `http://127.0.0.1:${apiPort}`;
  dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;
  child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--now', NOW], {
    env: {
      ...process.env,
      PORT: String(apiPort),
      DYNAMODB_PORT: String(dynamoPort),
      LOCAL_STATE_DIR: stateDir,
      TABLE_NAME: TABLE,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await pollUntil(() => output.includes('Ctrl-C stops everything'), {
    timeoutMs: 90_000,
    what: 'npm start to be ready',
  });
}, 120_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGINT');
  rmSync(stateDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('prints where everything listens and how to get a token', () => {
    expect(output).toContain(apiUrl);
    expect(output).toContain('npm run token');
    expect(output).toMatch(/Clock\s+2031-05-04T08:0/);
  });

  it('serves the API with dev tokens and publishes the outbox to the local bus', async () => {
    const client = createDocumentClient(dynamoEndpoint);
    await compose(basePorts({ client, tableName: TABLE }))
      .masterData.tenants.create({
        id: 'smoke',
        name: 'Smoke',
        admin: { id: 'admin', name: 'Admin', email: 'admin@smoke.example' },
      })
      .finally(() => client.destroy());
    const token = signDevToken(
      { tenantId: 'smoke', userId: 'u1', roles: ['crm-admin'] },
      devSecret(stateDir),
    );
    const health = await fetch(`${apiUrl}/health`);
    const anonymous = await fetch(`${apiUrl}/accounts`);
    const created = await fetch(`${apiUrl}/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Smoke Test AG' }),
    });
    const account = (await created.json()) as { id: string; createdAt: string };
    // The domain reads the moved clock too, not the wall clock.
    expect(account.createdAt.slice(0, 13)).toBe(NOW.slice(0, 13));
    const read = await fetch(`${apiUrl}/accounts/${account.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });

    expect(health.status).toBe(200);
    expect(anonymous.status).toBe(401);
    expect(created.status).toBe(201);
    expect(((await read.json()) as { name: string }).name).toBe('Smoke Test AG');

    const eventsFile = join(stateDir, 'events.ndjson');
    const published = await pollUntil(
      () =>
        existsSync(eventsFile) &&
        readFileSync(eventsFile, 'utf8').includes(account.id) &&
        readFileSync(eventsFile, 'utf8'),
      { timeoutMs: 15_000, what: 'the AccountCreated event on the local bus' },
    );
    expect(JSON.parse(published.trim().split('\n').at(-1) ?? '{}')).toMatchObject({
      type: 'AccountCreated',
      tenantId: 'smoke',
    });
  });

  it('stops everything on Ctrl-C, DynamoDB Local included', async () => {
    const pid = Number(/\(pid (\d+)\)/.exec(output)?.[1]);
    expect(isRunning(pid)).toBe(true);
    child.kill('SIGINT');
    await pollUntil(() => child.exitCode !== null, { timeoutMs: 20_000, what: 'npm start to exit' });
    await pollUntil(() => !isRunning(pid), { timeoutMs: 10_000, what: 'the JVM to exit' });
    expect(child.exitCode).toBe(0);
  });
});
