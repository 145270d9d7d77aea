import * as z from 'zod/mini';
import type { Entity } from '../shared/entity';
import { entityFields } from '../shared/schema';
import type { AutomaticSignal } from './automatic';
import type { Verdicts } from './message';

/** What became of one inbound mail. */
export const DECISIONS = [
  'created',
  'appended',
  'reopened',
  'linked-new',
  'ignored-automatic',
  'ignored-rule',
  'ignored-duplicate',
  'held-unknown-sender',
  'held-rate-cap',
  'quarantined-verdict',
  'quarantined-unparseable',
] as const;
export type Decision = (typeof DECISIONS)[number];

/** Decisions that changed a work order (and may be acknowledged). */
export const WORK_ORDER_DECISIONS: readonly Decision[] = ['created', 'appended', 'reopened', 'linked-new'];

/** Which signal tied a mail to the thread of a work order. */
export type ThreadSignal = 'in-reply-to' | 'references' | 'reply-token' | 'subject-tag';

export interface ThreadMatch {
  signal: ThreadSignal;
  /** The Message-ID, token or tag that matched. */
  value: string;
  workOrderId: string;
}

export interface AttachmentOutcome {
  filename: string | null;
  mimeType: string;
  size: number;
  inline: boolean;
  /** Stored and listed on the work order; otherwise `refused` says why. */
  stored: boolean;
  refused?: string;
  attachmentId?: string;
}

export interface AcknowledgementOutcome {
  outcome: 'sent' | 'already-sent' | 'skipped';
  reason?: string;
  messageId?: string;
}

/**
 * The decision record of one inbound mail: what it was, what it became and
 * why. Admins list and read it; a replay compares against it.
 */
export interface InboundMail extends Entity {
  mailboxId: string;
  /**
   * The envelope recipient that reached the mailbox, with the reply token it
   * carried, if any: a replay finds the thread by it again.
   */
  recipient: string;
  /** SES's messageId (the raw mail's key in the store). */
  receiptId: string;
  receivedAt: string;
  size: number;
  /**
   * The sender's address (From, else the envelope sender); '' when neither
   * names one of at most 254 octets.
   */
  sender: string;
  subject: string;
  messageId?: string;
  decision: Decision;
  /** One sentence a person understands, e.g. `Auto-Submitted: auto-replied`. */
  reason: string;
  rule?: { index: number; name: string; because: string[] };
  /** Rule conditions whose pattern ran out of time (and so did not hold), e.g. `rule 2, subject matches "…"`. */
  patternTimeouts?: string[];
  thread?: ThreadMatch;
  automatic?: AutomaticSignal;
  verdicts: Verdicts;
  workOrderId?: string;
  workOrderNumber?: string;
  /** For `linked-new`: the closed work order the reply was to. */
  previousWorkOrderId?: string;
  /** The contact the sender was matched to (or created as). */
  contactId?: string;
  /** The files of the mail, the first 100 of them. */
  attachments: AttachmentOutcome[];
  /** How many files the mail had past those described in `attachments`. */
  moreAttachments?: number;
  acknowledgement?: AcknowledgementOutcome;
  /** Set by a replay: the record it replays and the decision that one had. */
  replayOf?: { id: string; decision: Decision };
}

const verdict = z.enum(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']);

/** A decision record as the API shows it. */
export const inboundMailSchema = z.object({
  ...entityFields,
  mailboxId: z.string(),
  recipient: z.string(),
  receiptId: z.string(),
  receivedAt: z.string(),
  size: z.int(),
  sender: z.string(),
  subject: z.string(),
  messageId: z.optional(z.string()),
  decision: z.enum(DECISIONS),
  reason: z.string(),
  rule: z.optional(z.object({ index: z.int(), name: z.string(), because: z.array(z.string()) })),
  patternTimeouts: z.optional(z.array(z.string())),
  thread: z.optional(
    z.object({
      signal: z.enum(['in-reply-to', 'references', 'reply-token', 'subject-tag']),
      value: z.string(),
      workOrderId: z.string(),
    }),
  ),
  automatic: z.optional(z.object({ kind: z.string(), detail: z.string() })),
  verdicts: z.object({ spam: verdict, virus: verdict, spf: verdict, dkim: verdict, dmarc: verdict }),
  workOrderId: z.optional(z.string()),
  workOrderNumber: z.optional(z.string()),
  previousWorkOrderId: z.optional(z.string()),
  contactId: z.optional(z.string()),
  attachments: z.array(
    z.object({
      filename: z.nullable(z.string()),
      mimeType: z.string(),
      size: z.int(),
      inline: z.boolean(),
      stored: z.boolean(),
      refused: z.optional(z.string()),
      attachmentId: z.optional(z.string()),
    }),
  ),
  moreAttachments: z.optional(z.int()),
  acknowledgement: z.optional(
    z.object({
      outcome: z.enum(['sent', 'already-sent', 'skipped']),
      reason: z.optional(z.string()),
      messageId: z.optional(z.string()),
    }),
  ),
  replayOf: z.optional(z.object({ id: z.string(), decision: z.enum(DECISIONS) })),
});
