import { SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  EventBridgeReminderScheduler,
  reminderScheduleTargetFromEnv,
} from '../../../adapters/scheduler/reminders';
import type { ReminderScheduler } from '../../../domain/work-orders/reminder';
import { defaultDependencies, idempotencyStore } from '../../dependencies';
import { localReminderScheduler, workOrderActionServices } from '../../work-order-action-dependencies';
import { apiHandler } from '../http/api-handler';
import { implement, rawResponse } from '../http/route';
import { PRINT_HEADERS, renderPrintPage } from './print';
import { workOrderActionRoutes as routes } from './routes';

let eventBridgeScheduler: ReminderScheduler | undefined;
/** EventBridge Scheduler in AWS; the in-process one when the local runtime has registered it. */
const scheduler = (): ReminderScheduler => {
  const local = localReminderScheduler();
  if (local) return local;
  eventBridgeScheduler ??= new EventBridgeReminderScheduler(new SchedulerClient({}), () =>
    reminderScheduleTargetFromEnv(),
  );
  return eventBridgeScheduler;
};

const deps = defaultDependencies();
const { forwarding, printing, reminders } = workOrderActionServices(deps, {
  scheduler: {
    schedule: (reminder) => scheduler().schedule(reminder),
    cancel: (reminder) => scheduler().cancel(reminder),
  },
});

export const handler = apiHandler(
  [
    implement(routes.print, async ({ principal, params }) =>
      rawResponse(
        'text/html; charset=utf-8',
        renderPrintPage(await printing.view(principal, params.id)),
        PRINT_HEADERS,
      ),
    ),
    implement(routes.forward, ({ principal, params, body }) =>
      forwarding.forward(principal, params.id, body),
    ),
    implement(routes.setReminder, ({ principal, params, body, idempotency }) =>
      reminders.set(principal, params.id, body, idempotency),
    ),
    implement(routes.listReminders, ({ principal, params, query }) =>
      reminders.list(principal, params.id, query),
    ),
    implement(routes.cancelReminder, ({ principal, params }) =>
      reminders.cancel(principal, params.id, params.reminderId),
    ),
  ],
  { idempotency: idempotencyStore(deps) },
);
