import { MessageRejected, SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesMailer, sesMessageIdDomain } from '../../functions/adapters/ses/mailer';
import { automaticMailHeaders } from '../../functions/domain/shared/mail';

const ses = mockClient(SESClient);

const mail = {
  from: 'Field Service <service@service.example.eu>',
  to: ['anna@customer.example', 'Bob <bob@customer.example>'],
  cc: ['carol@customer.example'],
  subject: '[WO-2026-000123] Kessel undicht – bitte prüfen',
  text: 'Grüße',
  html: '<p>Grüße</p>',
  headers: automaticMailHeaders('service@service.example.eu'),
};

beforeEach(() => ses.reset());

describe('SesMailer', () => {
  it('sends the composed MIME with SendRawEmail from the service mailbox to every recipient', async () => {
    // Prepare
    ses.on(SendRawEmailCommand).resolves({ MessageId: '0102018f-abc' });
    const mailer = new SesMailer(new SESClient({ region: 'eu-west-1' }), { region: () => 'eu-west-1' });

    // Act
    const { messageId } = await mailer.send(mail);

    // Assess
    const calls = ses.commandCalls(SendRawEmailCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.Source).toBe('service@service.example.eu');
    expect(input?.Destinations).toEqual([
      'anna@customer.example',
      'bob@customer.example',
      'carol@customer.example',
    ]);
    const raw = Buffer.from(input?.RawMessage?.Data ?? new Uint8Array()).toString('utf8');
    expect(raw).toContain('From: Field Service <service@service.example.eu>\r\n');
    expect(raw).toMatch(/\r\nSubject: =\?UTF-8\?B\?/);
    expect(raw).toContain('\r\nAuto-Submitted: auto-generated\r\n');
    expect(raw).toContain('\r\nX-Loop: service@service.example.eu\r\n');
    expect(raw).toContain('Content-Type: multipart/alternative;');
    expect(messageId).toBe('<0102018f-abc@eu-west-1.amazonses.com>');
  });

  it('lets SES refusals through, so the caller releases its claim and Lambda retries', async () => {
    ses
      .on(SendRawEmailCommand)
      .rejects(new MessageRejected({ message: 'Email address is not verified', $metadata: {} }));
    const mailer = new SesMailer(new SESClient({ region: 'eu-west-1' }));

    await expect(mailer.send(mail)).rejects.toBeInstanceOf(MessageRejected);
  });

  it('refuses a mail it cannot compose without calling SES', async () => {
    const mailer = new SesMailer(new SESClient({ region: 'eu-west-1' }));

    await expect(mailer.send({ ...mail, to: ['a@b.example\r\nBcc: all@evil.example'] })).rejects.toThrow(
      /compose/,
    );
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
  });

  it('knows the Message-ID domain SES uses per region', () => {
    expect(sesMessageIdDomain('us-east-1')).toBe('email.amazonses.com');
    expect(sesMessageIdDomain('eu-west-1')).toBe('eu-west-1.amazonses.com');
  });
});
