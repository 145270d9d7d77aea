import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkOrder } from '../../functions/domain/work-orders/work-order';
import { type MailStack, startMailStack } from '../helpers/mail-stack';
import { headerOf, plainMail } from '../helpers/mails';

const TENANT = 'threads';
const MAILBOX = 'service@threads.example';
const OTHER = 'help@threads.example';
let stack: MailStack;
let mailboxId: string;
let otherId: string;
const admin = () => stack.api.token(TENANT, 'admin', 'crm-admin');
let sequence = 0;
const messageId = () => `<t${++sequence}@customer.example>`;

/** Sends a mail and waits for its decision record (after its acknowledgement, if any). */
const deliver = (raw: string, envelope: { from: string; to: string }, box = mailboxId) =>
  stack.deliver(raw, envelope, { tenantId: TENANT, mailboxId: box });

/** A new request from Carla, and the acknowledgement it got. */
async function newRequest(subject: string) {
  const sent = stack.outbox().length;
  const mail = await deliver(
    plainMail({
      from: 'Carla <carla@customer.example>',
      to: MAILBOX,
      subject,
      body: 'Please help.',
      messageId: messageId(),
    }),
    { from: 'carla@customer.example', to: MAILBOX },
  );
  expect(mail.decision).toBe('created');
  const ack = stack.outbox()[sent];
  if (!ack) throw new Error(`No acknowledgement of ${subject}: ${JSON.stringify(mail.acknowledgement)}`);
  const order = await stack.api.request<WorkOrder>('GET', `/work-orders/${mail.workOrderId}`, {
    token: admin(),
  });
  return { mail, ack, order: order.body };
}

beforeAll(async () => {
  stack = await startMailStack();
  await stack.api.createTenant(TENANT);
  for (const address of [MAILBOX, OTHER]) {
    const created = await stack.api.request<{ id: string }>('POST', '/mailboxes', {
      token: admin(),
      body: { address, reopenWindowDays: 7, acknowledgementsPerSenderPerHour: 100 },
    });
    expect(created.status).toBe(201);
    if (address === MAILBOX) mailboxId = created.body.id;
    else otherId = created.body.id;
  }
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe('a reply to the acknowledgement lands on the same work order through each signal alone', () => {
  it('by In-Reply-To only', async () => {
    const { mail, ack } = await newRequest('Door sensor broken');
    const reply = await deliver(
      plainMail({
        from: 'carla@customer.example',
        to: MAILBOX,
        subject: 'more details',
        body: 'It beeps twice.',
        messageId: messageId(),
        headers: [`In-Reply-To: ${headerOf(ack, 'Message-ID')}`],
      }),
      { from: 'carla@customer.example', to: MAILBOX },
    );
    expect(reply).toMatchObject({ decision: 'appended', workOrderId: mail.workOrderId });
    expect(reply.thread?.signal).toBe('in-reply-to');
  });

  it('by the reply token in the envelope recipient only', async () => {
    const { mail, ack } = await newRequest('Window will not close');
    const replyTo = headerOf(ack, 'Reply-To') as string;
    const reply = await deliver(
      plainMail({
        from: 'carla@customer.example',
        to: replyTo,
        subject: 'photo later',
        body: 'Thanks',
        messageId: messageId(),
      }),
      { from: 'carla@customer.example', to: replyTo },
    );
    expect(reply).toMatchObject({ decision: 'appended', workOrderId: mail.workOrderId });
    expect(reply.thread?.signal).toBe('reply-token');
  });

  it('by the subject tag only, from the contact', async () => {
    const { mail, order } = await newRequest('Pump noise');
    const reply = await deliver(
      plainMail({
        from: 'carla@customer.example',
        to: MAILBOX,
        subject: `Re: Pump noise [${order.number}]`,
        body: 'Still loud.',
        messageId: messageId(),
      }),
      { from: 'carla@customer.example', to: MAILBOX },
    );
    expect(reply).toMatchObject({ decision: 'appended', workOrderId: mail.workOrderId });
    expect(reply.thread?.signal).toBe('subject-tag');
  });

  it('not by a subject tag from a stranger, nor by a forged token', async () => {
    const { mail, order, ack } = await newRequest('Lift stuck');
    const forged = await deliver(
      plainMail({
        from: 'mallory@elsewhere.example',
        to: MAILBOX,
        subject: `Re: [${order.number}] cancel this`,
        body: 'Cancel it.',
        messageId: messageId(),
      }),
      { from: 'mallory@elsewhere.example', to: MAILBOX },
    );
    expect(forged.decision).toBe('created');
    expect(forged.workOrderId).not.toBe(mail.workOrderId);
    const token = (headerOf(ack, 'Reply-To') as string).replace(/^service\+|@.*$/g, '');
    const altered = `service+${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}@threads.example`;
    const tampered = await deliver(
      plainMail({
        from: 'mallory@elsewhere.example',
        to: altered,
        subject: 'hello',
        body: 'x',
        messageId: messageId(),
      }),
      { from: 'mallory@elsewhere.example', to: altered },
    );
    expect(tampered.thread).toBeUndefined();
    expect(tampered.workOrderId).not.toBe(mail.workOrderId);
  });

  it('the comment holds what the customer wrote, not the quoted history', async () => {
    const { mail, ack } = await newRequest('Gate motor');
    await deliver(
      plainMail({
        from: 'carla@customer.example',
        to: MAILBOX,
        subject: 'Re: Gate motor',
        body: 'It works again.\r\n\r\nOn Wed, Dec 2, 2026 at 8:00 AM Service wrote:\r\n> Thank you for your message.\r\n> We registered it.',
        messageId: messageId(),
        headers: [`In-Reply-To: ${headerOf(ack, 'Message-ID')}`],
      }),
      { from: 'carla@customer.example', to: MAILBOX },
    );
    const records = await stack.api.request<{ items: { kind: string; text?: string }[] }>(
      'GET',
      `/work-orders/${mail.workOrderId}/records?limit=100`,
      { token: admin() },
    );
    const comment = records.body.items.find((r) => r.kind === 'comment');
    expect(comment?.text).toBe('It works again.');
  });
});

describe('never loop, never flood', () => {
  it('our own acknowledgement fed back into the mailbox opens nothing and gets no reply', async () => {
    const { ack } = await newRequest('Roof leak');
    const sent = stack.outbox().length;
    const back = await deliver(ack, { from: MAILBOX, to: MAILBOX });
    expect(back.decision).toBe('ignored-automatic');
    expect(stack.outbox()).toHaveLength(sent);
  });

  it('two mailboxes of ours acknowledging each other stop after the first acknowledgement', async () => {
    const sent = stack.outbox().length;
    const first = await deliver(
      plainMail({
        from: OTHER,
        to: MAILBOX,
        subject: 'Forwarded request',
        body: 'From the other desk.',
        messageId: messageId(),
      }),
      { from: OTHER, to: MAILBOX },
    );
    expect(first.decision).toBe('created');
    const ack = stack.outbox()[sent] as string;
    expect(headerOf(ack, 'To')).toBe(OTHER);
    const bounced = await deliver(ack, { from: MAILBOX, to: OTHER }, otherId);
    expect(bounced.decision).toBe('ignored-automatic');
    expect(stack.outbox()).toHaveLength(sent + 1);
  });
});

describe('a reply to a closed work order', () => {
  async function closed(subject: string) {
    const { mail, ack, order } = await newRequest(subject);
    let version = order.version;
    for (const status of ['in-progress', 'resolved', 'closed']) {
      const moved = await stack.api.request<WorkOrder>('POST', `/work-orders/${order.id}/status`, {
        token: admin(),
        body: { status, version },
      });
      expect(moved.status).toBe(200);
      version = moved.body.version;
    }
    return { mail, ack };
  }
  const replyTo = (ack: string, body: string) =>
    plainMail({
      from: 'carla@customer.example',
      to: MAILBOX,
      subject: 'Re: it is back',
      body,
      messageId: messageId(),
      headers: [`In-Reply-To: ${headerOf(ack, 'Message-ID')}`],
    });

  it('reopens it inside the reopen window', async () => {
    const { mail, ack } = await closed('Fan rattles');
    const reply = await deliver(replyTo(ack, 'Rattling again.'), {
      from: 'carla@customer.example',
      to: MAILBOX,
    });
    expect(reply).toMatchObject({ decision: 'reopened', workOrderId: mail.workOrderId });
    const order = await stack.api.request<WorkOrder>('GET', `/work-orders/${mail.workOrderId}`, {
      token: admin(),
    });
    expect(order.body.status).toBe('in-progress');
  });

  it('opens a new one linked to it after the window', async () => {
    const { mail, ack } = await closed('Boiler pressure');
    stack.local.clock.moveTo(new Date(Date.now() + 8 * 24 * 3600 * 1000));
    try {
      const reply = await deliver(replyTo(ack, 'Pressure low again.'), {
        from: 'carla@customer.example',
        to: MAILBOX,
      });
      expect(reply.decision).toBe('linked-new');
      expect(reply.previousWorkOrderId).toBe(mail.workOrderId);
      expect(reply.workOrderId).not.toBe(mail.workOrderId);
      const old = await stack.api.request<WorkOrder>('GET', `/work-orders/${mail.workOrderId}`, {
        token: admin(),
      });
      expect(old.body.status).toBe('closed');
    } finally {
      stack.local.clock.moveTo(new Date());
    }
  });
});
