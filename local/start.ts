import { join } from 'node:path';
import { createDocumentClient } from '../functions/adapters/dynamodb/client';
import { createOutboxPublisher } from '../functions/handlers/streams/outbox-publisher';
import { createLogger } from '../functions/shared/logger';
import { subscribeAgreementProducts, wireAgreementFunctions } from './agreements';
import { startApiServer } from './api-server';
import { devSecret } from './auth/dev-jwt';
import { LocalEventBus } from './bus/local-bus';
import { LocalStreamPoller } from './bus/stream-poller';

import { ensureTable, startDynamoDbLocal } from './dynamodb/launcher';
import { startLocalMailIntake } from './mail/inbound';
import { localApplication, nowFromArgs, subscribeWorkOrderMailer } from './mail/work-order-actions';
import { LOCAL_DEFAULTS, STATE_DIR } from './paths';
import { subscribeSceneIndexer } from './scene-indexer';
import { startPlanScheduleKeeper, wireServicePlanFunctions } from './service-plans';

/**
 * `npm start`: the whole product on this machine. DynamoDB Local (persisted
 * under .local/), the API on :3000, and the outbox publisher feeding the
 * local event bus. Ctrl-C stops everything, the JVM included.
 */
async function main() {
  // There is no CloudWatch here: the handlers' embedded-format metric lines would only crowd the log.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const logger = createLogger({ service: 'local' });
  const dynamo = await startDynamoDbLocal({
    port: LOCAL_DEFAULTS.dynamoDbPort,
    dataDir: join(STATE_DIR, 'dynamodb'),
  });
  const stops: (() => Promise<unknown>)[] = [dynamo.stop];
  const shutdown = async (code: number) => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  try {
    const tableName = LOCAL_DEFAULTS.tableName;
    await ensureTable(dynamo.endpoint, tableName);
    Object.assign(process.env, {
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      AWS_REGION: LOCAL_DEFAULTS.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });

    const eventsFile = join(STATE_DIR, 'events.ndjson');
    const bus = new LocalEventBus(eventsFile);
    bus.subscribe({}, (event) =>
      logger.info('event', {
        type: event.type,
        source: event.source,
        tenantId: event.tenantId,
        id: event.id,
      }),
    );
    const poller = new LocalStreamPoller(dynamo.endpoint, tableName, createOutboxPublisher(bus, logger), {
      startAt: 'LATEST',
      onError: (error) => logger.error('stream poll failed', { error }),
    });
    await poller.start();
    stops.push(() => poller.stop());

    const table = { client: createDocumentClient(dynamo.endpoint), tableName };
    const apiUrl = `http://127.0.0.1:${LOCAL_DEFAULTS.apiPort}`;
    const local = localApplication({
      table,
      stateDir: STATE_DIR,
      logger,
      now: nowFromArgs(),
      apiUrl: () => apiUrl,
    });
    subscribeWorkOrderMailer(bus, local.app, logger);
    wireAgreementFunctions(bus, local.scheduler, local.app, logger);
    subscribeAgreementProducts(bus, local.app, logger);
    wireServicePlanFunctions(bus, local.scheduler, local.app, logger);
    const keeper = await startPlanScheduleKeeper(dynamo.endpoint, tableName, local.app, logger);
    stops.push(() => keeper.stop());
    stops.push(() => local.consumption.machine.stop());
    // Locally no write outlives a few seconds: a short grace is as safe as AWS's minute.
    subscribeSceneIndexer(bus, local.app.ports, logger, { graceMs: 2_000 });
    local.scheduler.start();
    stops.push(() => local.scheduler.stop());

    const api = await startApiServer({
      app: local.app,
      port: LOCAL_DEFAULTS.apiPort,
      secret: devSecret(),
      bucket: local.mailFolder,
      clock: { advanceTo: (date) => local.scheduler.advanceTo(date), now: () => local.clock.now() },
    });
    stops.push(() => new Promise((resolve) => api.server.close(resolve)));
    const smtp = await startLocalMailIntake(local, {
      port: LOCAL_DEFAULTS.smtpPort,
      stateDir: STATE_DIR,
      logger,
    }).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EADDRINUSE'
        ? new Error(`Port ${LOCAL_DEFAULTS.smtpPort} is in use: stop what holds it, or set SMTP_PORT`)
        : error;
    });
    stops.push(() => smtp.stop());

    console.log(`
Field service backend, running locally
  API            ${api.url}   (GET ${api.url}/health, GET ${api.url}/openapi.json)
  DynamoDB Local ${dynamo.endpoint}   table ${tableName}, data in ${join(STATE_DIR, 'dynamodb')} (pid ${dynamo.pid})
  Event bus      ${eventsFile}
  Mail intake    smtp://127.0.0.1:${smtp.port}   (mail for a mailbox: POST /mailboxes first; raw mail in ${local.mailFolder.dir})
  Outbox (mail)  ${local.outbox.dir}   (one .eml per mail sent)
  Scheduler      ${join(STATE_DIR, 'schedules.json')}
  State machine  consumption-billing on the local interpreter (executions in memory: a restart ends waiting ones)
  Clock          ${local.clock.now().toISOString()}   (npm start -- --now <ISO> sets it, npm run plans:tick -- --now <ISO> moves it while running)

Get a token:   npm run token -- --tenant demo --user u-admin --role crm-admin
Load demo data: npm run seed
Then:          curl -H "authorization: Bearer $TOKEN" ${api.url}/accounts

Ctrl-C stops everything.`);
  } catch (error) {
    console.error(error);
    await shutdown(1);
  }
}

main().catch((error: unknown) => {
  // A refusal to start (a port in use, no Java) is one clear line, not a stack trace.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
