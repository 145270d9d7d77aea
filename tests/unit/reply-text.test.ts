import { describe, expect, it } from 'vitest';
import { LONGEST_PARSED_LINE, replyText } from '../../functions/adapters/mail/reply-text';

describe('replyText', () => {
  it('strips the quoted history under a quote header', () => {
    const text =
      'The boiler still leaks.\n\nOn Mon, 1 Jan 2024 at 10:00, Service <service@acme.example> wrote:\n> We fixed it.\n';

    expect(replyText(text)).toBe('The boiler still leaks.');
  });

  it('strips a signature', () => {
    expect(replyText('Please come on Monday.\n\nSent from my iPhone')).toBe('Please come on Monday.');
  });

  it('reads CRLF text as LF text', () => {
    expect(replyText('Yes, Monday works.\r\n\r\n> When can we come?\r\n')).toBe('Yes, Monday works.');
  });

  it('gives the whole text when all of it is quoted, as in a bare forward', () => {
    const text = '> Forwarded question\n> about the pump';

    expect(replyText(text)).toBe(text);
  });

  it('gives an empty reply for an empty or blank text', () => {
    expect(replyText('')).toBe('');
    expect(replyText(' \n\t\n')).toBe('');
  });

  it('keeps a long line whole and still strips the quote after it', () => {
    // A line the parser would take seconds over: it reaches the parser as a placeholder.
    const longLine = `12:34 ${'2024 from <a> '.repeat(2_000)}`;
    expect(longLine.length).toBeGreaterThan(LONGEST_PARSED_LINE);
    const text = `${longLine}\n\nOn Mon, 1 Jan 2024 at 10:00, Bob <bob@acme.example> wrote:\n> earlier\n`;

    expect(replyText(text)).toBe(longLine.trim());
  });

  it('keeps a long quoted line quoted', () => {
    const quoted = `> ${'old text '.repeat(500)}`;

    expect(replyText(`New text\n\n${quoted}\n`)).toBe('New text');
  });

  it('leaves text holding the placeholder characters intact', () => {
    const text = `Code \ue0000\ue001 here\n${'x'.repeat(LONGEST_PARSED_LINE + 1)}`;

    expect(replyText(text)).toBe(text);
  });

  it('gives the whole text when the parser runs past its budget', () => {
    // 2,000 Dutch quote-header look-alikes: the parser's multi-line pattern needs ~30 s for them.
    const text = 'Op x schreef x\n'.repeat(2_000);

    expect(replyText(text, 100)).toBe(text.trim());
  });
});
