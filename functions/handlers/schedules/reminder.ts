import { SESClient } from '@aws-sdk/client-ses';
import { SesMailer } from '../../adapters/ses/mailer';
import { fromEnvironment } from '../../composition/environment';
import { workOrderMailerApplication } from '../../composition/work-orders';
import { reminderDuePayload } from '../../domain/work-orders/reminder';
import type { WorkOrderMailer } from '../../domain/work-orders/work-order-mailer';
import type { FunctionLogger } from '../../shared/logger';
import type { FunctionMetrics } from '../../shared/metrics';
import { builtOnFirstCall } from '../entry';
import { eventHandler } from '../event-handler';
import { observability } from '../observability';

const SERVICE = 'reminder';

/**
 * EventBridge Scheduler → a due reminder: marks it fired (once, by a
 * conditional write), records it on the timeline and mails the user (once,
 * by a claim). A cancelled or deleted reminder is skipped.
 */
export function createReminderHandler(
  mailer: WorkOrderMailer,
  logger?: FunctionLogger,
  metrics?: FunctionMetrics,
) {
  return eventHandler(
    {
      accepts: 'a reminder: expected tenantId, workOrderId, reminderId',
      // The schedule's input is the payload itself, without an envelope.
      schema: reminderDuePayload,
      correlationId: (due) => due.reminderId,
      handle: async (due, { logger, metrics }) => {
        const result = await mailer.deliverReminder(due);
        if (result.outcome === 'sent') {
          metrics.count('RemindersFired');
          metrics.count('MailsSent');
        }
        logger.info('reminder due', { ...due, ...result });
        return result;
      },
    },
    observability(SERVICE, { logger, metrics }),
  );
}

const ses = new SESClient({});

export const handler = builtOnFirstCall(() =>
  createReminderHandler(
    fromEnvironment(workOrderMailerApplication, () => ({ mail: new SesMailer(ses) })).workOrderMailer,
  ),
);
