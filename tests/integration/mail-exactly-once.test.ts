import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMail } from '../../functions/domain/inbound-mail/inbound-mail';
import type { WorkOrderSummary } from '../../functions/domain/work-orders/ports';
import { type MailStack, sesEnvelope, startMailStack } from '../helpers/mail-stack';
import { plainMail } from '../helpers/mails';

const TENANT = 'once';
const MAILBOX = 'service@once.example';
let stack: MailStack;
let mailboxId: string;
const admin = () => stack.api.token(TENANT, 'admin', 'crm-admin');

beforeAll(async () => {
  stack = await startMailStack();
  await stack.api.createTenant(TENANT);
  const created = await stack.api.request<{ id: string }>('POST', '/mailboxes', {
    token: admin(),
    body: { address: MAILBOX },
  });
  mailboxId = created.body.id;
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe('one mail delivered 100 times', () => {
  it('makes one work order and one acknowledgement: 50 SES redeliveries and 50 resends, all at once', async () => {
    const raw = plainMail({
      from: 'Bob <bob@customer.example>',
      to: MAILBOX,
      subject: 'Heating is off',
      body: 'Since this morning the heating does not work.',
      messageId: '<heating-1@customer.example>',
    });
    // SES stored the mail once and invokes the function again and again with the same messageId.
    const envelope = sesEnvelope({
      receiptId: 'ses0000redelivered0000000000001',
      recipients: [MAILBOX],
      mailFrom: 'bob@customer.example',
    });
    await stack.local.mailFolder.store(envelope.receiptId, Buffer.from(raw));
    const redeliveries = Array.from({ length: 50 }, () => stack.invokeAsSes(envelope));
    // The customer resends it: each arrives with a new SES messageId.
    const resends = Array.from({ length: 50 }, () =>
      stack.send(raw, { from: 'bob@customer.example', to: MAILBOX }),
    );
    await Promise.all([...redeliveries, ...resends]);
    await stack.smtp.idle();

    const records = await stack.awaitDecisions(TENANT, mailboxId, 51);
    expect(records).toHaveLength(51);
    const effective = records.filter((r: InboundMail) => r.decision === 'created');
    expect(effective).toHaveLength(1);
    expect(records.filter((r) => r.decision === 'ignored-duplicate')).toHaveLength(50);
    const scene = await stack.api.request<{ items: WorkOrderSummary[] }>('GET', '/work-orders?limit=100', {
      token: admin(),
    });
    expect(scene.body.items.map((w) => w.title)).toEqual(['Heating is off']);
    expect(stack.outbox()).toHaveLength(1);
    const contacts = await stack.api.request<{ items: unknown[] }>('GET', '/contacts?limit=100', {
      token: admin(),
    });
    expect(contacts.body.items).toHaveLength(1);
  }, 120_000);
});
