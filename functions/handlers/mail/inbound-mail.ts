import type { MailIntake } from '../../domain/inbound-mail/receive-mail';
import type { FunctionLogger } from '../../shared/logger';
import type { FunctionMetrics } from '../../shared/metrics';
import { builtOnFirstCall } from '../entry';
import { eventHandler } from '../event-handler';
import { observability } from '../observability';
import { inboundMailApplication } from './inbound-mail-environment';
import { envelopeOf, sesMailEvent } from './ses-event';

const SERVICE = 'inbound-mail';

/**
 * SES receipt rule → one inbound mail (the S3 action stored it first): the
 * intake decides it, once per SES messageId however often SES delivers. Mail
 * for an address that is no mailbox stays in the bucket, is logged and
 * counted, and gets no reply. A failure is thrown: Lambda retries the
 * asynchronous invocation, then hands it to the on-failure destination.
 */
export function createInboundMailHandler(
  intake: () => MailIntake | Promise<MailIntake>,
  logger?: FunctionLogger,
  metrics?: FunctionMetrics,
) {
  return eventHandler(
    {
      accepts: 'an SES receipt event (Records[].ses with mail and receipt)',
      schema: sesMailEvent,
      correlationId: (event) => event.Records[0]?.ses.mail.messageId,
      handle: async (event, { logger, metrics }) => {
        const results = [];
        for (const record of event.Records) {
          const envelope = envelopeOf(record);
          const result = await (await intake()).receive(envelope);
          if (result.outcome === 'no-mailbox') {
            metrics.count('MailsUnrouted');
            logger.warn('mail for no mailbox, kept in the bucket', {
              receiptId: envelope.receiptId,
              recipients: envelope.recipients,
            });
          } else {
            const { mail } = result;
            if (result.outcome === 'decided') metrics.countBy('MailsProcessed', 'decision', mail.decision);
            logger.info('mail decided', {
              receiptId: envelope.receiptId,
              tenantId: mail.tenantId,
              inboundMailId: mail.id,
              outcome: result.outcome,
              decision: mail.decision,
              reason: mail.reason,
              ...(mail.workOrderNumber ? { workOrder: mail.workOrderNumber } : {}),
            });
          }
          results.push(result.outcome);
        }
        return { outcomes: results };
      },
    },
    observability(SERVICE, { logger, metrics }),
  );
}

export const handler = builtOnFirstCall(() =>
  createInboundMailHandler(inboundMailApplication().mailIntake.intake),
);
