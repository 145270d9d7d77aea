import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { addressOf, type OutboundMail, type OutgoingMail } from '../../domain/shared/mail';
import { composeMime } from './mime';

/**
 * Outbound mail through SES (v1 API, SendRawEmail): we compose the MIME
 * ourselves so headers such as Auto-Submitted, X-Loop and In-Reply-To go out
 * exactly as written. The sending identity is the domain of the From address.
 */
export class SesMailer implements OutboundMail {
  constructor(
    private readonly client: SESClient,
    private readonly options: { region?: () => string | undefined } = {},
  ) {}

  async send(message: OutgoingMail): Promise<{ messageId: string }> {
    const composed = composeMime(message);
    const { MessageId } = await this.client.send(
      new SendRawEmailCommand({
        Source: addressOf(message.from),
        Destinations: composed.recipients,
        RawMessage: { Data: Buffer.from(composed.raw, 'utf8') },
      }),
    );
    if (!MessageId) return { messageId: composed.messageId };
    // SES replaces the Message-ID header with one built from its own id; replies will quote that one.
    return {
      messageId: `<${MessageId}@${sesMessageIdDomain(this.options.region?.() ?? process.env.AWS_REGION)}>`,
    };
  }
}

/** The domain SES puts in the Message-ID it assigns. */
export function sesMessageIdDomain(region: string | undefined): string {
  return !region || region === 'us-east-1' ? 'email.amazonses.com' : `${region}.amazonses.com`;
}
