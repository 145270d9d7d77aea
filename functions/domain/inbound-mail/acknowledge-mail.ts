import { ValidationError } from '../shared/errors';
import type { OutboundMail } from '../shared/mail';
import type { ServiceContext } from '../shared/master-data-service';
import type { OnceClaim } from '../shared/ports';
import { MailBeingSentError, type MailClaims, type MailTarget, sendOnce } from '../work-orders/mail-once';
import type { WorkOrderRepository } from '../work-orders/ports';
import type { WorkOrder } from '../work-orders/work-order';
import { acknowledgementOf } from './acknowledgement';
import type { AcknowledgementOutcome, InboundMail } from './inbound-mail';
import type { InboundMailStore } from './intake-ports';
import { CLAIM_SCOPES, hourOf } from './mail-record';
import { type Mailbox, senderOf, settingsOf } from './mailbox';
import type { ParsedMessage } from './message';
import type { ReplyTokens } from './threading';

export interface AcknowledgerPorts {
  claims: MailClaims;
  mail: OutboundMail;
  store: InboundMailStore;
  workOrders: Pick<WorkOrderRepository, 'get'>;
  tokens: ReplyTokens;
}

/**
 * Acknowledgements: at most one per sender and work order (a mail claim), at
 * most the mailbox's number per sender and hour (a quota used in the same write
 * as each send's claim, so a send that fails and is retried counts twice), so that a broken
 * autoresponder cannot keep us answering. The Message-ID it goes out
 * with is remembered as one of the work order's thread. Undefined when a
 * concurrent delivery of the same mail is sending it.
 */
export class Acknowledger {
  constructor(
    private readonly ports: AcknowledgerPorts,
    private readonly context: ServiceContext,
  ) {}

  /**
   * `known` is the work order the decision just changed (saves reading it);
   * `created` says it is new, so nothing was acknowledged for it yet.
   */
  async acknowledge(
    mailbox: Mailbox,
    mail: InboundMail,
    message: ParsedMessage,
    known: { workOrder?: WorkOrder; created?: boolean } = {},
  ): Promise<Acknowledged | undefined> {
    const settings = settingsOf(mailbox);
    if (!settings.acknowledgement.enabled) return skipped('The mailbox sends no acknowledgements');
    const workOrder =
      known.workOrder ??
      (mail.workOrderId ? await this.ports.workOrders.get(mail.tenantId, mail.workOrderId) : undefined);
    if (!workOrder || !mail.sender.includes('@')) return skipped('Nobody to acknowledge to');
    const target: MailTarget = {
      tenantId: mail.tenantId,
      workOrderId: workOrder.id,
      purpose: { kind: 'acknowledgement', sender: mail.sender },
    };
    if (!known.created && (await this.ports.claims.isSent(target)))
      return { outcome: { outcome: 'already-sent' } };
    const cap = settings.acknowledgementsPerSenderPerHour;
    const hour = hourOf(this.context.clock.now().toISOString());
    const quota = {
      claim: {
        kind: 'quota' as const,
        scope: CLAIM_SCOPES.acknowledgementQuota,
        key: `${mailbox.id}#${mail.sender}#${hour}`,
        limit: cap,
      },
      refusal: `${mail.sender} got ${cap} acknowledgements in this hour`,
    };
    const { claims, mail: outbound, tokens } = this.ports;
    try {
      const sent = await sendOnce(
        { claims, mail: outbound, from: senderOf(mailbox), automatic: 'auto-replied' },
        target,
        async () =>
          acknowledgementOf({
            mailbox,
            workOrder,
            message,
            to: mail.sender,
            replyToken: await tokens.sign(mail.tenantId, workOrder.id),
          }),
        async () => undefined,
        quota,
      );
      if (sent.outcome !== 'sent') return { outcome: sent };
      return {
        outcome: sent,
        remember: {
          kind: 'once',
          scope: CLAIM_SCOPES.sentMessage,
          key: sent.messageId,
          refersTo: workOrder.id,
        },
      };
    } catch (error) {
      // An address no mail can be composed for will not get better with retries; anything else may.
      if (error instanceof ValidationError) return skipped(error.message);
      // A concurrent delivery of the same mail is sending it; if it dies, its own retry takes over.
      if (error instanceof MailBeingSentError) return undefined;
      throw error;
    }
  }
}

const skipped = (reason: string): Acknowledged => ({ outcome: { outcome: 'skipped', reason } });

/** What became of an acknowledgement, and the Message-ID it went out with, to remember for threading. */
export interface Acknowledged {
  outcome: AcknowledgementOutcome;
  remember?: OnceClaim;
}
