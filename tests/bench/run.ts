import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client';
import { compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import { API_FUNCTIONS } from '../../functions/handlers/api/api-functions';
import { EVENT_FUNCTIONS } from '../../functions/handlers/event-functions';
import { startApiServer } from '../../local/api-server';
import { signDevToken } from '../../local/auth/dev-jwt';
import { ensureTable, startDynamoDbLocal } from '../../local/dynamodb/launcher';
import { ROOT } from '../../local/paths';
import { callAs } from './api-call';
import { type BundleFigure, gitRevision, measureBundles } from './bundles';
import { consumptionBench } from './consumption';
import { meter } from './dynamodb-meter';
import { mailBench } from './mail';
import { plansBench } from './plans';
import { workOrderBench } from './work-orders';

/**
 * `npm run bench`: the figures the issues ask for, measured in one run so the
 * ratios share the machine's load. Bundles: size and cold import of every
 * Lambda next to a floor bundle that only creates the DynamoDB document client.
 * API: DynamoDB round trips and consumed capacity of every operation.
 */
/** `npm run bench -- mail` runs one section (bundles, api, work-orders, mail, consumption, plans); no argument runs them all. */
const sections = new Set(process.argv.slice(2));
const wanted = (section: string) => sections.size === 0 || sections.has(section);

async function main() {
  console.log(`# Bench ${new Date().toISOString()} at ${gitRevision()}, node ${process.version}\n`);
  if (wanted('bundles')) await bundles();
  if (wanted('api') || wanted('work-orders') || wanted('mail') || wanted('consumption') || wanted('plans'))
    await apiOperations();
}

async function bundles() {
  const entries: Record<string, string> = {
    floor: join(ROOT, 'tests/bench/floor-handler.ts'),
    ...Object.fromEntries(
      Object.entries(API_FUNCTIONS).map(([name, fn]) => [`api-${name}`, join(ROOT, fn.entry)]),
    ),
    ...Object.fromEntries(Object.entries(EVENT_FUNCTIONS).map(([name, fn]) => [name, join(ROOT, fn.entry)])),
  };
  const figures = await measureBundles(entries);
  const floor = figures.find((f) => f.name === 'floor') as BundleFigure;
  console.log('## Lambda bundles (esbuild, as deployed; cold import = median of 15 fresh node processes)\n');
  console.log('| bundle | size KB | size / floor | cold import ms | import / floor |');
  console.log('|---|---:|---:|---:|---:|');
  for (const f of figures) {
    console.log(
      `| ${f.name} | ${(f.bytes / 1024).toFixed(0)} | ${(f.bytes / floor.bytes).toFixed(2)} | ${f.importMs.toFixed(0)} | ${(f.importMs / floor.importMs).toFixed(2)} |`,
    );
  }
  const worst = figures.filter((f) => f.name !== 'floor');
  const maxSize = Math.max(...worst.map((f) => f.bytes / floor.bytes));
  const maxImport = Math.max(...worst.map((f) => f.importMs / floor.importMs));
  console.log(
    `\nWorst handler: ${maxSize.toFixed(2)}x the floor's size, ${maxImport.toFixed(2)}x its cold import (goal ≤ 1.5x).\n`,
  );
}

async function apiOperations() {
  const dynamo = await startDynamoDbLocal();
  try {
    const tableName = 'bench';
    await ensureTable(dynamo.endpoint, tableName);
    Object.assign(process.env, {
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      AWS_REGION: 'local',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      LOG_LEVEL: 'error',
      // Business metrics would print an EMF line per invocation between the tables.
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    // The handlers are built from this application, so the meter sees their calls.
    const app = compose(basePorts({ client: createDocumentClient(dynamo.endpoint), tableName }));
    const svc = app.masterData;
    await svc.tenants.create({
      id: 'bench',
      name: 'Bench',
      admin: { id: 'u-admin', name: 'Admin', email: 'admin@bench.example' },
    });
    const secret = randomBytes(32);
    const { url, server } = await startApiServer({ app, port: 0, secret });
    const token = signDevToken({ tenantId: 'bench', userId: 'u-admin', roles: ['crm-admin'] }, secret);
    const call = async (
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status} ${text}`);
      return (text ? JSON.parse(text) : {}) as Record<string, string & number>;
    };

    const m = meter(app.ports.table.client);
    if (wanted('api')) await apiTable(call, m);
    if (wanted('work-orders'))
      for (const row of await workOrderBench(app, m, callAs(url, secret))) console.log(row);
    if (wanted('mail')) for (const row of await mailBench(app.ports.table, m)) console.log(row);
    // Its own application and client: the state machine's ports, and a meter that tells the steps apart.
    if (wanted('consumption')) for (const row of await consumptionBench(dynamo, tableName)) console.log(row);
    if (wanted('plans')) for (const row of await plansBench(dynamo, tableName)) console.log(row);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  } finally {
    await dynamo.stop();
  }
}

/** Round trips and capacity of the master-data operations. */
async function apiTable(
  call: (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<Record<string, string & number>>,
  m: ReturnType<typeof meter>,
) {
  const rows: string[] = [];
  const measure = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    m.reset();
    const result = await run();
    const r = m.read();
    rows.push(
      `| ${operation} | ${r.roundTrips} | ${r.readUnits.toFixed(1)} | ${r.writeUnits.toFixed(1)} | ${r.commands.join(', ')} |`,
    );
    return result;
  };
  for (let i = 0; i < 30; i++) await call('POST', '/accounts', { name: `Account ${i}` });
  const account = await measure('POST /accounts', () => call('POST', '/accounts', { name: 'Bench GmbH' }));
  await measure('POST /accounts (Idempotency-Key, first)', () =>
    call('POST', '/accounts', { name: 'Keyed' }, { 'idempotency-key': 'k-1' }),
  );
  await measure('POST /accounts (Idempotency-Key, replay)', () =>
    call('POST', '/accounts', { name: 'Keyed' }, { 'idempotency-key': 'k-1' }),
  );
  await measure('GET /accounts/{id}', () => call('GET', `/accounts/${account.id}`));
  await measure('GET /accounts?limit=25', () => call('GET', '/accounts?limit=25'));
  await measure('PATCH /accounts/{id}', () =>
    call('PATCH', `/accounts/${account.id}`, { notes: 'Key account', version: 1 }),
  );
  const contact = await measure('POST /contacts (with account)', () =>
    call('POST', '/contacts', { lastName: 'Meier', email: 'meier@bench.example', accountId: account.id }),
  );
  await measure('GET /accounts/{id}/contacts', () => call('GET', `/accounts/${account.id}/contacts`));
  await measure('POST /devices (serial + QR unique)', () =>
    call('POST', '/devices', {
      name: 'Boiler',
      serialNumber: 'SN-1',
      qrCode: 'QR-1',
      accountId: account.id,
    }),
  );
  await measure('GET /devices/lookup?qrCode', () => call('GET', '/devices/lookup?qrCode=QR-1'));
  await call('DELETE', `/contacts/${contact.id}?version=1`);
  const boss = await call('POST', '/users', {
    name: 'Boss',
    email: 'boss@bench.example',
    roles: ['service-manager'],
  });
  const lead = await call('POST', '/users', {
    name: 'Lead',
    email: 'lead@bench.example',
    roles: ['service-staff'],
    superiorId: boss.id,
  });
  const tech = await measure('POST /users (superior 2 levels up)', () =>
    call('POST', '/users', {
      name: 'Tech',
      email: 'tech@bench.example',
      roles: ['service-staff'],
      superiorId: lead.id,
    }),
  );
  await measure('PATCH /users/{id} (email change)', () =>
    call('PATCH', `/users/${tech.id}`, { email: 'tech2@bench.example', version: 1 }),
  );
  await measure('GET /users/{id}/subordinates', () => call('GET', `/users/${boss.id}/subordinates`));
  const group = await call('POST', '/user-groups', { name: 'Dispatch' });
  await measure('POST /user-groups/{id}/members (add 3)', () =>
    call('POST', `/user-groups/${group.id}/members`, { add: [boss.id, lead.id, tech.id], version: 1 }),
  );
  await measure('GET /tenant', () => call('GET', '/tenant'));
  await measure('PATCH /tenant', () =>
    call('PATCH', '/tenant', { settings: { customerLookup: 'exact' }, version: 1 }),
  );
  const device = await call('GET', '/devices/lookup?serialNumber=SN-1');
  await measure('DELETE /devices/{id} (frees 2 unique values)', () =>
    call('DELETE', `/devices/${device.id}?version=1`),
  );

  console.log('## API operations on DynamoDB Local (capacity as DynamoDB reports it)\n');
  console.log('| operation | round trips | RCU | WCU | calls |');
  console.log('|---|---:|---:|---:|---|');
  for (const row of rows) console.log(row);
  console.log('');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
