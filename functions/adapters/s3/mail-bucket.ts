import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { RawMailStore } from '../../domain/inbound-mail/intake-ports';
import { type AttachmentStore, DOWNLOAD_SECONDS } from '../../domain/work-orders/attachments';

/**
 * The mail bucket: raw mails where SES's S3 action put them (under the
 * region's prefix, named by SES messageId), and the attachments intake keeps.
 */
export class S3MailBucket implements RawMailStore, AttachmentStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    /** Where SES writes raw mail, e.g. `inbound/eu-west-1/`. */
    private readonly rawPrefix: string,
  ) {}

  async read(receiptId: string): Promise<Uint8Array> {
    const { Body } = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: `${this.rawPrefix}${receiptId}` }),
    );
    if (!Body) throw new Error(`Raw mail ${receiptId} is empty`);
    return Body.transformToByteArray();
  }

  async put(key: string, content: Uint8Array, mimeType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: content, ContentType: mimeType }),
    );
  }

  downloadUrl(key: string, filename: string): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
      }),
      { expiresIn: DOWNLOAD_SECONDS },
    );
  }
}
