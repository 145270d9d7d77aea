import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { HmacReplyTokens } from '../../adapters/mail/reply-tokens';
import { S3MailBucket } from '../../adapters/s3/mail-bucket';
import { SesMailer } from '../../adapters/ses/mailer';
import { fromEnvironment } from '../../composition/environment';
import { mailIntakeServices } from '../../composition/mail-intake';
import { idempotencyStore } from '../../composition/master-data';
import type { Ports } from '../../composition/ports';
import { type Config, readConfig, required } from '../../shared/config';

/** The reply-token secret from Secrets Manager, read once per container. */
function secretReader(config: Config): () => Promise<string> {
  return async () => {
    const { SecretString } = await new SecretsManagerClient({}).send(
      new GetSecretValueCommand({ SecretId: required(config, 'THREAD_TOKEN_SECRET_ARN') }),
    );
    if (!SecretString) throw new Error('The reply-token secret has no value');
    return SecretString;
  };
}

/**
 * What the mail functions are built from in AWS: the mail bucket, SES for
 * acknowledgements, reply tokens signed with the region's secret (read when
 * first needed), and the region's mail domain. In a region without SES
 * receiving the stack sets none of them: mailboxes can still be managed, and
 * what needs received mail answers that the region receives none.
 */
export function inboundMailApplication(config: Config = readConfig()) {
  const receiving = config.MAIL_BUCKET !== undefined;
  const outbound = (): Partial<Ports> =>
    receiving
      ? {
          mail: new SesMailer(new SESClient({})),
          mailBucket: new S3MailBucket(
            new S3Client({}),
            required(config, 'MAIL_BUCKET'),
            config.RAW_MAIL_PREFIX ?? '',
          ),
          replyTokens: new HmacReplyTokens(secretReader(config)),
          ...(config.MAIL_DOMAIN ? { mailDomain: config.MAIL_DOMAIN } : {}),
        }
      : {};
  return fromEnvironment(
    (ports) => ({ mailIntake: mailIntakeServices(ports), idempotency: idempotencyStore(ports) }),
    outbound,
    config,
  );
}

export type MailApplication = ReturnType<typeof inboundMailApplication>;
