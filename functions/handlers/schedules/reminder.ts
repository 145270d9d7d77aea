import { SESClient } from '@aws-sdk/client-ses';
import { SesMailer } from '../../adapters/ses/mailer';
import { applicationFromEnvironment } from '../../composition/environment';
import { ValidationError } from '../../domain/shared/errors';
import { reminderDuePayload } from '../../domain/work-orders/reminder';
import type { WorkOrderMailer } from '../../domain/work-orders/work-order-mailer';
import { createLogger, type Logger } from '../../shared/logger';
import { builtOnFirstCall } from '../entry';

/**
 * EventBridge Scheduler → a due reminder: marks it fired (once, by a
 * conditional write), records it on the timeline and mails the user (once,
 * by a claim). A cancelled or deleted reminder is skipped.
 */
export function createReminderHandler(
  mailer: WorkOrderMailer,
  logger: Logger = createLogger({ service: 'reminder' }),
) {
  return async (event: unknown) => {
    const parsed = reminderDuePayload.safeParse(event);
    if (!parsed.success)
      throw new ValidationError('Not a reminder: expected tenantId, workOrderId, reminderId');
    const result = await mailer.deliverReminder(parsed.data);
    logger.info('reminder due', { ...parsed.data, ...result });
    return result;
  };
}

const ses = new SESClient({});

export const handler = builtOnFirstCall(() =>
  createReminderHandler(applicationFromEnvironment(() => ({ mail: new SesMailer(ses) })).workOrderMailer),
);
