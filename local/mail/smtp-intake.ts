import { randomBytes } from 'node:crypto';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import type { MailEnvelope } from '../../functions/domain/inbound-mail/message';
import { withoutReplyToken } from '../../functions/domain/inbound-mail/threading';
import { type SesMailEvent, sesEventOf } from '../../functions/handlers/mail/ses-event';
import type { FunctionLogger } from '../../functions/shared/logger';

/** SES refuses larger mails (headers included, after encoding). */
export const MAX_MAIL_BYTES = 40 * 1024 * 1024;

export interface SmtpIntakeOptions {
  host?: string;
  /** 0 takes a free port. */
  port: number;
  /** Whether an address (without reply token) is a mailbox: others are refused at RCPT with 550. */
  isMailbox(address: string): Promise<boolean>;
  /** Keeps the raw mail where the handler reads it (SES's S3 action). */
  store(receiptId: string, raw: Uint8Array): Promise<void>;
  /** The inbound handler, given an SES-shaped event (SES's Lambda action, invocation type Event). */
  deliver(event: SesMailEvent): Promise<unknown>;
  /** A delivery that failed (Lambda's on-failure destination). */
  failed(event: SesMailEvent, error: unknown): Promise<void>;
  logger: FunctionLogger;
  now?: () => Date;
}

export interface SmtpIntake {
  port: number;
  /** Deliveries still running: the tests and the bench wait for them before they stop. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** An id shaped as SES's messageIds are (lowercase letters and digits). */
const receiptId = () => randomBytes(20).toString('hex').slice(0, 32);

/**
 * SES inbound on this machine: an SMTP server that takes mail for the
 * mailboxes, refuses other recipients at RCPT (in AWS the rule takes the whole
 * domain and the handler counts mail for no mailbox), keeps the raw mail as
 * the S3 action does, answers 250, and then hands the handler an SES-shaped
 * event, as SES invokes the function asynchronously after storing.
 */
export async function startSmtpIntake(options: SmtpIntakeOptions): Promise<SmtpIntake> {
  const now = options.now ?? (() => new Date());
  const running = new Set<Promise<void>>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MAIL_BYTES,
    banner: 'field service local mail intake',
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const recipient = address.address.toLowerCase();
      options
        .isMailbox(withoutReplyToken(recipient))
        .then((known) =>
          callback(known ? null : Object.assign(new Error(`No mailbox ${recipient}`), { responseCode: 550 })),
        )
        .catch((error: unknown) =>
          callback(
            Object.assign(new Error(`Mailbox lookup failed: ${String(error)}`), { responseCode: 451 }),
          ),
        );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          return callback(Object.assign(new Error('Message exceeds 40 MB'), { responseCode: 552 }));
        }
        const raw = Buffer.concat(chunks);
        const envelope: MailEnvelope = {
          receiptId: receiptId(),
          recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : '',
          // Nothing scans mail here: every verdict passes.
          verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
          receivedAt: now().toISOString(),
        };
        options
          .store(envelope.receiptId, raw)
          .then(() => {
            callback(null, `Ok: queued as ${envelope.receiptId}`);
            const delivery = deliver(sesEventOf(envelope));
            running.add(delivery);
            void delivery.finally(() => running.delete(delivery));
          })
          .catch((error: unknown) =>
            callback(Object.assign(new Error(String(error)), { responseCode: 451 })),
          );
      });
    },
  });

  async function deliver(event: SesMailEvent): Promise<void> {
    try {
      await options.deliver(event);
    } catch (error) {
      options.logger.error('inbound mail failed; kept for re-drive', {
        receiptId: event.Records[0]?.ses.mail.messageId,
        error,
      });
      await options.failed(event, error).catch(() => undefined);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    idle: async () => {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
