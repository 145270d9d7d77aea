import { join } from 'node:path';
import { createOutboxPublisher } from '../functions/handlers/streams/outbox-publisher';
import { createLogger } from '../functions/shared/logger';
import { startApiServer } from './api-server';
import { devSecret } from './auth/dev-jwt';
import { LocalEventBus } from './bus/local-bus';
import { LocalStreamPoller } from './bus/stream-poller';
import { ensureTable, startDynamoDbLocal } from './dynamodb/launcher';
import { nowFromArgs, startWorkOrderActions } from './mail/work-order-actions';
import { LOCAL_DEFAULTS, STATE_DIR } from './paths';

/**
 * `npm start`: the whole product on this machine. DynamoDB Local (persisted
 * under .local/), the API on :3000, and the outbox publisher feeding the
 * local event bus. Ctrl-C stops everything, the JVM included.
 */
async function main() {
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

    const actions = startWorkOrderActions({ bus, stateDir: STATE_DIR, logger, now: nowFromArgs() });
    stops.push(actions.stop);

    const api = await startApiServer({ port: LOCAL_DEFAULTS.apiPort, secret: devSecret() });
    stops.push(() => new Promise((resolve) => api.server.close(resolve)));

    console.log(`
Field service backend, running locally
  API            ${api.url}   (GET ${api.url}/health, GET ${api.url}/openapi.json)
  DynamoDB Local ${dynamo.endpoint}   table ${tableName}, data in ${join(STATE_DIR, 'dynamodb')} (pid ${dynamo.pid})
  Event bus      ${eventsFile}
  Outbox (mail)  ${actions.outbox.dir}   (one .eml per mail sent)
  Scheduler      ${join(STATE_DIR, 'schedules.json')}   (clock at ${actions.scheduler.clock.now().toISOString()}; npm start -- --now <ISO> moves it)

Get a token:   npm run token -- --tenant demo --user u-admin --role crm-admin
Load demo data: npm run seed
Then:          curl -H "authorization: Bearer $TOKEN" ${api.url}/accounts

Ctrl-C stops everything.`);
  } catch (error) {
    console.error(error);
    await shutdown(1);
  }
}

void main();
