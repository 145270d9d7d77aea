import type { SystemActor } from '../access/actor';
import type { DomainEvent } from '../shared/events';
import type { Companion, OnceClaim } from '../shared/ports';
import type { Decision, InboundMail } from './inbound-mail';
import type { Mailbox } from './mailbox';
import type { MailEnvelope, ParsedMessage } from './message';

/** The claim scopes of mail intake: each fact takes effect once per tenant. */
export const CLAIM_SCOPES = {
  /** SES's messageId: a redelivery of the same receipt. */
  receipt: 'ses-message',
  /** A replay of one decision record: replaying it again answers with the first replay. */
  replay: 'replay',
  /** The mail's Message-ID (or content digest): a resend; the claim names the work order of its thread. */
  message: 'message-id',
  /** A Message-ID we sent (an acknowledgement): names the work order a reply to it belongs to. */
  sentMessage: 'sent-message-id',
  /** The contact made for an unknown sender address: one, however many of its mails arrive at once. */
  senderContact: 'sender-contact',
  /** One slot per new work order from a sender in an hour. */
  senderQuota: 'sender-quota',
  /** One slot per acknowledgement to a sender in an hour. */
  acknowledgementQuota: 'ack-quota',
} as const;

/** The mailbox as the actor of what a mail does. */
export const mailboxActor = (mailbox: Mailbox): SystemActor => ({
  tenantId: mailbox.tenantId,
  system: 'mailbox',
  id: mailbox.address,
});

/** `2026-12-02T14`: the hour a per-hour cap counts in. */
export const hourOf = (iso: string) => iso.slice(0, 13);

/**
 * Longest Message-ID that is a claim key as it is: a key is one DynamoDB sort
 * key (at most 1 KB; a character takes at most 3 bytes).
 */
const MAX_MESSAGE_ID_KEY = 300;

/**
 * The key a Message-ID is claimed and looked up under: the id, or for one
 * longer than a key holds (a header may carry a megabyte), its digest.
 */
export function messageIdKey(id: string, digest: (text: string) => string): string {
  return id.length <= MAX_MESSAGE_ID_KEY ? id : `message-id-sha256:${digest(id)}`;
}

/** The key a message is claimed under: its Message-ID, or a digest of what it says. */
export function messageKey(message: ParsedMessage, digest: (text: string) => string): string {
  if (message.messageId) return messageIdKey(message.messageId, digest);
  const content = [
    message.from?.address ?? '',
    message.subject,
    message.date ?? '',
    message.text,
    ...message.attachments.map((a) => `${a.filename}:${a.size}`),
  ].join('\n');
  return `sha256:${digest(content)}`;
}

/** RFC 5321 allows an address 254 octets: a longer one reaches nobody, and would not fit in a claim's key. */
const MAX_ADDRESS_OCTETS = 254;

const usableAddress = (address: string | undefined) =>
  address && new TextEncoder().encode(address).byteLength <= MAX_ADDRESS_OCTETS ? address : undefined;

/** A decision record before its decision: what is known of the mail once it is routed. */
export type RecordDraft = Omit<InboundMail, 'decision' | 'reason'>;

export function draftRecord(input: {
  id: string;
  now: string;
  mailbox: Mailbox;
  recipient: string;
  envelope: MailEnvelope;
  message?: ParsedMessage;
  /** Bytes of the raw mail, once read. */
  size?: number;
  replayOf?: InboundMail['replayOf'];
}): RecordDraft {
  const { envelope, message } = input;
  return {
    id: input.id,
    tenantId: input.mailbox.tenantId,
    version: 1,
    createdAt: input.now,
    updatedAt: input.now,
    mailboxId: input.mailbox.id,
    recipient: input.recipient,
    receiptId: envelope.receiptId,
    receivedAt: envelope.receivedAt,
    size: input.size ?? 0,
    sender: usableAddress(message?.from?.address) ?? usableAddress(envelope.mailFrom) ?? '',
    subject: message?.subject ?? '',
    ...(message?.messageId ? { messageId: message.messageId } : {}),
    verdicts: envelope.verdicts,
    attachments: [],
    ...(input.replayOf ? { replayOf: input.replayOf } : {}),
  };
}

export function decided(draft: RecordDraft, decision: Decision, reason: string): InboundMail {
  return { ...draft, decision, reason };
}

/** The event every decided mail publishes. */
export function processedEvent(mail: InboundMail, id: string, actor: SystemActor): DomainEvent {
  return {
    id,
    type: 'InboundEmailProcessed',
    source: 'fieldservice.mail',
    tenantId: mail.tenantId,
    occurredAt: mail.updatedAt,
    actorId: `${actor.system}:${actor.id}`,
    detail: {
      inboundMailId: mail.id,
      mailboxId: mail.mailboxId,
      decision: mail.decision,
      ...(mail.workOrderId ? { workOrderId: mail.workOrderId } : {}),
      ...(mail.thread ? { threadSignal: mail.thread.signal } : {}),
    },
  };
}

/** What a decided mail claims first: its receipt, or for a replay, the record it replays. */
export function receiptClaim(mail: Pick<InboundMail, 'receiptId' | 'replayOf'>): Omit<OnceClaim, 'refersTo'> {
  return mail.replayOf
    ? { kind: 'once', scope: CLAIM_SCOPES.replay, key: mail.replayOf.id }
    : { kind: 'once', scope: CLAIM_SCOPES.receipt, key: mail.receiptId };
}

/**
 * The claims every decided mail takes: its receipt (naming the record) and
 * its message (naming the work order of its thread). A replay claims no
 * message: the mail it replays claimed it.
 */
export function mailClaims(mail: InboundMail, key: string | undefined, workOrderId?: string): OnceClaim[] {
  return [
    { ...receiptClaim(mail), refersTo: mail.id },
    ...(key
      ? [
          {
            kind: 'once' as const,
            scope: CLAIM_SCOPES.message,
            key,
            ...(workOrderId ? { refersTo: workOrderId } : {}),
          },
        ]
      : []),
  ];
}

export const recordCompanion = (mail: InboundMail): Companion => ({
  aggregate: 'inbound-mail',
  entity: mail,
});
