import { describe, expect, it } from 'vitest';
import { acknowledgementOf } from '../../functions/domain/inbound-mail/acknowledgement';
import type { Mailbox } from '../../functions/domain/inbound-mail/mailbox';
import type { ParsedMessage } from '../../functions/domain/inbound-mail/message';
import type { WorkOrder } from '../../functions/domain/work-orders/work-order';

const mailbox: Mailbox = {
  id: 'MB1',
  tenantId: 'acme',
  version: 1,
  createdAt: '2026-12-02T08:00:00.000Z',
  updatedAt: '2026-12-02T08:00:00.000Z',
  address: 'service@acme.example',
  displayName: 'Acme Service',
  rules: [],
};
// Only the number and the title are read.
const workOrder = { number: 'WO-2026-000042', title: 'Boiler leaking' } as WorkOrder;

function message(overrides: Partial<ParsedMessage> = {}): ParsedMessage {
  return {
    headers: [],
    from: { address: 'anna@customer.example', name: 'Anna' },
    replyTo: [],
    to: [],
    cc: [],
    subject: 'Boiler leaking',
    messageId: '<m1@customer.example>',
    inReplyTo: [],
    references: [],
    contentType: 'text/plain',
    text: 'Water.',
    reply: 'Water.',
    attachments: [],
    ...overrides,
  };
}

const ack = (box: Mailbox = mailbox, overrides: Partial<ParsedMessage> = {}) =>
  acknowledgementOf({
    mailbox: box,
    workOrder,
    message: message(overrides),
    to: 'anna@customer.example',
    replyToken: '01jd-abcdefghijklmnop',
  });

describe('acknowledgementOf', () => {
  it('answers the mail: the number in the subject, threaded to it, replies to the token address', () => {
    const mail = ack();
    expect(mail.to).toEqual(['anna@customer.example']);
    expect(mail.subject).toBe('Re: Boiler leaking [WO-2026-000042]');
    expect(mail.inReplyTo).toBe('<m1@customer.example>');
    expect(mail.references).toEqual(['<m1@customer.example>']);
    expect(mail.replyTo).toBe('service+01jd-abcdefghijklmnop@acme.example');
    expect(mail.text).toContain('WO-2026-000042');
    expect(mail.text).toContain('Acme Service');
  });

  it('adds the number to a subject template that leaves it out', () => {
    const custom = { ...mailbox, acknowledgement: { enabled: true, subject: 'We got it: {title}' } };
    expect(ack(custom).subject).toBe('We got it: Boiler leaking [WO-2026-000042]');
    const withNumber = { ...mailbox, acknowledgement: { enabled: true, subject: '{number} registered' } };
    expect(ack(withNumber).subject).toBe('WO-2026-000042 registered');
  });

  it('keeps the newest 20 references of a long thread, the answered message last', () => {
    const references = Array.from({ length: 30 }, (_, i) => `<r${i}@customer.example>`);
    const mail = ack(mailbox, { references });
    expect(mail.references).toHaveLength(20);
    expect(mail.references?.[0]).toBe('<r11@customer.example>');
    expect(mail.references?.at(-2)).toBe('<r29@customer.example>');
    expect(mail.references?.at(-1)).toBe('<m1@customer.example>');
  });

  it('threads nothing when the mail had no Message-ID', () => {
    const mail = ack(mailbox, { messageId: undefined });
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.references).toBeUndefined();
  });

  it('fills the body template', () => {
    const custom = {
      ...mailbox,
      displayName: undefined,
      acknowledgement: { enabled: true, body: '{number}: {title}, from {mailbox}' },
    };
    expect(ack(custom).text).toBe('WO-2026-000042: Boiler leaking, from service@acme.example');
  });
});
