import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createDocumentClient, type TableContext } from '../../functions/adapters/dynamodb/client';
import { type Application, compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import type { Principal } from '../../functions/domain/access/principal';
import type { StepEvent } from '../../functions/domain/consumption/workflow';
import { startApiServer } from '../../local/api-server';
import { localConsumptionWorkflow } from '../../local/consumption';
import { MovableClock } from '../../local/scheduler/local-scheduler';
import { callAs } from './api-call';
import { addCapacity, type Capacity } from './dynamodb-meter';
import { transactionsPerSecond } from './transaction-ceiling';

const TENANT = 'bench-cb';
/** Confirmations in flight at once, and how many each of them runs one after the other. */
const CONCURRENT = 20;
const ROUNDS = 2;
const ALONE = 5;
const TIMEOUT_MS = 60_000;

interface Tally {
  roundTrips: number;
  readUnits: number;
  writeUnits: number;
  commands: string[];
  /** Items of the TransactWriteItems calls: AWS charges 2 WCU per KB of each, DynamoDB Local does not sum them. */
  transactItems: number;
  /** Calls DynamoDB refused (not counted in round trips or capacity): by error and cancellation reason. */
  failed: string[];
}

const empty = (): Tally => ({
  roundTrips: 0,
  readUnits: 0,
  writeUnits: 0,
  commands: [],
  transactItems: 0,
  failed: [],
});

/** Where a DynamoDB call was made: in which step of which confirmation; outside any step it is the API's. */
interface Scope {
  confirmationId: string;
  step: string;
}

/**
 * Round trips and consumed capacity as tests/bench/dynamodb-meter.ts counts
 * them (ReturnConsumedCapacity TOTAL on every request), kept apart by the
 * step that made the call, so confirmations running at the same time are
 * measured each on its own. Refused calls are kept too: a redeem that lost
 * a race shows as a refused TransactWriteItems of that step.
 */
function scopedMeter(table: TableContext, scopes: AsyncLocalStorage<Scope>) {
  const tallies = new Map<string, Tally>();
  const tallyOf = (key: string) => {
    const tally = tallies.get(key) ?? empty();
    tallies.set(key, tally);
    return tally;
  };
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      const scope = scopes.getStore();
      const tally = tallyOf(scope ? `${scope.confirmationId} ${scope.step}` : 'api');
      const command = String(context.commandName).replace(/Command$/, '');
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } catch (error) {
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
        const codes = [...new Set(reasons.map((r) => r.Code).filter((code) => code && code !== 'None'))];
        tally.failed.push(
          `${command}: ${(error as Error).name}${codes.length ? ` (${codes.join(', ')})` : ''}`,
        );
        throw error;
      }
      tally.roundTrips += 1;
      tally.commands.push(command);
      tally.transactItems += (args.input as { TransactItems?: unknown[] }).TransactItems?.length ?? 0;
      const output = result.output as { ConsumedCapacity?: Capacity | Capacity[] };
      addCapacity(tally, output.ConsumedCapacity, command);
      return result;
    },
    { step: 'initialize', name: 'benchScopedMeter' },
  );
  return {
    /** The tally of `key` since the last take, emptied. */
    take(key: string): Tally {
      const tally = tallies.get(key) ?? empty();
      tallies.delete(key);
      return tally;
    },
    keys: () => [...tallies.keys()],
  };
}

/** Polls `ready` (in memory, no DynamoDB call) until it holds; after `timeoutMs`, fails with `why()`. */
async function until(ready: () => boolean, why: () => string, timeoutMs = TIMEOUT_MS): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!ready()) {
    if (performance.now() > deadline) throw new Error(`Timed out: ${why()}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const percentile = (sorted: number[], q: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);

function summarise(commands: string[]): string {
  const counts = new Map<string, number>();
  for (const command of commands) counts.set(command, (counts.get(command) ?? 0) + 1);
  return [...counts].map(([command, n]) => (n > 1 ? `${command} ×${n}` : command)).join(', ');
}

const add = (into: Tally, from: Tally) => {
  into.roundTrips += from.roundTrips;
  into.readUnits += from.readUnits;
  into.writeUnits += from.writeUnits;
  into.commands.push(...from.commands);
  into.transactItems += from.transactItems;
  into.failed.push(...from.failed);
};

/**
 * Consumption then billing on DynamoDB Local, through the API on a loopback
 * port and the deployed ASL on the local interpreter (its own retry
 * back-off): per confirmation, the round trips and capacity of the API calls
 * and of each step, warranty and billed; then confirmations per second with
 * many at once: billed on distinct accounts, warranty on a line each, on one
 * counted line, and on one line with units for only half of them.
 */
export async function consumptionBench(
  dynamo: { endpoint: string; pid: number },
  tableName: string,
): Promise<string[]> {
  const table: TableContext = { client: createDocumentClient(dynamo.endpoint), tableName };
  const clock = new MovableClock();
  clock.moveTo(new Date('2031-03-10T09:00:00Z'));
  const scopes = new AsyncLocalStorage<Scope>();
  /** Each confirmation's status as its last step left it, and how often each step ran and failed. */
  const status = new Map<string, string>();
  const stepRuns = new Map<string, number>();
  const stepFailures = new Map<string, number>();
  let app: Application | undefined;
  const workflow = localConsumptionWorkflow({ app: () => app as Application, clock });
  app = compose(
    basePorts(table, {
      clock,
      workflow: workflow.workflow,
      approvals: workflow.approvals,
      // Activating an agreement schedules its expiry: nothing here waits that long.
      agreementExpiry: { schedule: async () => undefined },
    }),
  );
  const steps = app.consumption.steps;
  const run = steps.run.bind(steps);
  steps.run = (event: StepEvent) =>
    scopes.run({ confirmationId: event.confirmationId, step: event.step }, async () => {
      stepRuns.set(event.step, (stepRuns.get(event.step) ?? 0) + 1);
      try {
        const result = await run(event);
        status.set(event.confirmationId, result.status);
        return result;
      } catch (error) {
        stepFailures.set(event.step, (stepFailures.get(event.step) ?? 0) + 1);
        throw error;
      }
    });
  const m = scopedMeter(table, scopes);

  const secret = randomBytes(32);
  const { url, server } = await startApiServer({ app, port: 0, secret });
  try {
    const principal = (userId: string, ...roles: Principal['roles']): Principal => ({
      tenantId: TENANT,
      userId,
      roles,
    });
    const admin = principal('admin', 'crm-admin');
    const tech = principal('tech', 'service-staff');
    const manager = principal('manager', 'service-manager', 'service-staff');
    const call = callAs(url, secret);

    // The scene of the integration test: a tenant, a manager and a technician, products, accounts,
    // an active partial agreement whose counted line covers the warranty work.
    await app.masterData.tenants.create({
      id: TENANT,
      name: 'Bench consumption',
      admin: { id: 'admin', name: 'Admin', email: 'admin@cb.bench' },
    });
    await app.masterData.users.create(admin, {
      id: 'manager',
      name: 'Mia Manager',
      email: 'mia@cb.bench',
      roles: ['service-manager', 'service-staff'],
    });
    await app.masterData.users.create(admin, {
      id: 'tech',
      name: 'Tom Tech',
      email: 'tom@cb.bench',
      roles: ['service-staff'],
      superiorId: 'manager',
    });
    const product = async (code: string, body: Record<string, unknown>) =>
      (await call(admin, 'POST', '/products', { code, price: { amount: 8000, currency: 'EUR' }, ...body }))
        .id;
    const repair = await product('REP', {
      name: 'Repair visit',
      kind: 'service',
      serviceType: 'non-recurring',
    });
    const filter = await product('FLT', {
      name: 'Filter',
      kind: 'spare-part',
      price: { amount: 1250, currency: 'EUR' },
    });
    const account = async (name: string) => (await call(admin, 'POST', '/accounts', { name })).id;
    /** An account with an active partial agreement whose line 1 counts `quantity` repair visits. */
    const coveredAccount = async (name: string, quantity: number) => {
      const accountId = await account(name);
      const created = await call(admin, 'POST', '/service-agreements', {
        name: `${name} care`,
        subject: 'account',
        accountId,
        startDate: '2031-01-01',
        endDate: '2031-12-31',
        coverage: 'partial',
        lines: [{ productId: repair, quantity }],
      });
      await call(admin, 'POST', `/service-agreements/${created.id}/activate`, { version: 1 });
      return { accountId, agreementId: created.id };
    };
    const contendedRuns = CONCURRENT * ROUNDS;
    // One unit for the warranty confirmation measured alone, one for each contended one: all covered, none left.
    const lineQuantity = 1 + contendedRuns;
    const covered = await coveredAccount('Covered Ltd', lineQuantity);
    // A second account whose line has units for only half of those confirming at once against it.
    const short = await coveredAccount('Short Ltd', CONCURRENT / 2);
    const workOrderWith = async (
      accountId: string,
      products: { productId: string; quantityUsed: number; quantityToBill?: number }[],
    ) => {
      const created = await call(admin, 'POST', '/work-orders', {
        title: 'Boiler repair',
        accountId,
        ownerId: 'tech',
      });
      for (const p of products) await call(tech, 'POST', `/work-orders/${created.id}/service-products`, p);
      return created.id;
    };
    const warrantyWork = [{ productId: repair, quantityUsed: 1 }];
    const billedWork = [
      { productId: repair, quantityUsed: 2 },
      { productId: filter, quantityUsed: 3, quantityToBill: 2 },
    ];
    const uncovered = async (n: number) =>
      Promise.all(
        Array.from({ length: n }, async (_, i) => workOrderWith(await account(`Walk-in ${i}`), billedWork)),
      );
    const single = {
      warranty: await workOrderWith(covered.accountId, warrantyWork),
      billed: (await uncovered(1))[0],
    };
    const alone = await uncovered(ALONE);
    const distinct = await uncovered(contendedRuns);
    const contended = await Promise.all(
      Array.from({ length: contendedRuns }, () => workOrderWith(covered.accountId, warrantyWork)),
    );
    const runningShort = await Promise.all(
      Array.from({ length: CONCURRENT }, () => workOrderWith(short.accountId, warrantyWork)),
    );
    // The same warranty work, each on a line of its own: what one counted line costs is the difference.
    const ownLines = await Promise.all(
      Array.from({ length: contendedRuns }, async (_, i) =>
        workOrderWith((await coveredAccount(`Own line ${i}`, 1)).accountId, warrantyWork),
      ),
    );

    const why = (id: string) => `confirmation ${id} is ${status.get(id) ?? 'not yet validated'}`;
    /** One confirmation as a client runs it; the API's own calls measured apart when `measured`. */
    const confirm = async (workOrderId: string, measured = false) => {
      const began = performance.now();
      if (measured) m.take('api');
      const started = await call(tech, 'POST', `/work-orders/${workOrderId}/consumption-confirmations`, {});
      const start = measured ? m.take('api') : undefined;
      await until(
        () => status.get(started.id) === 'awaiting-approval',
        () => why(started.id),
      );
      const waited = performance.now();
      if (measured) m.take('api');
      await call(manager, 'POST', `/consumption-confirmations/${started.id}/approve`, {});
      const approve = measured ? m.take('api') : undefined;
      await until(
        () => status.get(started.id) === 'confirmed',
        () => why(started.id),
      );
      const ended = performance.now();
      return {
        id: started.id,
        seconds: (ended - began) / 1000,
        toAwaiting: (waited - began) / 1000,
        start,
        approve,
      };
    };
    const stepNames = [
      'validate',
      'redeem',
      'await-approval',
      'apply-billing-rules',
      'create-order',
    ] as const;

    // The local gateway checks once per tenant that it exists; the first request keeps that out of the figures.
    await call(manager, 'GET', '/tenant');
    m.take('api');

    const rows: string[] = [
      '## Consumption then billing on DynamoDB Local (API on loopback, the ASL on the local interpreter)\n',
      'Per confirmation, alone, from start to confirmed (approve included); capacity as DynamoDB Local reports it.\n',
      '| confirmation | call | round trips | RCU | WCU | items in transactions | calls |',
      '|---|---|---:|---:|---:|---:|---|',
    ];
    const cells = (t: Tally) =>
      `${t.roundTrips} | ${t.readUnits.toFixed(1)} | ${t.writeUnits.toFixed(1)} | ${t.transactItems}`;
    for (const [label, workOrderId] of [
      ['(a) warranty, 1 unit on a counted line', single.warranty],
      ['(b) non-warranty, billed (2 lines, an order)', single.billed],
    ] as const) {
      const done = await confirm(workOrderId as string, true);
      const total = empty();
      const line = (name: string, t: Tally) => {
        add(total, t);
        const refused = t.failed.length ? `; refused: ${t.failed.join(', ')}` : '';
        rows.push(`| ${label} | ${name} | ${cells(t)} | ${summarise(t.commands)}${refused} |`);
      };
      line('POST …/consumption-confirmations (API)', done.start as Tally);
      for (const step of stepNames.slice(0, 3)) line(`step ${step}`, m.take(`${done.id} ${step}`));
      line('POST …/approve (API)', done.approve as Tally);
      for (const step of stepNames.slice(3)) line(`step ${step}`, m.take(`${done.id} ${step}`));
      rows.push(
        `| ${label} | **total**, ${done.seconds.toFixed(3)} s | ${cells(total)} | ${summarise(total.commands)} |`,
      );
      if (workOrderId === single.billed) {
        m.take('api');
        await call(manager, 'GET', `/consumption-confirmations/${done.id}`);
        const get = m.take('api');
        rows.push(
          `| (a polling client) | GET /consumption-confirmations/{id} | ${cells(get)} | ${summarise(get.commands)} |`,
        );
      }
    }
    rows.push(
      '',
      'DynamoDB Local reports one figure per TransactWriteItems that does not grow with its items (2 items and 9 items ' +
        'both report 10 WCU here; it follows the largest item); AWS charges 2 WCU per KB of every item, so there the ' +
        'transactions cost at least 2 × the items column.\n',
    );

    interface Run {
      label: string;
      count: number;
      seconds: number;
      latencies: number[];
      awaiting: number[];
      total: Tally;
      runs: Map<string, number>;
      failures: Map<string, number>;
      /** CPU seconds per second: this process (API, interpreter, steps, clients) and DynamoDB Local's JVM. */
      cpuShare: { bench: number; dynamo: number };
    }
    const scenario = async (label: string, workOrders: string[], concurrency: number): Promise<Run> => {
      stepRuns.clear();
      stepFailures.clear();
      for (const key of m.keys()) m.take(key);
      const queue = [...workOrders];
      const latencies: number[] = [];
      const awaiting: number[] = [];
      const began = performance.now();
      const cpu = { bench: process.cpuUsage(), dynamo: cpuSecondsOf(dynamo.pid) };
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let next = queue.shift(); next; next = queue.shift()) {
            const done = await confirm(next);
            latencies.push(done.seconds);
            awaiting.push(done.toAwaiting);
          }
        }),
      );
      const seconds = (performance.now() - began) / 1000;
      const benchCpu = process.cpuUsage(cpu.bench);
      const cpuShare = {
        bench: (benchCpu.user + benchCpu.system) / 1e6 / seconds,
        dynamo: (cpuSecondsOf(dynamo.pid) - cpu.dynamo) / seconds,
      };
      const total = empty();
      for (const key of m.keys()) add(total, m.take(key));
      return {
        label,
        cpuShare,
        count: workOrders.length,
        seconds,
        latencies: latencies.sort((a, b) => a - b),
        awaiting: awaiting.sort((a, b) => a - b),
        total,
        runs: new Map(stepRuns),
        failures: new Map(stepFailures),
      };
    };
    /** Two runs as one: their confirmations, time and calls together. */
    const merged = (a: Run, b: Run): Run => {
      const total = empty();
      add(total, a.total);
      add(total, b.total);
      const counts = (x: Map<string, number>, y: Map<string, number>) => {
        const sum = new Map(x);
        for (const [key, n] of y) sum.set(key, (sum.get(key) ?? 0) + n);
        return sum;
      };
      const seconds = a.seconds + b.seconds;
      return {
        label: a.label,
        count: a.count + b.count,
        seconds,
        latencies: [...a.latencies, ...b.latencies].sort((x, y) => x - y),
        awaiting: [...a.awaiting, ...b.awaiting].sort((x, y) => x - y),
        total,
        runs: counts(a.runs, b.runs),
        failures: counts(a.failures, b.failures),
        cpuShare: {
          bench: (a.cpuShare.bench * a.seconds + b.cpuShare.bench * b.seconds) / seconds,
          dynamo: (a.cpuShare.dynamo * a.seconds + b.cpuShare.dynamo * b.seconds) / seconds,
        },
      };
    };
    const aloneRun = await scenario(`non-warranty billed, one at a time (${ALONE})`, alone, 1);
    const distinctRun = await scenario(
      `non-warranty billed, ${CONCURRENT} at once, distinct accounts`,
      distinct,
      CONCURRENT,
    );
    // A later run is faster on a warmer DynamoDB Local: the two warranty runs go in halves, A B B A.
    const ownLinesLabel = `warranty, ${CONCURRENT} at once, each on its own counted line`;
    const contendedLabel = `warranty, ${CONCURRENT} at once, ONE counted line`;
    const half = (list: string[], second: boolean) =>
      second ? list.slice(list.length / 2) : list.slice(0, list.length / 2);
    const ownFirst = await scenario(ownLinesLabel, half(ownLines, false), CONCURRENT);
    const contendedFirst = await scenario(contendedLabel, half(contended, false), CONCURRENT);
    const contendedSecond = await scenario(contendedLabel, half(contended, true), CONCURRENT);
    const ownSecond = await scenario(ownLinesLabel, half(ownLines, true), CONCURRENT);
    const runs = [
      aloneRun,
      distinctRun,
      merged(ownFirst, ownSecond),
      merged(contendedFirst, contendedSecond),
      await scenario(
        `warranty, ${CONCURRENT} at once, ONE counted line with ${CONCURRENT / 2} units`,
        runningShort,
        CONCURRENT,
      ),
    ];
    // DynamoDB Local runs transactions one at a time: its own rate in this run bounds every row.
    const ceiling = await transactionsPerSecond(table, 2, { writers: CONCURRENT });
    rows.push(
      `Confirmations end to end (start → awaiting-approval → approve → confirmed), ${CONCURRENT} clients at once, each ` +
        'running its next confirmation when one is confirmed; a client sees a status change once the step that ' +
        'made it has returned (watched in process: no polling GETs load DynamoDB Local).\n',
      '| run | confirmations | confirmations/s | p50 s | p99 s | max s | p50 s to awaiting-approval | round trips / confirmation | transactions / s | CPU: bench process / DynamoDB Local | redeem runs | refused calls | step failures (ASL retries) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
    );
    const rate = (r: Run) => r.count / r.seconds;
    const transactions = (r: Run) => r.total.commands.filter((c) => c === 'TransactWriteItems').length;
    for (const r of runs) {
      const failures = [...r.failures].map(([step, n]) => `${step} ×${n}`).join(', ');
      rows.push(
        `| ${r.label} | ${r.count} | ${rate(r).toFixed(1)} | ${percentile(r.latencies, 0.5).toFixed(3)} | ${percentile(r.latencies, 0.99).toFixed(3)} | ${(r.latencies.at(-1) ?? 0).toFixed(3)} | ${percentile(r.awaiting, 0.5).toFixed(3)} | ${(r.total.roundTrips / r.count).toFixed(1)} | ${(transactions(r) / r.seconds).toFixed(0)} | ${(r.cpuShare.bench * 100).toFixed(0)} % / ${(r.cpuShare.dynamo * 100).toFixed(0)} % | ${r.runs.get('redeem') ?? 0} | ${countBy(r.total.failed) || 'none'} | ${failures || 'none'} |`,
      );
    }
    const ledgerOf = async (agreementId: string) =>
      (await call(admin, 'GET', `/service-agreements/${agreementId}/lines/1/ledger`)) as unknown as {
        quantity: number;
        redeemed: number;
        released: number;
        remaining: number;
      };
    const line = (l: Awaited<ReturnType<typeof ledgerOf>>) =>
      `quantity ${l.quantity}, redeemed ${l.redeemed}, released ${l.released}, remaining ${l.remaining}`;
    const [one, , ownLinesRun, contendedRun] = runs as [Run, Run, Run, Run, Run];
    rows.push(
      '',
      `The counted lines after the run: ${line(await ledgerOf(covered.agreementId))} (expected ${lineQuantity} redeemed, ` +
        `0 remaining); the short one ${line(await ledgerOf(short.agreementId))} (expected ${CONCURRENT / 2} redeemed, ` +
        `0 remaining, the other ${CONCURRENT / 2} billed). DynamoDB Local's own ceiling in this run: ` +
        `${ceiling.toFixed(0)} TransactWriteItems/s of 2 small items with ${CONCURRENT} writers; a confirmation ` +
        `commits ${transactions(one) / one.count} transactions. ${CONCURRENT} at once reached ` +
        `${(rate(distinctRun) / rate(one)).toFixed(1)}x the one-at-a-time rate on distinct accounts; warranty work on ` +
        `ONE counted line ran at ${((rate(contendedRun) / rate(ownLinesRun)) * 100).toFixed(0)} % of the rate of the ` +
        'same work on a line each (run in halves, A B B A, as a later run is faster on a warmer DynamoDB Local; the ' +
        'billed rows commit larger items and an order, so compare warranty with warranty). ' +
        `The bench process and DynamoDB Local share this machine's ${cpus().length} cores (load average ` +
        `${loadavg()[0]?.toFixed(1)} at the end). ` +
        'A refused call is a TransactWriteItems DynamoDB cancelled: a redeem that lost the line to another is priced ' +
        'again from the fresh count within the same step (up to 12 times) before the state machine would retry it.\n',
    );
    return rows;
  } finally {
    await workflow.machine.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    table.client.destroy();
  }
}

/** CPU seconds a process has used (user + system), from /proc: 0 where there is none. */
function cpuSecondsOf(pid: number): number {
  try {
    // The fields after the command's closing parenthesis: utime and stime are the 12th and 13th, in clock ticks.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function countBy(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, n]) => `${value} ×${n}`).join('; ');
}
