import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ReplyTokens } from '../../domain/inbound-mail/threading';

/** Bytes of the HMAC kept in a token: 80 bits, 16 base32 characters. */
const SIGNATURE_BYTES = 10;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * Reply tokens as `<work order id>-<signature>`, lowercase so that mail
 * systems that fold the case of local parts do not break them. The signature
 * is an HMAC-SHA-256 over tenant and work order with the region's secret; a
 * token fits in the 64 characters of a local part with the mailbox's name.
 */
export class HmacReplyTokens implements ReplyTokens {
  constructor(private readonly secret: () => Promise<string> | string) {}

  private key?: Promise<string>;

  async sign(tenantId: string, workOrderId: string): Promise<string> {
    return `${workOrderId.toLowerCase()}-${await this.signature(tenantId, workOrderId.toUpperCase())}`;
  }

  async verify(tenantId: string, token: string): Promise<string | undefined> {
    const match = /^([0-9a-z]{1,64})-([a-z2-7]{16})$/.exec(token.toLowerCase());
    if (!match) return undefined;
    const workOrderId = (match[1] as string).toUpperCase();
    const expected = Buffer.from(await this.signature(tenantId, workOrderId));
    const given = Buffer.from(match[2] as string);
    return expected.length === given.length && timingSafeEqual(expected, given) ? workOrderId : undefined;
  }

  /** The secret, read once (from Secrets Manager in AWS) when first needed. */
  private loadKey(): Promise<string> {
    this.key ??= Promise.resolve(this.secret()).then((key) => {
      if (!key || key.length < 32) throw new Error('The reply-token secret must have at least 32 characters');
      return key;
    });
    // A failed read is tried again by the next mail rather than remembered.
    this.key.catch(() => {
      this.key = undefined;
    });
    return this.key;
  }

  private async signature(tenantId: string, workOrderId: string): Promise<string> {
    const mac = createHmac('sha256', await this.loadKey())
      .update(`${tenantId}\n${workOrderId}`)
      .digest();
    return base32(mac.subarray(0, SIGNATURE_BYTES));
  }
}
