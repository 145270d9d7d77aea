import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import { inboundEmailProcessedDetail } from '../../functions/domain/inbound-mail/events';
import type { InboundMail } from '../../functions/domain/inbound-mail/inbound-mail';
import type { DomainEvent } from '../../functions/domain/shared/events';
import type { WorkOrder } from '../../functions/domain/work-orders/work-order';
import { type MailStack, startMailStack } from '../helpers/mail-stack';
import { plainMail } from '../helpers/mails';

let stack: MailStack;
const TENANT = 'mailco';
const MAILBOX = 'service@mailco.example';
let mailboxId: string;
const admin = () => stack.api.token(TENANT, 'admin', 'crm-admin');

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
      plainMail({
        from: 'Customer <anna@customer.example>',
        to: MAILBOX,
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

describe('what a decided mail leaves behind', () => {
  it('publishes InboundEmailProcessed with the decision, in the transaction of the change', async () => {
    const items = await stack.api.table.client.send(
      new QueryCommand({
        TableName: stack.api.table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.outboxEvent(TENANT, 'x').pk },
      }),
    );
    const processed = (items.Items ?? [])
      .map((item) => item.event as DomainEvent)
      .filter((event) => event.type === 'InboundEmailProcessed');
    expect(processed.length).toBeGreaterThan(0);
    for (const event of processed) {
      expect(event.source).toBe('fieldservice.mail');
      expect(inboundEmailProcessedDetail.parse(event.detail).mailboxId).toBe(mailboxId);
    }
    const created = processed.find((e) => e.detail.decision === 'created');
    expect(created?.detail.workOrderId).toBeDefined();
  });

  it('takes a 40 MB mail (SES limit): the work order is made, the oversized file refused with its reason', async () => {
    const big = Buffer.alloc(29 * 1024 * 1024, 7);
    const boundary = 'big-boundary';
    const raw = Buffer.concat([
      Buffer.from(
        [
          'From: Dora <dora@customer.example>',
          `To: ${MAILBOX}`,
          'Subject: Site photos',
          'Message-ID: <big-1@customer.example>',
          'MIME-Version: 1.0',
          `Content-Type: multipart/mixed; boundary="${boundary}"`,
          '',
          `--${boundary}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          'The photos of the site are attached.',
          `--${boundary}`,
          'Content-Type: application/octet-stream; name="site.bin"',
          'Content-Disposition: attachment; filename="site.bin"',
          'Content-Transfer-Encoding: base64',
          '',
          '',
        ].join('\r\n'),
      ),
      Buffer.from(big.toString('base64').replace(/.{76}/g, '$&\r\n')),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    expect(raw.byteLength).toBeGreaterThan(38 * 1024 * 1024);
    const before = (await stack.decisions(TENANT, mailboxId)).length;
    await stack.send(raw, { from: 'dora@customer.example', to: MAILBOX });
    await stack.awaitDecisions(TENANT, mailboxId, before + 1);
    await stack.smtp.idle();
    const [decision] = (await stack.decisions(TENANT, mailboxId)) as [InboundMail];
    expect(decision).toMatchObject({ decision: 'created', subject: 'Site photos' });
    expect(decision.size).toBe(raw.byteLength);
    expect(decision.attachments).toEqual([
      expect.objectContaining({ filename: 'site.bin', size: big.byteLength, stored: false }),
    ]);
    expect(decision.attachments[0]?.refused).toMatch(/larger than 25 MB/);
    const raw40 = await fetch(`${stack.api.url}/inbound-mails/${decision.id}/raw`, {
      headers: { authorization: `Bearer ${admin()}` },
    });
    expect(Buffer.from(await raw40.arrayBuffer()).equals(raw)).toBe(true);
  }, 120_000);
});
