import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeReminderScheduler, reminderScheduleTarget } from '../../../adapters/scheduler/reminders';
import { fromEnvironment } from '../../../composition/environment';
import {
  type WorkOrderActionApplication,
  workOrderActionApplication,
} from '../../../composition/work-orders';
import { builtOnFirstCall } from '../../entry';
import { apiHandler } from '../http/api-handler';
import { implement, rawResponse } from '../http/route';
import { PRINT_HEADERS, renderPrintPage } from './print';
import { workOrderActionRoutes as routes } from './routes';

export function createHandler(app: WorkOrderActionApplication) {
  const { forwarding, printing, reminders } = app.workOrderActions;
  return apiHandler(
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
      implement(routes.setReminder, ({ principal, params, body, claims }) =>
        reminders.set(principal, params.id, body, claims),
      ),
      implement(routes.listReminders, ({ principal, params, query }) =>
        reminders.list(principal, params.id, query),
      ),
      implement(routes.cancelReminder, ({ principal, params }) =>
        reminders.cancel(principal, params.id, params.reminderId),
      ),
    ],
    { idempotency: app.idempotency },
  );
}

export const handler = builtOnFirstCall(() =>
  createHandler(
    fromEnvironment(workOrderActionApplication, (config) => ({
      reminders: new EventBridgeReminderScheduler(new SchedulerClient({}), () =>
        reminderScheduleTarget(config),
      ),
    })),
  ),
);
