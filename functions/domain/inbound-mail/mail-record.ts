import type { SystemActor } from '../access/actor';
import type { DomainEvent } from '../shared/events';
import type { Companion, OnceClaim } from '../shared/ports';
import type { InboundEmailProcessedDetail } from './events';
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
  /** The Message-ID of a replayed mail that changed a work order (its own claim names nothing). */
  replayedMessage: 'replayed-message-id',
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

/**
 * What a decision record keeps of a mail's own words is bounded: the record
 * is one DynamoDB item (400 KB), and one header of a mail may hold a megabyte.
 * The raw mail keeps all of it.
 */
export const RECORD_LIMITS = {
  /** A subject, Message-ID, reason or matched thread signal: an RFC 5322 line has at most 998 characters. */
  line: 998,
  /** A file name, as work orders list it. */
  filename: 255,
  /** Files described one by one; those past it are counted in `moreAttachments`. */
  files: 100,
} as const;

/** The text cut to at most `max` characters, the cut marked with an ellipsis. */
export function clipped(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never between the two halves of a surrogate pair.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 2)) ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

/** RFC 5321 allows an address 254 octets: a longer one reaches nobody, and would not fit in a claim's key. */
const MAX_ADDRESS_OCTETS = 254;

/** The address, if it is one a mail system could deliver to (at most 254 octets). */
export const usableAddress = (address: string | undefined) =>
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
    subject: clipped(message?.subject ?? '', RECORD_LIMITS.line),
    ...(message?.messageId ? { messageId: clipped(message.messageId, RECORD_LIMITS.line) } : {}),
    verdicts: envelope.verdicts,
    attachments: [],
    ...(input.replayOf ? { replayOf: input.replayOf } : {}),
  };
}

/** The record of a decision, each text of the mail it quotes within the record's limits. */
export function decided(draft: RecordDraft, decision: Decision, reason: string): InboundMail {
  const { automatic, thread, attachments } = draft;
  const unlisted = attachments.length - RECORD_LIMITS.files;
  return {
    ...draft,
    decision,
    reason: clipped(reason, RECORD_LIMITS.line),
    ...(automatic
      ? { automatic: { ...automatic, detail: clipped(automatic.detail, RECORD_LIMITS.line) } }
      : {}),
    ...(thread ? { thread: { ...thread, value: clipped(thread.value, RECORD_LIMITS.line) } } : {}),
    attachments: attachments.slice(0, RECORD_LIMITS.files),
    ...(unlisted > 0 ? { moreAttachments: unlisted } : {}),
  };
}

/** The event every decided mail publishes. */
export function processedEvent(
  mail: InboundMail,
  id: string,
  actor: SystemActor,
): DomainEvent<InboundEmailProcessedDetail> {
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
export function mailClaims(
  mail: InboundMail,
  key: string | undefined,
  workOrderId?: string,
  /** For a replay that changes a work order: the message's key, so replies to it find that work order. */
  threadKey?: string,
): OnceClaim[] {
  return [
    { ...receiptClaim(mail), refersTo: mail.id },
    ...(threadKey && workOrderId
      ? [
          {
            kind: 'once' as const,
            scope: CLAIM_SCOPES.replayedMessage,
            key: threadKey,
            refersTo: workOrderId,
          },
        ]
      : []),
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
