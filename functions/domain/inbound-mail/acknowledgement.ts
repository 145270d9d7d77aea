import type { MailContent } from '../work-orders/mail-once';
import type { WorkOrder } from '../work-orders/work-order';
import { type Mailbox, settingsOf } from './mailbox';
import type { ParsedMessage } from './message';
import { withReplyToken } from './threading';

/** Placeholders of the acknowledgement templates. */
function fill(template: string, values: Record<'number' | 'title' | 'mailbox', string>): string {
  return template.replace(/\{(number|title|mailbox)\}/g, (_, name: keyof typeof values) => values[name]);
}

/** How many Message-IDs of the thread an acknowledgement carries in `References` (RFC 5322 allows trimming). */
const MAX_REFERENCES = 20;

/**
 * The acknowledgement of a mail that created or updated a work order: from
 * the mailbox, the number in the subject, threaded to the mail it answers,
 * replies going to the mailbox with the signed reply token. The automatic-mail
 * headers (`Auto-Submitted: auto-replied`, `X-Loop`) are added when it is sent.
 */
export function acknowledgementOf(input: {
  mailbox: Mailbox;
  workOrder: WorkOrder;
  message: ParsedMessage;
  to: string;
  replyToken: string;
}): MailContent {
  const { mailbox, workOrder, message } = input;
  const { acknowledgement } = settingsOf(mailbox);
  const values = {
    number: workOrder.number,
    title: workOrder.title,
    mailbox: mailbox.displayName ?? mailbox.address,
  };
  const subject = fill(acknowledgement.subject, values);
  const references = [...message.references, ...(message.messageId ? [message.messageId] : [])].slice(
    -MAX_REFERENCES,
  );
  return {
    to: [input.to],
    // The number is what the subject tag signal looks for when the other signals are lost.
    subject: subject.includes(workOrder.number) ? subject : `${subject} [${workOrder.number}]`,
    text: fill(acknowledgement.body, values),
    replyTo: withReplyToken(mailbox.address, input.replyToken),
    ...(message.messageId ? { inReplyTo: message.messageId } : {}),
    ...(references.length > 0 ? { references } : {}),
  };
}
