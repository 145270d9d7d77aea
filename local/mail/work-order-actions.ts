import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import type { TableContext } from '../../functions/adapters/dynamodb/client';
import { HmacReplyTokens } from '../../functions/adapters/mail/reply-tokens';
import { type Application, compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import type { DomainEvent } from '../../functions/domain/shared/events';
import { EVENT_FUNCTIONS } from '../../functions/handlers/event-functions';
import { createWorkOrderMailer } from '../../functions/handlers/events/work-order-mailer';
import { createReminderHandler } from '../../functions/handlers/schedules/reminder';
import { LOCAL_MAIL_FROM } from '../../functions/shared/config';
import type { FunctionLogger } from '../../functions/shared/logger';
import type { LocalEventBus } from '../bus/local-bus';
import { type LocalConsumptionWorkflow, localConsumptionWorkflow } from '../consumption';
import {
  LocalAgreementExpiryScheduler,
  LocalPlanScheduler,
  LocalReminderScheduler,
  MovableClock,
} from '../scheduler/local-scheduler';
import { LocalMailFolder } from './mail-folder';
import { LocalOutbox } from './outbox';
import { localReplyTokenSecret } from './reply-token-secret';

/** `--now 2027-01-01T08:00:00Z` on the command line: where the one local clock starts. */
export function nowFromArgs(argv: string[] = process.argv): Date | undefined {
  const index = argv.indexOf('--now');
  if (index < 0) return undefined;
  const now = new Date(argv[index + 1] ?? '');
  if (Number.isNaN(now.getTime()))
    throw new Error('--now takes an ISO time, e.g. --now 2027-01-01T08:00:00Z');
  return now;
}

/** An outbox event as EventBridge hands it to a rule's target. */
export function asEventBridgeEvent(event: DomainEvent): EventBridgeEvent<string, DomainEvent> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': event.type,
    source: event.source,
    account: '000000000000',
    time: event.occurredAt,
    region: 'local',
    resources: [],
    detail: event,
  };
}

export interface LocalApplication {
  app: Application;
  /** The consumption-billing state machine on the local interpreter. */
  consumption: LocalConsumptionWorkflow;
  outbox: LocalOutbox;
  /** The mail bucket: raw inbound mail and attachments. */
  mailFolder: LocalMailFolder;
  scheduler: LocalReminderScheduler;
  clock: MovableClock;
}

/**
 * The application as `npm start` runs it: one movable clock read by the
 * domain and the scheduler alike, mail as `.eml` files in `stateDir/outbox`,
 * the mail bucket as `stateDir/mail-bucket`, reply tokens signed with a
 * secret kept in `stateDir`,
 * reminders on the in-process scheduler (not started: `start()` it to fire).
 */
export function localApplication(options: {
  table: TableContext;
  stateDir: string;
  logger: FunctionLogger;
  /** Where the clock starts (`npm start -- --now <ISO time>`); the wall clock otherwise. */
  now?: Date;
  /** Keep schedules in `stateDir/schedules.json` across restarts (default: yes). */
  persistSchedules?: boolean;
  /** The API's base URL, for attachment download links. */
  apiUrl?: () => string;
}): LocalApplication {
  const clock = new MovableClock();
  if (options.now) clock.moveTo(options.now);
  const outbox = new LocalOutbox(join(options.stateDir, 'outbox'), () => clock.now());
  const mailFolder = new LocalMailFolder(join(options.stateDir, 'mail-bucket'), options.apiUrl);
  const replyTokens = new HmacReplyTokens(() =>
    localReplyTokenSecret(join(options.stateDir, 'reply-token.secret')),
  );
  let app: Application | undefined;
  const scheduler = new LocalReminderScheduler(
    (due) => createReminderHandler((app as Application).workOrderMailer, options.logger)(due),
    {
      clock,
      ...(options.persistSchedules === false ? {} : { file: join(options.stateDir, 'schedules.json') }),
      onError: (error, schedule) =>
        options.logger.error('reminder failed', { schedule: schedule.name, error }),
    },
  );
  const consumption = localConsumptionWorkflow({
    app: () => app as Application,
    clock,
    logger: options.logger,
  });
  app = compose(
    basePorts(options.table, {
      workflow: consumption.workflow,
      approvals: consumption.approvals,
      clock,
      mail: outbox,
      reminders: scheduler,
      agreementExpiry: new LocalAgreementExpiryScheduler(scheduler),
      planSchedules: new LocalPlanScheduler(scheduler),
      mailBucket: mailFolder,
      replyTokens,
      mailFrom: process.env.MAIL_FROM ?? LOCAL_MAIL_FROM,
    }),
  );
  return { app, consumption, outbox, mailFolder, scheduler, clock };
}

/** The work-order mailer on the local bus, as its EventBridge rule in AWS. */
export function subscribeWorkOrderMailer(bus: LocalEventBus, app: Application, logger: FunctionLogger): void {
  const forwarded = createWorkOrderMailer(app.workOrderMailer, logger);
  const { source, types } = EVENT_FUNCTIONS['work-order-mailer'].events;
  for (const type of types) {
    bus.subscribe({ source, type }, async (event) => {
      // A failing target must not stop the bus; in AWS, Lambda retries it and then dead-letters it.
      await forwarded(asEventBridgeEvent(event)).catch((error: unknown) =>
        logger.error('work-order mailer failed', { eventId: event.id, error }),
      );
    });
  }
}
