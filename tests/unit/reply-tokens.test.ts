import { describe, expect, it } from 'vitest';
import { HmacReplyTokens } from '../../functions/adapters/mail/reply-tokens';
import {
  replyTokenOf,
  subjectTags,
  withoutReplyToken,
  withReplyToken,
} from '../../functions/domain/inbound-mail/threading';

const SECRET = 'a-reply-token-secret-of-32-characters!';
const WORK_ORDER = '01JD0000000000000000000ABC';

describe('reply-token addresses', () => {
  it('reads the token after the first + of the local part', () => {
    expect(replyTokenOf('service+01jd-abcdefgh@acme.example')).toBe('01jd-abcdefgh');
    expect(replyTokenOf('service+a+b@acme.example')).toBe('a+b');
    expect(replyTokenOf('service@acme.example')).toBeUndefined();
    expect(replyTokenOf('service+@acme.example')).toBeUndefined();
  });

  it('takes the token off, leaving the mailbox address', () => {
    expect(withoutReplyToken('service+01jd-abcdefgh@acme.example')).toBe('service@acme.example');
    expect(withoutReplyToken('service+a+b@acme.example')).toBe('service@acme.example');
    expect(withoutReplyToken('service@acme.example')).toBe('service@acme.example');
  });

  it('puts a token on that the other two read back', () => {
    const address = withReplyToken('service@acme.example', '01jd-abcdefgh');
    expect(address).toBe('service+01jd-abcdefgh@acme.example');
    expect(replyTokenOf(address)).toBe('01jd-abcdefgh');
    expect(withoutReplyToken(address)).toBe('service@acme.example');
  });
});

describe('subjectTags', () => {
  it('finds every work-order number in brackets, in capitals', () => {
    expect(subjectTags('Re: Boiler [WO-2026-000123] and [wo-2026-0001234]')).toEqual([
      'WO-2026-000123',
      'WO-2026-0001234',
    ]);
  });

  it('ignores numbers without brackets or of another shape', () => {
    expect(subjectTags('Re: WO-2026-000123')).toEqual([]);
    expect(subjectTags('[WO-26-000123] [WO-2026-12345] [INV-2026-000123]')).toEqual([]);
    expect(subjectTags(`[WO-2026-${'1'.repeat(13)}]`)).toEqual([]);
  });

  it('names each number once, and only the first five', () => {
    expect(subjectTags('[WO-2026-000001] Re: [wo-2026-000001]')).toEqual(['WO-2026-000001']);
    const many = Array.from({ length: 1000 }, (_, i) => `[WO-2026-${String(i + 1).padStart(6, '0')}]`);
    expect(subjectTags(many.join(' '))).toEqual(many.slice(0, 5).map((tag) => tag.slice(1, -1)));
  });
});

describe('HmacReplyTokens', () => {
  const tokens = new HmacReplyTokens(() => SECRET);

  it('names the work order it was signed for, for that tenant', async () => {
    const token = await tokens.sign('acme', WORK_ORDER);
    expect(token).toMatch(/^[0-9a-z]+-[a-z2-7]{16}$/);
    expect(await tokens.verify('acme', token)).toBe(WORK_ORDER);
  });

  it('is refused for another tenant', async () => {
    const token = await tokens.sign('acme', WORK_ORDER);
    expect(await tokens.verify('other', token)).toBeUndefined();
  });

  it('is refused when one character of the signature or of the id is changed', async () => {
    const token = await tokens.sign('acme', WORK_ORDER);
    const flip = (c: string) => (c === 'a' ? 'b' : 'a');
    const signatureAltered = token.slice(0, -1) + flip(token.slice(-1));
    const idAltered = flip(token.charAt(0)) + token.slice(1);
    expect(await tokens.verify('acme', signatureAltered)).toBeUndefined();
    expect(await tokens.verify('acme', idAltered)).toBeUndefined();
    expect(await tokens.verify('acme', token.split('-')[0] as string)).toBeUndefined();
  });

  it('is accepted whatever case a mail system gave it', async () => {
    const token = await tokens.sign('acme', WORK_ORDER);
    expect(await tokens.verify('acme', token.toUpperCase())).toBe(WORK_ORDER);
  });

  it('is refused when signed with another secret', async () => {
    const token = await tokens.sign('acme', WORK_ORDER);
    const rotated = new HmacReplyTokens(() => 'another-secret-of-at-least-32-characters');
    expect(await rotated.verify('acme', token)).toBeUndefined();
  });

  it('refuses to sign with a secret shorter than 32 characters', async () => {
    const weak = new HmacReplyTokens(() => 'short');
    await expect(weak.sign('acme', WORK_ORDER)).rejects.toThrow(/at least 32 characters/);
  });
});
