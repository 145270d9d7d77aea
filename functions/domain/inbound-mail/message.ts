/**
 * An inbound mail as the domain sees it: what the envelope said (from SES or
 * the local SMTP intake) and what the message says once parsed. The parser
 * (functions/adapters/mail/parse-mail.ts) builds `ParsedMessage`; nothing
 * here knows about MIME.
 */

/** One header field; the name lowercased, the value unfolded and not decoded. */
export interface HeaderField {
  name: string;
  value: string;
}

export interface MailAddress {
  /** Lowercased `local@domain`. */
  address: string;
  /** Decoded display name, '' when there is none. */
  name: string;
}

export interface ParsedAttachment {
  /** Decoded file name; null when the part names none. */
  filename: string | null;
  /** Lowercased MIME type, e.g. `application/pdf`. */
  mimeType: string;
  /** Bytes of the decoded content. */
  size: number;
  /** Shown inside the message (a signature's logo), not attached by the sender. */
  inline: boolean;
  /** Content-ID, angle brackets included, when the part has one. */
  contentId?: string;
  content: Uint8Array;
}

export interface ParsedMessage {
  /** Every header field of the top-level part, in order, duplicates included. */
  headers: HeaderField[];
  /** The first `From` mailbox; undefined when the header is missing or holds no address. */
  from?: MailAddress;
  replyTo: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  /** Decoded subject, '' when there is none. */
  subject: string;
  /** `Message-ID`, angle brackets included; undefined when missing. */
  messageId?: string;
  /** Message-IDs of `In-Reply-To`, angle brackets included. */
  inReplyTo: string[];
  /** Message-IDs of `References`, oldest first, angle brackets included. */
  references: string[];
  /** `Date` as an ISO time; undefined when missing or not a date. */
  date?: string;
  /** Lowercased top-level MIME type, e.g. `multipart/report`. */
  contentType: string;
  /** The whole text body; an HTML-only mail converted to text. */
  text: string;
  /** The text with quoted history and signatures stripped: what the sender wrote this time. */
  reply: string;
  attachments: ParsedAttachment[];
}

/** A parse that failed: the raw mail is kept and quarantined with this reason. */
export interface UnparseableMessage {
  error: string;
}

/** The SES receipt verdicts (`PASS`, `FAIL`, `GRAY`, `PROCESSING_FAILED`, `DISABLED`). */
export type Verdict = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED' | 'DISABLED';

export interface Verdicts {
  spam: Verdict;
  virus: Verdict;
  spf: Verdict;
  dkim: Verdict;
  dmarc: Verdict;
}

/** What the receiving side knows before the message is read. */
export interface MailEnvelope {
  /** SES's messageId (locally, the SMTP intake's queue id): also the raw mail's object key. */
  receiptId: string;
  /** Envelope recipients (RCPT TO), lowercased; the first that is a mailbox decides the tenant. */
  recipients: string[];
  /** Envelope sender (MAIL FROM), lowercased; '' for the null sender `<>`. */
  mailFrom: string;
  verdicts: Verdicts;
  /** When the mail was received, ISO time. */
  receivedAt: string;
}
