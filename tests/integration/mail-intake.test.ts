import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMail } from '../../functions/domain/inbound-mail/inbound-mail';
import type { WorkOrder } from '../../functions/domain/work-orders/work-order';
import { type MailStack, startMailStack } from '../helpers/mail-stack';

let stack: MailStack;
const TENANT = 'mailco';
const MAILBOX = 'service@mailco.example';
let mailboxId: string;
const admin = () => stack.api.token(TENANT, 'admin', 'crm-admin');

function mail(options: {
  from: string;
  subject: string;
  body: string;
  messageId: string;
  headers?: string[];
}) {
  return [
    `From: Customer <${options.from}>`,
    `To: ${MAILBOX}`,
    `Subject: ${options.subject}`,
    `Message-ID: ${options.messageId}`,
    'Date: Wed, 02 Dec 2026 08:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...(options.headers ?? []),
    '',
    options.body,
    '',
  ].join('\r\n');
}

beforeAll(async () => {
  stack = await startMailStack();
  await stack.api.createTenant(TENANT);
  const created = await stack.api.request<{ id: string }>('POST', '/mailboxes', {
    token: admin(),
    body: { address: MAILBOX, displayName: 'Mailco Service' },
  });
  expect(created.status).toBe(201);
  mailboxId = created.body.id;
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe('a customer mails the service mailbox', () => {
  it('becomes a work order with the subject as title, and the customer gets one acknowledgement', async () => {
    await stack.send(
      mail({
        from: 'anna@customer.example',
        subject: 'Boiler leaking',
        body: 'Water under the boiler.',
        messageId: '<m1@customer.example>',
      }),
      { from: 'anna@customer.example', to: MAILBOX },
    );
    const [decision] = (await stack.awaitDecisions(TENANT, mailboxId, 1)) as [InboundMail];
    expect(decision).toMatchObject({
      decision: 'created',
      sender: 'anna@customer.example',
      subject: 'Boiler leaking',
    });
    const order = await stack.api.request<WorkOrder>('GET', `/work-orders/${decision.workOrderId}`, {
      token: admin(),
    });
    expect(order.body).toMatchObject({
      title: 'Boiler leaking',
      description: 'Water under the boiler.',
      channel: 'email',
    });
    await stack.smtp.idle();
    const acks = stack.outbox();
    expect(acks).toHaveLength(1);
    const ack = acks[0] as string;
    expect(ack).toMatch(/^In-Reply-To: <m1@customer\.example>/m);
    expect(ack).toMatch(/^Auto-Submitted: auto-replied/m);
    expect(ack).toMatch(new RegExp(`^X-Loop: ${MAILBOX}`, 'm'));
    expect(ack).toMatch(/^Reply-To: service\+[0-9a-z]+-[a-z2-7]{16}@mailco\.example/m);
    expect(ack).toContain(order.body.number);
  });
});
