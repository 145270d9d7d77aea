import { ClaimTakenError, VersionConflictError } from '../shared/errors';
import type { ServiceContext } from '../shared/master-data-service';
import type { WorkOrderService } from '../work-orders/work-order-service';
import type { Acknowledger } from './acknowledge-mail';
import { applyDecision, type Decided, recordDecision } from './apply-decision';
import { automaticMail } from './automatic';
import { type Decision, type InboundMail, WORK_ORDER_DECISIONS } from './inbound-mail';
import type { IntakePorts } from './intake-ports';
import {
  CLAIM_SCOPES,
  draftRecord,
  mailboxActor,
  messageKey,
  type RecordDraft,
  receiptClaim,
  usableAddress,
} from './mail-record';
import type { Mailbox } from './mailbox';
import type { MailEnvelope, ParsedMessage } from './message';
import { findThread, withoutReplyToken } from './threading';

export type IntakeResult =
  /** No recipient is a mailbox of ours: no tenant owns the mail; it stays in the bucket. */
  | { outcome: 'no-mailbox'; recipients: string[] }
  /** The receipt was decided before (an SES redelivery): nothing happened again. */
  | { outcome: 'redelivered'; mail: InboundMail }
  | { outcome: 'decided'; mail: InboundMail };

/** Most distinct `X-Loop` addresses looked up per mail. */
const MAX_LOOP_ADDRESSES = 10;

/** How often a mail is decided again when a concurrent delivery took one of its claims first. */
const CLAIM_ATTEMPTS = 5;

/**
 * Inbound mail, from receipt to decision: route by the envelope recipient,
 * take each receipt and each message once, keep out what is not a person's
 * request (verdicts, automatic mail), find the thread, apply the mailbox's
 * rules and caps, change the work order with the decision record in the same
 * transaction, then acknowledge.
 */
export class MailIntake {
  constructor(
    private readonly ports: IntakePorts,
    private readonly workOrders: WorkOrderService,
    private readonly acknowledger: Acknowledger,
    private readonly context: ServiceContext,
  ) {}

  async receive(envelope: MailEnvelope): Promise<IntakeResult> {
    const routed = await this.route(envelope.recipients);
    if (!routed) return { outcome: 'no-mailbox', recipients: envelope.recipients };
    return this.process(routed.mailbox, routed.recipient, envelope);
  }

  /**
   * A stored mail decided again under today's rules (an admin's replay), as
   * a new record that names the one it replays. Replaying the same record
   * again answers with the first replay; what the first decision changed stays.
   */
  async replay(mailbox: Mailbox, previous: InboundMail): Promise<IntakeResult> {
    const envelope: MailEnvelope = {
      receiptId: previous.receiptId,
      recipients: [previous.recipient],
      mailFrom: previous.sender,
      verdicts: previous.verdicts,
      receivedAt: previous.receivedAt,
    };
    return this.process(mailbox, previous.recipient, envelope, {
      id: previous.id,
      decision: previous.decision,
    });
  }

  private async process(
    mailbox: Mailbox,
    recipient: string,
    envelope: MailEnvelope,
    replayOf?: InboundMail['replayOf'],
  ): Promise<IntakeResult> {
    for (let attempt = 1; ; attempt++) {
      const earlier = await this.earlierDecision(mailbox.tenantId, {
        receiptId: envelope.receiptId,
        replayOf,
      });
      if (earlier) {
        // The first delivery may have stopped between its decision and its acknowledgement.
        await this.acknowledgeIfDue(mailbox, earlier);
        return { outcome: 'redelivered', mail: earlier };
      }
      try {
        return { outcome: 'decided', mail: await this.decide(mailbox, recipient, envelope, replayOf) };
      } catch (error) {
        // A concurrent delivery took a claim of this mail (its receipt, its message, or the sender's
        // per-hour slot) between our reads and our write: decide again, knowing it.
        if (!(error instanceof ClaimTakenError) || attempt >= CLAIM_ATTEMPTS) throw error;
      }
    }
  }

  /** The first envelope recipient that is a mailbox (a reply token after `+` does not count). */
  private async route(recipients: string[]): Promise<{ mailbox: Mailbox; recipient: string } | undefined> {
    for (const recipient of recipients) {
      const mailbox = await this.ports.mailboxes.byAddress(withoutReplyToken(recipient));
      if (mailbox) return { mailbox, recipient };
    }
    return undefined;
  }

  private async earlierDecision(
    tenantId: string,
    mail: Pick<InboundMail, 'receiptId' | 'replayOf'>,
  ): Promise<InboundMail | undefined> {
    const { scope, key } = receiptClaim(mail);
    const id = await this.ports.store.claimed(tenantId, scope, key);
    return id ? this.ports.store.get(tenantId, id) : undefined;
  }

  private async decide(
    mailbox: Mailbox,
    recipient: string,
    envelope: MailEnvelope,
    replayOf: InboundMail['replayOf'],
  ): Promise<InboundMail> {
    const { ports } = this;
    const deps = { ports, context: this.context, actor: mailboxActor(mailbox) };
    const record = (draft: RecordDraft, decision: Decision, reason: string, key?: string) =>
      recordDecision(deps, draft, decision, reason, key);
    // Read even when a verdict keeps it out: the record says how large the kept mail is.
    const raw = await ports.rawMails.read(envelope.receiptId);
    const base = {
      id: this.context.ids.next(),
      now: this.now(),
      mailbox,
      recipient,
      envelope,
      size: raw.byteLength,
      replayOf,
    };
    const failed = (['spam', 'virus'] as const).filter((v) => envelope.verdicts[v] === 'FAIL');
    if (failed.length > 0) {
      return record(draftRecord(base), 'quarantined-verdict', `SES ${failed.join(' and ')} verdict FAIL`);
    }
    const parsed = await ports.parse(raw);
    if ('error' in parsed) {
      const draft = draftRecord({ ...base, size: raw.byteLength });
      return record(draft, 'quarantined-unparseable', `The mail could not be read: ${parsed.error}`);
    }
    const draft = draftRecord({ ...base, message: parsed, size: raw.byteLength });
    // A replay's message was claimed by the mail it replays; a replay that changes a work order
    // claims it once more for threading (`threadKey`).
    const ownKey = messageKey(parsed, ports.digest);
    const key = replayOf ? undefined : ownKey;
    const resent = key && (await ports.store.claimed(mailbox.tenantId, CLAIM_SCOPES.message, key));
    if (key && resent !== undefined) {
      return record(
        { ...draft, ...(resent ? { workOrderId: resent } : {}) },
        'ignored-duplicate',
        `Message ${key} was received before`,
        undefined,
      );
    }
    const automatic = automaticMail(parsed, envelope, await this.ourAddresses(parsed));
    const thread = await findThread(ports.threads, ports.tokens, {
      tenantId: mailbox.tenantId,
      message: parsed,
      recipient,
      sender: draft.sender,
    });
    if (automatic) {
      // Kept with the thread it refers to, but it neither opens a work order nor gets a reply.
      return record(
        { ...draft, automatic, ...(thread ? { thread, workOrderId: thread.workOrderId } : {}) },
        'ignored-automatic',
        `Automatic mail (${automatic.detail})`,
        key,
      );
    }
    const decided = await applyDecision(
      { ...deps, workOrders: this.workOrders },
      { mailbox, draft, message: parsed, key, ...(replayOf ? { threadKey: ownKey } : {}), thread },
    );
    await this.acknowledgeIfDue(mailbox, decided.mail, parsed, decided);
    return decided.mail;
  }

  /**
   * `X-Loop` addresses of the mail that are mailboxes of ours (in any tenant):
   * the first few distinct ones, as a mail may carry the header thousands of times.
   */
  private async ourAddresses(message: ParsedMessage): Promise<(address: string) => boolean> {
    const loops = new Set(
      message.headers
        .filter((h) => h.name === 'x-loop')
        .map((h) =>
          h.value
            .trim()
            .toLowerCase()
            .replace(/^.*<|>.*$/g, ''),
        )
        .filter((address) => usableAddress(address)),
    );
    const ours = new Set<string>();
    for (const address of [...loops].slice(0, MAX_LOOP_ADDRESSES)) {
      if (await this.ports.mailboxes.byAddress(withoutReplyToken(address))) ours.add(address);
    }
    return (address) => ours.has(address.toLowerCase());
  }

  /**
   * Acknowledges a mail that changed a work order, and records how it went
   * (with the Message-ID it went out with, for threading the replies to it).
   * A redelivery finds the record without it and tries again.
   */
  private async acknowledgeIfDue(
    mailbox: Mailbox,
    mail: InboundMail,
    message?: ParsedMessage,
    decided: Omit<Decided, 'mail'> = {},
  ): Promise<void> {
    if (!WORK_ORDER_DECISIONS.includes(mail.decision) || mail.acknowledgement || !mail.workOrderId) return;
    const parsed = message ?? (await this.reparse(mail));
    if (!parsed) return;
    const acknowledged = await this.acknowledger.acknowledge(mailbox, mail, parsed, decided);
    if (!acknowledged) return;
    const next: InboundMail = {
      ...mail,
      acknowledgement: acknowledged.outcome,
      version: mail.version + 1,
      updatedAt: this.now(),
    };
    try {
      await this.ports.store.update(mail, next, {
        claims: acknowledged.remember ? [acknowledged.remember] : [],
      });
    } catch (error) {
      // A concurrent delivery of the same mail recorded its acknowledgement first.
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }

  private async reparse(mail: InboundMail): Promise<ParsedMessage | undefined> {
    const parsed = await this.ports.parse(await this.ports.rawMails.read(mail.receiptId));
    return 'error' in parsed ? undefined : parsed;
  }

  private now(): string {
    return this.context.clock.now().toISOString();
  }
}
