import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import type { DomainEvent } from '../../functions/domain/shared/events';
import { defaultDependencies } from '../../functions/handlers/dependencies';
import { EVENT_FUNCTIONS } from '../../functions/handlers/event-functions';
import { createWorkOrderMailer } from '../../functions/handlers/events/work-order-mailer';
import { createReminderHandler } from '../../functions/handlers/schedules/reminder';
import {
  LOCAL_MAIL_FROM,
  useLocalReminderScheduler,
  workOrderMailer,
} from '../../functions/handlers/work-order-action-dependencies';
import type { Logger } from '../../functions/shared/logger';
import type { LocalEventBus } from '../bus/local-bus';
import { LocalReminderScheduler } from '../scheduler/local-scheduler';
import { LocalOutbox } from './outbox';

/** `--now 2027-01-01T08:00:00Z` on the command line: where the local scheduler's clock starts. */
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

/** The mail side of the work-order actions with `.eml` files in `dir` instead of SES. */
export function localWorkOrderMailer(dir: string) {
  return workOrderMailer(
    defaultDependencies(),
    new LocalOutbox(dir),
    process.env.MAIL_FROM ?? LOCAL_MAIL_FROM,
  );
}

/**
 * Print, forward and reminders under `npm start`: the work-order mailer on the
 * local bus (as its EventBridge rule), reminders on the in-process scheduler,
 * every mail an `.eml` file in `.local/outbox/`. Needs TABLE_NAME and the
 * DynamoDB endpoint in the environment, as the handlers do.
 */
export function startWorkOrderActions(options: {
  bus: LocalEventBus;
  stateDir: string;
  logger: Logger;
  /** `npm start -- --now <ISO time>`: the scheduler's clock starts there. */
  now?: Date;
}) {
  const outbox = new LocalOutbox(join(options.stateDir, 'outbox'));
  const mailer = localWorkOrderMailer(outbox.dir);
  const forwarded = createWorkOrderMailer(mailer, options.logger);
  const { source, types } = EVENT_FUNCTIONS['work-order-mailer'].events;
  for (const type of types) {
    options.bus.subscribe({ source, type }, async (event) => {
      // A failing target must not stop the bus; in AWS, Lambda retries it and then dead-letters it.
      await forwarded(asEventBridgeEvent(event)).catch((error: unknown) =>
        options.logger.error('work-order mailer failed', { eventId: event.id, error }),
      );
    });
  }
  const scheduler = new LocalReminderScheduler(createReminderHandler(mailer, options.logger), {
    file: join(options.stateDir, 'schedules.json'),
    onError: (error, schedule) => options.logger.error('reminder failed', { schedule: schedule.name, error }),
  });
  if (options.now) scheduler.clock.moveTo(options.now);
  useLocalReminderScheduler(scheduler.start());
  return {
    outbox,
    scheduler,
    stop: async () => {
      useLocalReminderScheduler(undefined);
      await scheduler.stop();
    },
  };
}
