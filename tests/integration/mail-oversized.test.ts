import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMail } from '../../functions/domain/inbound-mail/inbound-mail';
import type { MailEnvelope } from '../../functions/domain/inbound-mail/message';
import { createInboundMailHandler } from '../../functions/handlers/mail/inbound-mail';
import { sesEventOf } from '../../functions/handlers/mail/ses-event';
import { createLogger } from '../../functions/shared/logger';
import { type MailStack, startMailStack } from '../helpers/mail-stack';
import { createMailbox, type TestMailbox } from '../helpers/mailboxes';
import { plainMail } from '../helpers/mails';

/*
 * The handler never fails on what a mail says. A header may hold up to a
 * megabyte (the parser's limit), but a decision record is one DynamoDB item
 * (400 KB) and a claim's key one sort key (1 KB): whatever a mail carries
 * past that is bounded before it is stored, and the raw mail keeps it whole.
 * Each mail goes to the handler as SES invokes it, so a failure fails the test
 * at once instead of ending in the re-drive folder.
 */

const TENANT = 'oversized';
const SENDER = 'anna@customer.example';
let stack: MailStack;
let box: TestMailbox;
let receipt = 0;

/** Stores a raw mail as SES's S3 action does and invokes the handler as SES's Lambda action does. */
async function receive(raw: string, mailFrom = SENDER): Promise<InboundMail> {
  const envelope: MailEnvelope = {
    receiptId: `oversized-${++receipt}`,
    recipients: [box.address],
    mailFrom,
    verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
    receivedAt: new Date().toISOString(),
  };
  await stack.local.mailFolder.store(envelope.receiptId, Buffer.from(raw));
  const handler = createInboundMailHandler(
    () => stack.local.app.mailIntake.intake(),
    createLogger({}, () => undefined),
  );
  await handler(sesEventOf(envelope));
  const [record] = (await stack.decisions(TENANT, box.id)) as [InboundMail];
  expect(record.receiptId).toBe(envelope.receiptId);
  return record;
}

let sequence = 0;
const mail = (options: { subject?: string; messageId?: string; from?: string; headers?: string[] }) =>
  plainMail({
    from: options.from ?? `Anna <${SENDER}>`,
    to: box.address,
    subject: options.subject ?? 'Boiler leaking',
    body: 'Water under the boiler.',
    messageId: options.messageId ?? `<oversized-${++sequence}@customer.example>`,
    ...(options.headers ? { headers: options.headers } : {}),
  });

beforeAll(async () => {
  stack = await startMailStack();
  await stack.api.createTenant(TENANT);
  box = await createMailbox(stack, TENANT, 'service@oversized.example');
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe('a mail with more in a header than the store holds is decided all the same', () => {
  it('a Message-ID longer than a key: claimed once, a resend is a duplicate, a reply to it finds its thread', async () => {
    const id = `<${'m'.repeat(1500)}@customer.example>`;
    const raw = mail({ messageId: id });
    const first = await receive(raw);
    expect(first.decision).toBe('created');
    const resent = await receive(raw);
    expect(resent).toMatchObject({ decision: 'ignored-duplicate', workOrderId: first.workOrderId });
    const reply = await receive(mail({ subject: 'Re: Boiler leaking', headers: [`In-Reply-To: ${id}`] }));
    expect(reply).toMatchObject({
      decision: 'appended',
      thread: { signal: 'in-reply-to' },
      workOrderId: first.workOrderId,
    });
    const stranger = `<${'r'.repeat(1500)}@customer.example>`;
    const unknown = await receive(mail({ subject: 'Another', headers: [`References: ${stranger}`] }));
    expect(unknown.decision).toBe('created');
  });

  it('a sender address longer than any address is none: the mail is held, or the envelope sender taken', async () => {
    const long = `${'s'.repeat(1500)}@customer.example`;
    const held = await receive(mail({ from: `Long <${long}>` }), long);
    expect(held).toMatchObject({
      decision: 'held-unknown-sender',
      sender: '',
      reason: 'The mail names no sender address',
    });
    const fallback = await receive(mail({ from: `Long <${long}>` }));
    expect(fallback).toMatchObject({ decision: 'created', sender: SENDER });
  });
});
