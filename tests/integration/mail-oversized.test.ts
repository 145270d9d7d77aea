import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMail } from '../../functions/domain/inbound-mail/inbound-mail';
import type { WorkOrder } from '../../functions/domain/work-orders/work-order';
import { type MailStack, sesEnvelope, startMailStack } from '../helpers/mail-stack';
import { adminToken, createMailbox, type TestMailbox } from '../helpers/mailboxes';
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
/** An RFC 5322 line has at most 998 characters: what a record keeps of a subject, an id or a reason. */
const LINE = 998;
let stack: MailStack;
let box: TestMailbox;
const admin = () => adminToken(stack, TENANT);
let receipt = 0;

/**
 * Stores a raw mail as SES's S3 action does and invokes the handler as SES's
 * Lambda action does: its decision record, and how many DynamoDB requests the
 * handler made.
 */
async function receiveCounting(raw: string, mailFrom = SENDER) {
  const envelope = sesEnvelope({ receiptId: `oversized-${++receipt}`, recipients: [box.address], mailFrom });
  await stack.local.mailFolder.store(envelope.receiptId, Buffer.from(raw));
  let requests = 0;
  const { middlewareStack } = stack.api.table.client;
  middlewareStack.add(
    (next) => (args) => {
      requests++;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  try {
    await stack.invokeAsSes(envelope);
  } finally {
    middlewareStack.remove('countRequests');
  }
  const [record] = (await stack.decisions(TENANT, box.id)) as [InboundMail];
  expect(record.receiptId).toBe(envelope.receiptId);
  return { record, requests };
}

const receive = async (raw: string, mailFrom = SENDER) => (await receiveCounting(raw, mailFrom)).record;

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

/** A mail of many parts: a text, then the given files. */
function withFiles(files: { name?: string; type: string; content: string }[]): string {
  const head = mail({ subject: 'Files' }).split('\r\n\r\n')[0] as string;
  return [
    head.replace('Content-Type: text/plain; charset=utf-8', 'Content-Type: multipart/mixed; boundary="x"'),
    '',
    '--x',
    'Content-Type: text/plain',
    '',
    'The files.',
    ...files.flatMap((file) => [
      '--x',
      `Content-Type: ${file.type}`,
      `Content-Disposition: attachment${file.name ? `; filename="${file.name}"` : ''}`,
      '',
      file.content,
    ]),
    '--x--',
    '',
  ].join('\r\n');
}

async function workOrderOf(record: InboundMail) {
  const get = <T>(path: string) => stack.api.request<T>('GET', path, { token: admin() });
  return {
    workOrder: (await get<WorkOrder>(`/work-orders/${record.workOrderId}`)).body,
    attachments: (
      await get<{ items: { filename: string }[] }>(`/work-orders/${record.workOrderId}/attachments`)
    ).body.items,
    timeline: (
      await get<{ items: { kind: string; data?: Record<string, unknown> }[] }>(
        `/work-orders/${record.workOrderId}/records?limit=100`,
      )
    ).body.items,
  };
}

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

  it('a subject of 500 KB: the title and the record keep the start of it, and so does the comment of a reply', async () => {
    const subject = `Boiler ${'x'.repeat(500_000)}`;
    const created = await receive(mail({ subject }));
    expect(created.decision).toBe('created');
    expect(created.subject).toHaveLength(LINE);
    expect(created.subject.startsWith('Boiler xxx')).toBe(true);
    const { workOrder } = await workOrderOf(created);
    expect(workOrder.title.length).toBeLessThanOrEqual(200);
    const reply = await receive(mail({ subject, headers: [`In-Reply-To: ${created.messageId}`] }));
    expect(reply).toMatchObject({ decision: 'appended', workOrderId: created.workOrderId });
    const comment = (await workOrderOf(created)).timeline.find((r) => r.kind === 'comment');
    expect(String(comment?.data?.subject)).toHaveLength(LINE);
  });

  it('a Message-ID of 500 KB is kept in the record by its start', async () => {
    const record = await receive(mail({ messageId: `<${'i'.repeat(500_000)}@customer.example>` }));
    expect(record.decision).toBe('created');
    expect(record.messageId).toHaveLength(LINE);
  });

  it('an automatic header of 500 KB: ignored, the reason quoting the start of it', async () => {
    const record = await receive(mail({ headers: [`List-Id: <${'l'.repeat(500_000)}>`] }));
    expect(record.decision).toBe('ignored-automatic');
    expect(record.reason).toHaveLength(LINE);
    expect(record.automatic?.detail).toHaveLength(LINE);
  });

  it('4000 files: the first 25 kept, the record describes 100 and counts the rest, the timeline too', async () => {
    const files = Array.from({ length: 4000 }, () => ({ type: 'application/octet-stream', content: 'a' }));
    const record = await receive(withFiles(files));
    expect(record.decision).toBe('created');
    expect(record.attachments).toHaveLength(100);
    expect(record.moreAttachments).toBe(3900);
    expect(record.attachments.filter((a) => a.stored)).toHaveLength(25);
    const { attachments, timeline } = await workOrderOf(record);
    expect(attachments).toHaveLength(25);
    const created = timeline.find((r) => r.kind === 'created');
    expect(created?.data?.refusedAttachments).toHaveLength(25);
    expect(created?.data?.moreRefusedAttachments).toBe(3950);
  });

  it('a file name of 500 KB: the record and the work order keep its start', async () => {
    const name = `${'n'.repeat(500_000)}.pdf`;
    const record = await receive(withFiles([{ name, type: 'application/pdf', content: '%PDF-1.4' }]));
    expect(record.decision).toBe('created');
    expect(record.attachments[0]?.filename).toHaveLength(255);
    const { attachments } = await workOrderOf(record);
    expect(attachments[0]?.filename).toHaveLength(255);
  });

  it('thousands of X-Loop headers, or one longer than an address, are looked up a few times at most', async () => {
    const long = await receive(mail({ headers: [`X-Loop: ${'x'.repeat(3000)}@oversized.example`] }));
    expect(long.decision).toBe('created');
    const plain = await receiveCounting(mail({}));
    const loops = Array.from({ length: 5000 }, (_, i) => `X-Loop: desk-${i}@elsewhere.example`);
    const many = await receiveCounting(mail({ headers: loops }));
    expect(many.record.decision).toBe('created');
    expect(many.requests).toBeLessThan(plain.requests + 20);
  });

  it('a subject tag too long for a number, or thousands of tags, are looked up a few times at most', async () => {
    const long = await receive(mail({ subject: `Re: [WO-2026-${'1'.repeat(3000)}]` }));
    expect(long.decision).toBe('created');
    const plain = await receiveCounting(mail({}));
    // Numbers of a year without work orders: none of them is a thread.
    const tags = Array.from({ length: 20_000 }, (_, i) => `[WO-2001-${String(i + 1).padStart(6, '0')}]`);
    const many = await receiveCounting(mail({ subject: tags.join(' ') }));
    expect(many.record.decision).toBe('created');
    expect(many.requests).toBeLessThan(plain.requests + 20);
  });
});
