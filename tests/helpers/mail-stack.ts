import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { InboundMail } from '../../functions/domain/inbound-mail/inbound-mail';
import type { MailEnvelope, Verdicts } from '../../functions/domain/inbound-mail/message';
import { createInboundMailHandler } from '../../functions/handlers/mail/inbound-mail';
import { sesEventOf } from '../../functions/handlers/mail/ses-event';
import { createLogger } from '../../functions/shared/logger';
import { startLocalMailIntake } from '../../local/mail/inbound';
import type { SmtpIntake } from '../../local/mail/smtp-intake';
import { type LocalApplication, localApplication } from '../../local/mail/work-order-actions';
import { pollUntil } from '../../local/poll';
import { startApiFor, type TestApi } from './api';
import { freshTable } from './table';

export interface MailStack {
  api: TestApi;
  local: LocalApplication;
  smtp: SmtpIntake;
  stateDir: string;
  /** Sends raw bytes over SMTP on loopback with this envelope. */
  send(raw: Buffer | string, envelope: { from: string; to: string | string[] }): Promise<void>;
  /** Decision records of a mailbox, newest first, as the API shows them to a CRM admin. */
  decisions(tenantId: string, mailboxId: string): Promise<InboundMail[]>;
  /** Polls until the mailbox has `count` decision records (or fails after the timeout). */
  awaitDecisions(tenantId: string, mailboxId: string, count: number): Promise<InboundMail[]>;
  /**
   * Sends one mail and waits for its decision record and for the end of its
   * delivery (the acknowledgement included): the mailbox's newest record.
   */
  deliver(
    raw: Buffer | string,
    envelope: { from: string; to: string },
    mailbox: { tenantId: string; mailboxId: string },
  ): Promise<InboundMail>;
  /** The inbound handler invoked as SES invokes it (the raw mail must be in the mail folder already). */
  invokeAsSes(envelope: MailEnvelope): Promise<unknown>;
  /** The `.eml` files sent so far, oldest first. */
  outbox(): string[];
  close(): Promise<void>;
}

const quiet = createLogger({}, () => undefined);

/** An envelope as SES reports it for a mail received now; every verdict passes unless given. */
export function sesEnvelope(fields: {
  receiptId: string;
  recipients: string[];
  mailFrom: string;
  verdicts?: Partial<Verdicts>;
}): MailEnvelope {
  return {
    ...fields,
    verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', ...fields.verdicts },
    receivedAt: new Date().toISOString(),
  };
}

/**
 * The mail flow as `npm start` runs it: the local application on a fresh
 * table, the API on a loopback port, and the SMTP intake in front of the
 * inbound handler, with its own state folder (mail bucket, outbox).
 */
export async function startMailStack(): Promise<MailStack> {
  const table = await freshTable('mail');
  const stateDir = mkdtempSync(join(tmpdir(), 'mail-stack-'));
  let apiUrl = 'http://127.0.0.1';
  const local = localApplication({
    table,
    stateDir,
    logger: quiet,
    persistSchedules: false,
    apiUrl: () => apiUrl,
  });
  const api = await startApiFor(local.app, table, { bucket: local.mailFolder });
  apiUrl = api.url;
  const smtp = await startLocalMailIntake(local, { port: 0, stateDir, logger: quiet });
  const handler = createInboundMailHandler(() => local.app.mailIntake.intake(), quiet);
  const transport = createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });

  const decisions = async (tenantId: string, mailboxId: string) => {
    const response = await api.request<{ items: InboundMail[] }>(
      'GET',
      `/inbound-mails?mailboxId=${mailboxId}&limit=100`,
      { token: api.token(tenantId, 'admin', 'crm-admin') },
    );
    if (response.status !== 200) throw new Error(`GET /inbound-mails: ${response.status}`);
    return response.body.items;
  };

  const send = async (raw: Buffer | string, envelope: { from: string; to: string | string[] }) => {
    await transport.sendMail({
      envelope: { from: envelope.from, to: envelope.to },
      raw: typeof raw === 'string' ? Buffer.from(raw) : raw,
    });
  };
  const awaitDecisions = (tenantId: string, mailboxId: string, count: number) =>
    pollUntil(
      async () => {
        const items = await decisions(tenantId, mailboxId);
        return items.length >= count ? items : undefined;
      },
      { timeoutMs: 30_000, what: `${count} decisions of mailbox ${mailboxId}` },
    );

  return {
    api,
    local,
    smtp,
    stateDir,
    send,
    decisions,
    awaitDecisions,
    deliver: async (raw, envelope, { tenantId, mailboxId }) => {
      const before = (await decisions(tenantId, mailboxId)).length;
      await send(raw, envelope);
      await awaitDecisions(tenantId, mailboxId, before + 1);
      await smtp.idle();
      return (await decisions(tenantId, mailboxId))[0] as InboundMail;
    },
    invokeAsSes: (envelope) => handler(sesEventOf(envelope)),
    outbox: () =>
      readdirSync(local.outbox.dir)
        .filter((file) => file.endsWith('.eml'))
        .sort()
        .map((file) => readFileSync(join(local.outbox.dir, file), 'utf8')),
    close: async () => {
      transport.close();
      await smtp.idle();
      await smtp.stop();
      await api.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
