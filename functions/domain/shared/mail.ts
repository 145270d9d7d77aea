/** One e-mail we send. Addresses are `a@b.example` or `Display Name <a@b.example>`. */
export interface OutgoingMail {
  from: string;
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html?: string;
  /** Extra header fields, e.g. `Auto-Submitted` and `X-Loop` (see `automaticMailHeaders`). */
  headers?: Record<string, string>;
  /** Where replies go, when not to `from` (a mailbox address with a reply token). */
  replyTo?: string;
  /** Message-ID (with angle brackets) of the mail this one answers. */
  inReplyTo?: string;
  /** Message-IDs of the thread, oldest first. */
  references?: string[];
}

/**
 * Outbound mail: SES in AWS, `.eml` files in the local outbox folder. Used for
 * forwarded work orders, reminders and (later) e-mail acknowledgements.
 */
export interface OutboundMail {
  /** Resolves with the Message-ID (angle brackets included) the mail carries as delivered. */
  send(message: OutgoingMail): Promise<{ messageId: string }>;
}

/**
 * Headers every mail we send automatically carries, so that auto-responders
 * leave it alone (RFC 3834) and our inbound flow recognises it when it comes
 * back: `auto-generated` for notifications, `auto-replied` for acknowledgements.
 */
export function automaticMailHeaders(
  mailbox: string,
  kind: 'auto-generated' | 'auto-replied' = 'auto-generated',
): Record<string, string> {
  return { 'Auto-Submitted': kind, 'X-Loop': addressOf(mailbox) };
}

/** The bare address of `Name <a@b>` or `a@b`. */
export function addressOf(mailbox: string): string {
  const angle = /<([^<>\s]+)>\s*$/.exec(mailbox);
  return (angle?.[1] ?? mailbox).trim();
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every value that goes into an HTML mail or page goes through here. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
