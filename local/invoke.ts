import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { createDocumentClient } from '../functions/adapters/dynamodb/client';
import type { Application } from '../functions/composition/application';
import { API_FUNCTIONS } from '../functions/handlers/api/api-functions';
import { EVENT_FUNCTIONS } from '../functions/handlers/event-functions';
import { createAgreementGenerator } from '../functions/handlers/events/agreement-generator';
import { createAgreementProductsHandler } from '../functions/handlers/events/agreement-products';
import { createAgreementEndHandler } from '../functions/handlers/events/service-plan-agreement-end';
import { createWorkOrderMailer } from '../functions/handlers/events/work-order-mailer';
import { createInboundMailHandler } from '../functions/handlers/mail/inbound-mail';
import { sesMailEvent } from '../functions/handlers/mail/ses-event';
import { createAgreementExpiryHandler } from '../functions/handlers/schedules/agreement-expiry';
import { createReminderHandler } from '../functions/handlers/schedules/reminder';
import { createPlanGeneratorHandler } from '../functions/handlers/schedules/service-plan-generator';
import { createOutboxPublisher } from '../functions/handlers/streams/outbox-publisher';
import { createPlanSchedulesHandler } from '../functions/handlers/streams/plan-schedules';
import { createConsumptionStepsHandler } from '../functions/handlers/workflows/consumption-steps';
import { createLogger } from '../functions/shared/logger';
import { LocalEventBus } from './bus/local-bus';
import { lambdaContext } from './lambda-context';
import { type LocalApplication, localApplication } from './mail/work-order-actions';
import { LOCAL_DEFAULTS, ROOT, STATE_DIR } from './paths';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
type CreateHandler = (app: Application) => unknown;

const table = {
  client: createDocumentClient(
    process.env.DYNAMODB_ENDPOINT ?? `http://127.0.0.1:${LOCAL_DEFAULTS.dynamoDbPort}`,
  ),
  tableName: process.env.TABLE_NAME ?? LOCAL_DEFAULTS.tableName,
};
const local = () =>
  localApplication({ table, stateDir: STATE_DIR, logger: createLogger({ service: 'invoke' }) });

/** Every function by name; those that reach AWS services get their local stand-ins, as under `npm start`. */
const functions: Record<string, () => Promise<Handler>> = {
  ...Object.fromEntries(
    Object.entries(API_FUNCTIONS).map(([name, fn]) => [
      name,
      async () =>
        (
          (await import(pathToFileURL(join(ROOT, fn.entry)).href)) as { createHandler: CreateHandler }
        ).createHandler(local().app) as Handler,
    ]),
  ),
  'outbox-publisher': async () =>
    createOutboxPublisher(new LocalEventBus(join(STATE_DIR, 'events.ndjson'))) as Handler,
  // Locally there is no Cognito: the provisioner runs against the real user pool only.
  'identity-provisioner': async () =>
    (
      (await import(pathToFileURL(join(ROOT, EVENT_FUNCTIONS['identity-provisioner'].entry)).href)) as {
        handler: Handler;
      }
    ).handler,
  // Mail goes to .local/outbox/ as .eml files instead of SES.
  'work-order-mailer': async () => createWorkOrderMailer(local().app.workOrderMailer) as Handler,
  reminder: async () => createReminderHandler(local().app.workOrderMailer) as Handler,
  'agreement-generator': async () => createAgreementGenerator(local().app.agreements.generation) as Handler,
  'agreement-expiry': async () => createAgreementExpiryHandler(local().app.agreements.agreements) as Handler,
  'agreement-products': async () =>
    createAgreementProductsHandler(local().app.consumption.agreementProducts) as Handler,
  'service-plan-generator': async () =>
    createPlanGeneratorHandler(local().app.servicePlans.generator, local().app.ports.clock) as Handler,
  'plan-schedules': async () => createPlanSchedulesHandler(local().app.servicePlans.schedules) as Handler,
  'service-plan-agreement-end': async () =>
    createAgreementEndHandler(local().app.servicePlans.ending) as Handler,
  // One step of a confirmation, as the state machine calls it (events/sfn/).
  'consumption-steps': async () => createConsumptionStepsHandler(local().app.consumption.steps) as Handler,
  // The raw mail an SES event names is read from the local mail bucket; events/ses/ keeps one beside each event.
  'inbound-mail': async () => {
    const app = local();
    const handler = createInboundMailHandler(() => app.app.mailIntake.intake());
    return async (event, context) => {
      await storeExampleMail(app, event);
      return handler(event, context as Context);
    };
  },
};

/** For an event of events/ses/: its raw mail (`<messageId>.eml` beside it) into the local mail bucket. */
async function storeExampleMail(app: LocalApplication, event: unknown): Promise<void> {
  const parsed = sesMailEvent.safeParse(event);
  if (!parsed.success) return;
  for (const record of parsed.data.Records) {
    const id = record.ses.mail.messageId;
    const example = join(ROOT, 'events/ses', `${id}.eml`);
    if (existsSync(example)) await app.mailFolder.store(id, readFileSync(example));
  }
}

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
  const event = JSON.parse(readFileSync(resolve(eventFile), 'utf8'));
  const handler = await load();
  const result = await handler(event, lambdaContext(name ?? 'local'));
  console.log(JSON.stringify(result, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
