import { describe, expect, it } from 'vitest';
import { inboundMailApplication } from '../../functions/handlers/mail/inbound-mail-environment';

describe('the mail functions built from their environment', () => {
  it('build in a region without SES receiving (mailboxes can be managed; nothing decides mail)', () => {
    const app = inboundMailApplication({ TABLE_NAME: 'table', AWS_REGION: 'us-east-1' });
    expect(app.mailIntake.mailboxes).toBeDefined();
    expect(app.mailIntake.inboundMails).toBeDefined();
    expect(() => app.mailIntake.intake()).toThrow(/composed without the mail port/);
  });

  it('with receiving, build the intake with every port it needs', () => {
    const app = inboundMailApplication({
      TABLE_NAME: 'table',
      AWS_REGION: 'eu-west-1',
      MAIL_BUCKET: 'bucket',
      RAW_MAIL_PREFIX: 'inbound/eu-west-1/',
      MAIL_DOMAIN: 'service.example.eu',
      THREAD_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tokens',
    });
    expect(app.mailIntake.intake()).toBeDefined();
  });
});
