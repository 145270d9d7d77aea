import * as z from 'zod/mini';
import type { MailEnvelope, Verdict } from '../../domain/inbound-mail/message';

const VERDICTS = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED'] as const;
const verdict = z.optional(z.object({ status: z.enum(VERDICTS) }));

/**
 * The event SES's Lambda action delivers (receipt rule, invocation type
 * `Event`). It never carries the body: the raw mail is in the bucket,
 * named by `mail.messageId`, put there by the rule's S3 action before.
 */
export const sesMailEvent = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:ses'),
        ses: z.object({
          mail: z.object({
            timestamp: z.string(),
            source: z.string(),
            messageId: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,200}$/, 'Not an SES messageId')),
          }),
          receipt: z.object({
            timestamp: z.string(),
            recipients: z.array(z.string()).check(z.minLength(1)),
            spamVerdict: verdict,
            virusVerdict: verdict,
            spfVerdict: verdict,
            dkimVerdict: verdict,
            dmarcVerdict: verdict,
          }),
        }),
      }),
    )
    .check(z.minLength(1)),
});

export type SesMailEvent = z.infer<typeof sesMailEvent>;
type SesRecord = SesMailEvent['Records'][number];

const status = (v: { status: Verdict } | undefined): Verdict => v?.status ?? 'DISABLED';

/** What the receiving side knew, from one SES record. */
export function envelopeOf(record: SesRecord): MailEnvelope {
  const { mail, receipt } = record.ses;
  const source = mail.source.trim().toLowerCase();
  return {
    receiptId: mail.messageId,
    recipients: receipt.recipients.map((r) => r.trim().toLowerCase()),
    mailFrom: source === '<>' ? '' : source,
    verdicts: {
      spam: status(receipt.spamVerdict),
      virus: status(receipt.virusVerdict),
      spf: status(receipt.spfVerdict),
      dkim: status(receipt.dkimVerdict),
      dmarc: status(receipt.dmarcVerdict),
    },
    receivedAt: new Date(receipt.timestamp).toISOString(),
  };
}

/** An SES-shaped event for one mail: what the local SMTP intake hands the same handler. */
export function sesEventOf(envelope: MailEnvelope): SesMailEvent {
  const verdicts = envelope.verdicts;
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        ses: {
          mail: {
            timestamp: envelope.receivedAt,
            source: envelope.mailFrom || '<>',
            messageId: envelope.receiptId,
          },
          receipt: {
            timestamp: envelope.receivedAt,
            recipients: envelope.recipients,
            spamVerdict: { status: verdicts.spam },
            virusVerdict: { status: verdicts.virus },
            spfVerdict: { status: verdicts.spf },
            dkimVerdict: { status: verdicts.dkim },
            dmarcVerdict: { status: verdicts.dmarc },
          },
        },
      },
    ],
  };
}
