import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMail } from '../../functions/domain/inbound-mail/inbound-mail';
import { type MailStack, startMailStack } from '../helpers/mail-stack';
import { tenantTools, workOrderCount } from '../helpers/mailboxes';

/*
 * What a mailbox's settings make of a new request: the per-sender caps,
 * senders who are no contact, and an admin's replay of a held mail. Each
 * mailbox serves one scenario, so the scenarios do not count each other's mail.
 */

const TENANT = 'behave';
const DOMAIN = 'behave.example';
let stack: MailStack;
const { admin, mailbox, deliver, workOrder } = tenantTools(() => stack, TENANT, DOMAIN);

/**
 * Moves the local clock to one minute past the next full hour: a test of a
 * per-hour cap then runs inside one hour whenever it starts.
 */
function startOfNextHour(): void {
  const hour = 3600_000;
  stack.local.clock.moveTo(new Date(Math.ceil(stack.local.clock.now().getTime() / hour) * hour + 60_000));
}

beforeAll(async () => {
  stack = await startMailStack();
  await stack.api.createTenant(TENANT);
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe('the per-sender caps', () => {
  it('holds a sender past the cap of new work orders, unacknowledged; other senders and the next hour pass', async () => {
    const box = await mailbox('capped', { newWorkOrdersPerSenderPerHour: 2 });
    startOfNextHour();
    const sent = stack.outbox().length;
    const first = await deliver(box, 'dora@customer.example', 'Request one');
    const second = await deliver(box, 'dora@customer.example', 'Request two');
    expect([first.decision, second.decision]).toEqual(['created', 'created']);
    const orders = await workOrderCount(stack, TENANT);

    const third = await deliver(box, 'dora@customer.example', 'Request three');
    expect(third.decision).toBe('held-rate-cap');
    expect(third.reason).toBe('dora@customer.example reached 2 new work orders in this hour');
    expect(third.workOrderId).toBeUndefined();
    expect(third.acknowledgement).toBeUndefined();
    expect(await workOrderCount(stack, TENANT)).toBe(orders);
    expect(stack.outbox()).toHaveLength(sent + 2);

    const other = await deliver(box, 'emil@customer.example', 'Request of another sender');
    expect(other.decision).toBe('created');

    startOfNextHour();
    const nextHour = await deliver(box, 'dora@customer.example', 'Request four');
    expect(nextHour.decision).toBe('created');
    expect(await workOrderCount(stack, TENANT)).toBe(orders + 2);
  });

  it('creates past the acknowledgement cap, but does not acknowledge, and the record says why', async () => {
    const box = await mailbox('ack-capped', { acknowledgementsPerSenderPerHour: 1 });
    startOfNextHour();
    const sent = stack.outbox().length;
    const first = await deliver(box, 'fritz@customer.example', 'First request');
    expect(first).toMatchObject({ decision: 'created', acknowledgement: { outcome: 'sent' } });

    const second = await deliver(box, 'fritz@customer.example', 'Second request');
    expect(second.decision).toBe('created');
    expect(second.acknowledgement).toEqual({
      outcome: 'skipped',
      reason: 'fritz@customer.example got 1 acknowledgements in this hour',
    });
    expect(stack.outbox()).toHaveLength(sent + 1);

    const other = await deliver(box, 'greta@customer.example', 'Request of another sender');
    expect(other.acknowledgement?.outcome).toBe('sent');
    expect(stack.outbox()).toHaveLength(sent + 2);
  });
});

describe('senders who are no contact', () => {
  it('are held by a mailbox that holds them; a contact is not', async () => {
    const box = await mailbox('holding', { unknownSenders: 'hold' });
    const orders = await workOrderCount(stack, TENANT);
    const sent = stack.outbox().length;
    const held = await deliver(box, 'stranger@unknown.example', 'Who am I');
    expect(held).toMatchObject({
      decision: 'held-unknown-sender',
      reason: 'stranger@unknown.example is no contact, and the mailbox holds mail of unknown senders',
    });
    expect(held.workOrderId).toBeUndefined();
    expect(held.contactId).toBeUndefined();
    expect(await workOrderCount(stack, TENANT)).toBe(orders);
    expect(stack.outbox()).toHaveLength(sent);
    const contacts = await stack.api.request<{ items: { email?: string }[] }>('GET', '/contacts?limit=100', {
      token: admin(),
    });
    expect(contacts.body.items.filter((c) => c.email === 'stranger@unknown.example')).toEqual([]);

    const contact = await stack.api.request<{ id: string }>('POST', '/contacts', {
      token: admin(),
      body: { lastName: 'Known', email: 'known@customer.example' },
    });
    expect(contact.status).toBe(201);
    const known = await deliver(box, 'known@customer.example', 'I am known');
    expect(known).toMatchObject({ decision: 'created', contactId: contact.body.id });
    expect((await workOrder(known.workOrderId)).contactId).toBe(contact.body.id);
  });

  it('become one contact in a mailbox that creates contacts, however many mails they send', async () => {
    const box = await mailbox('welcoming', { unknownSenders: 'create-contact' });
    const first = await deliver(box, 'newbie@fresh.example', 'First contact');
    const second = await deliver(box, 'newbie@fresh.example', 'Second mail');
    expect([first.decision, second.decision]).toEqual(['created', 'created']);
    expect(first.contactId).toBeDefined();
    expect(second.contactId).toBe(first.contactId);
    const contacts = await stack.api.request<{ items: { id: string; email?: string }[] }>(
      'GET',
      '/contacts?limit=100',
      { token: admin() },
    );
    const made = contacts.body.items.filter((c) => c.email === 'newbie@fresh.example');
    expect(made.map((c) => c.id)).toEqual([first.contactId]);
    expect((await workOrder(second.workOrderId)).contactId).toBe(first.contactId);
  });
});

describe('replaying a held mail', () => {
  it("decides it again under today's settings once, however often it is replayed", async () => {
    const box = await mailbox('replayed', { unknownSenders: 'hold' });
    const held = await deliver(box, 'late@unknown.example', 'Please call me back');
    expect(held.decision).toBe('held-unknown-sender');
    const current = await stack.api.request<{ version: number }>('GET', `/mailboxes/${box.id}`, {
      token: admin(),
    });
    const patched = await stack.api.request('PATCH', `/mailboxes/${box.id}`, {
      token: admin(),
      body: { unknownSenders: 'create-contact', version: current.body.version },
    });
    expect(patched.status).toBe(200);
    const orders = await workOrderCount(stack, TENANT);
    const sent = stack.outbox().length;

    const replay = () =>
      stack.api.request<{ changed: boolean; mail: InboundMail; replayed: unknown; summary: string }>(
        'POST',
        `/inbound-mails/${held.id}/replay`,
        { token: admin() },
      );
    const first = await replay();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      changed: true,
      replayed: { id: held.id, decision: 'held-unknown-sender' },
      mail: { decision: 'created', replayOf: { id: held.id, decision: 'held-unknown-sender' } },
    });
    expect(first.body.mail.id).not.toBe(held.id);
    expect(first.body.mail.contactId).toBeDefined();
    expect(await workOrderCount(stack, TENANT)).toBe(orders + 1);
    expect(stack.outbox()).toHaveLength(sent + 1);
    // A reply to the customer's first mail (a reply-all, say) finds the work order the replay made.
    const reply = await deliver(box, 'late@unknown.example', 'Re: Please call me back', {
      headers: [`In-Reply-To: ${held.messageId}`],
    });
    expect(reply).toMatchObject({ decision: 'appended', workOrderId: first.body.mail.workOrderId });
    expect(reply.thread?.signal).toBe('in-reply-to');

    const again = await replay();
    expect(again.body.mail.id).toBe(first.body.mail.id);
    expect(again.body.mail.workOrderId).toBe(first.body.mail.workOrderId);
    expect(await workOrderCount(stack, TENANT)).toBe(orders + 1);
    expect(stack.outbox()).toHaveLength(sent + 1);

    const ofCreated = await stack.api.request<{ changed: boolean; mail: InboundMail }>(
      'POST',
      `/inbound-mails/${first.body.mail.id}/replay`,
      { token: admin() },
    );
    expect(ofCreated.body).toMatchObject({ changed: false, mail: { id: first.body.mail.id } });
    expect(await workOrderCount(stack, TENANT)).toBe(orders + 1);
    const original = await stack.api.request<InboundMail>('GET', `/inbound-mails/${held.id}`, {
      token: admin(),
    });
    expect(original.body.decision).toBe('held-unknown-sender');
  });
});
