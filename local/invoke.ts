import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { API_FUNCTIONS } from '../functions/handlers/api/api-functions';
import { EVENT_FUNCTIONS } from '../functions/handlers/event-functions';
import { LocalEventBus } from './bus/local-bus';
import { lambdaContext } from './lambda-context';
import { LOCAL_DEFAULTS, ROOT, STATE_DIR } from './paths';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const importHandler = (entry: string) => async () =>
  ((await import(pathToFileURL(join(ROOT, entry)).href)) as { handler: Handler }).handler;

/** Every function by name; those that reach AWS services get their local stand-ins, as under `npm start`. */
const functions: Record<string, () => Promise<Handler>> = {
  ...Object.fromEntries(Object.entries(API_FUNCTIONS).map(([name, fn]) => [name, importHandler(fn.entry)])),
  'outbox-publisher': async () => {
    const { createOutboxPublisher } = await import('../functions/handlers/streams/outbox-publisher');
    return createOutboxPublisher(new LocalEventBus(join(STATE_DIR, 'events.ndjson'))) as Handler;
  },
  // Locally there is no Cognito: the provisioner runs against the real user pool only.
  'identity-provisioner': importHandler(EVENT_FUNCTIONS['identity-provisioner'].entry),
  // Mail goes to .local/outbox/ as .eml files instead of SES.
  'work-order-mailer': async () => {
    const { localWorkOrderMailer } = await import('./mail/work-order-actions');
    const { createWorkOrderMailer } = await import('../functions/handlers/events/work-order-mailer');
    return createWorkOrderMailer(localWorkOrderMailer(join(STATE_DIR, 'outbox'))) as Handler;
  },
  reminder: async () => {
    const { localWorkOrderMailer } = await import('./mail/work-order-actions');
    const { createReminderHandler } = await import('../functions/handlers/schedules/reminder');
    return createReminderHandler(localWorkOrderMailer(join(STATE_DIR, 'outbox'))) as Handler;
  },
};

/**
 * `npm run invoke -- <function> <event-file>`: runs one handler with one event,
 * as `sam local invoke` would, against the local DynamoDB (start it with
 * `npm start`). Prints the handler's result as JSON.
 */
async function main() {
  const [name, eventFile] = process.argv.slice(2);
  const load = name ? functions[name] : undefined;
  if (!load || !eventFile) {
    console.error(
      `Usage: npm run invoke -- <function> <event-file>\nFunctions: ${Object.keys(functions).join(', ')}`,
    );
    process.exit(2);
  }
  process.env.TABLE_NAME ??= LOCAL_DEFAULTS.tableName;
  process.env.DYNAMODB_ENDPOINT ??= `http://127.0.0.1:${LOCAL_DEFAULTS.dynamoDbPort}`;
  process.env.AWS_REGION ??= LOCAL_DEFAULTS.region;
  const event = JSON.parse(readFileSync(resolve(eventFile), 'utf8'));
  const handler = await load();
  const result = await handler(event, lambdaContext(name ?? 'local'));
  console.log(JSON.stringify(result, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
