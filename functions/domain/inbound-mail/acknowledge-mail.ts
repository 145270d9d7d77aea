import { ValidationError } from '../shared/errors';
import type { OutboundMail } from '../shared/mail';
import type { ServiceContext } from '../shared/master-data-service';
import { MailBeingSentError, type MailClaims, type MailTarget, sendOnce } from '../work-orders/mail-once';
import type { WorkOrderRepository } from '../work-orders/ports';
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
 * most the mailbox's number per sender and hour (one claim per slot), so that
 * a broken autoresponder cannot keep us answering. The Message-ID it goes out
 * with is remembered as one of the work order's thread. Undefined when a
 * concurrent delivery of the same mail is sending it.
 */
export class Acknowledger {
  constructor(
    private readonly ports: AcknowledgerPorts,
    private readonly context: ServiceContext,
  ) {}

  async acknowledge(
    mailbox: Mailbox,
    mail: InboundMail,
    message: ParsedMessage,
  ): Promise<AcknowledgementOutcome | undefined> {
    const settings = settingsOf(mailbox);
    if (!settings.acknowledgement.enabled)
      return { outcome: 'skipped', reason: 'The mailbox sends no acknowledgements' };
    const workOrder = mail.workOrderId
      ? await this.ports.workOrders.get(mail.tenantId, mail.workOrderId)
      : undefined;
    if (!workOrder || !mail.sender.includes('@'))
      return { outcome: 'skipped', reason: 'Nobody to acknowledge to' };
    const target: MailTarget = {
      tenantId: mail.tenantId,
      workOrderId: workOrder.id,
      purpose: { kind: 'acknowledgement', sender: mail.sender },
    };
    if (await this.ports.claims.isSent(target)) return { outcome: 'already-sent' };
    if (!(await this.takeSlot(mailbox, mail.sender, settings.acknowledgementsPerSenderPerHour))) {
      return {
        outcome: 'skipped',
        reason: `${mail.sender} got ${settings.acknowledgementsPerSenderPerHour} acknowledgements in this hour`,
      };
    }
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
      );
      if (sent.outcome !== 'sent') return sent;
      await this.ports.store.claimOnce(mail.tenantId, {
        kind: 'once',
        scope: CLAIM_SCOPES.sentMessage,
        key: sent.messageId,
        refersTo: workOrder.id,
      });
      return sent;
    } catch (error) {
      // An address no mail can be composed for will not get better with retries; anything else may.
      if (error instanceof ValidationError) return { outcome: 'skipped', reason: error.message };
      // A concurrent delivery of the same mail is sending it; if it dies, its own retry takes over.
      if (error instanceof MailBeingSentError) return undefined;
      throw error;
    }
  }

  /** One of the sender's acknowledgement slots of this hour, if one is left. */
  private async takeSlot(mailbox: Mailbox, sender: string, cap: number): Promise<boolean> {
    const prefix = `${mailbox.id}#${sender}#${hourOf(this.context.clock.now().toISOString())}#`;
    for (let attempt = 0; attempt < cap; attempt++) {
      const used = await this.ports.store.countClaims(
        mailbox.tenantId,
        CLAIM_SCOPES.acknowledgementQuota,
        prefix,
      );
      if (used >= cap) return false;
      const slot = {
        kind: 'once' as const,
        scope: CLAIM_SCOPES.acknowledgementQuota,
        key: `${prefix}${used + 1}`,
      };
      if (await this.ports.store.claimOnce(mailbox.tenantId, slot)) return true;
    }
    return false;
  }
}
