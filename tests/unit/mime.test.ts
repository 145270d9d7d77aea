import { describe, expect, it } from 'vitest';
import { composeMime, encodedWords, quotedPrintable, rfc5322Date } from '../../functions/adapters/ses/mime';
import { ValidationError } from '../../functions/domain/shared/errors';
import { automaticMailHeaders, escapeHtml } from '../../functions/domain/shared/mail';

/** Just enough of a MIME reader to check what the composer wrote. */
function parse(raw: string) {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const unfolded = head.replace(/\r\n[ \t]/g, ' ');
  const headers = new Map<string, string>();
  for (const line of unfolded.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { head, headers, body: rest.join('\r\n\r\n') };
}

const decodeWords = (value: string) =>
  value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));

const decodeQuotedPrintable = (value: string) => {
  const bytes: number[] = [];
  const text = value.replace(/=\r\n/g, '');
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=') {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
};

const base = {
  from: 'Field Service <service@service.example.eu>',
  to: ['anna@customer.example'],
  subject: '[WO-2026-000123] Boiler leaking',
  text: 'Hello,\nthe boiler leaks.',
};
const fixed = { date: new Date('2026-11-23T09:15:02Z'), messageId: '<fixed-1@service.example.eu>' };

describe('composeMime', () => {
  it('writes the RFC 5322 header fields, CRLF line endings and a 7-bit message', () => {
    const { raw, messageId, recipients } = composeMime(
      { ...base, cc: ['Bob <bob@customer.example>'] },
      fixed,
    );
    const { headers } = parse(raw);

    expect(messageId).toBe('<fixed-1@service.example.eu>');
    expect(recipients).toEqual(['anna@customer.example', 'bob@customer.example']);
    expect(headers.get('from')).toBe('Field Service <service@service.example.eu>');
    expect(headers.get('to')).toBe('anna@customer.example');
    expect(headers.get('cc')).toBe('Bob <bob@customer.example>');
    expect(headers.get('subject')).toBe('[WO-2026-000123] Boiler leaking');
    expect(headers.get('date')).toBe('Mon, 23 Nov 2026 09:15:02 +0000');
    expect(headers.get('message-id')).toBe('<fixed-1@service.example.eu>');
    expect(headers.get('mime-version')).toBe('1.0');
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking the message is 7-bit
    expect(raw).toMatch(/^[\x00-\x7f]*$/);
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  });

  it('makes a Message-ID on the sender domain when none is given', () => {
    const first = composeMime(base);
    const second = composeMime(base);

    expect(first.messageId).toMatch(/^<[0-9a-f-]{36}@service\.example\.eu>$/);
    expect(second.messageId).not.toBe(first.messageId);
  });

  it('encodes a non-ASCII subject as RFC 2047 encoded-words, each at most 75 characters', () => {
    const subject =
      '[WO-2026-000124] Heizung fällt aus – Kessel in der Küche, Größe 24 kW, 暖房が故障しました';
    const { raw } = composeMime({ ...base, subject }, fixed);
    const { head, headers } = parse(raw);

    const subjectLines = head.slice(head.indexOf('Subject:')).split('\r\n');
    const folded = [subjectLines[0], ...subjectLines.slice(1).filter((l) => l.startsWith(' '))];
    expect(folded.length).toBeGreaterThan(1);
    for (const line of folded) expect(line?.length).toBeLessThanOrEqual(76);
    for (const word of headers.get('subject')?.split(' ') ?? []) {
      expect(word).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]*\?=$/);
      expect(word.length).toBeLessThanOrEqual(75);
    }
    expect(decodeWords(headers.get('subject') ?? '')).toBe(subject);
  });

  it('never splits a character between encoded-words', () => {
    const words = encodedWords('ü'.repeat(40));
    const decoded = words.map((w) => Buffer.from(w.slice(10, -2), 'base64').toString('utf8'));

    expect(decoded.join('')).toBe('ü'.repeat(40));
    for (const part of decoded) expect(part).toMatch(/^ü+$/);
  });

  it('encodes non-ASCII display names and quotes names with specials', () => {
    const { raw } = composeMime(
      {
        ...base,
        from: 'Müller Service <service@service.example.eu>',
        to: ['"Smith, John" <john@customer.example>', 'Zoë <zoe@customer.example>'],
      },
      fixed,
    );
    const { headers } = parse(raw);

    expect(headers.get('from')).toMatch(/^=\?UTF-8\?B\?.+\?= <service@service\.example\.eu>$/);
    expect(decodeWords(headers.get('from') ?? '')).toBe('Müller Service <service@service.example.eu>');
    expect(headers.get('to')).toContain('"Smith, John" <john@customer.example>,');
    expect(decodeWords(headers.get('to') ?? '')).toContain('Zoë <zoe@customer.example>');
  });

  it('sends text only as one quoted-printable UTF-8 part', () => {
    const text = 'Grüße aus der Werkstatt.\nZeile zwei mit = Zeichen.   ';
    const { raw } = composeMime({ ...base, text }, fixed);
    const { headers, body } = parse(raw);

    expect(headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(headers.get('content-transfer-encoding')).toBe('quoted-printable');
    expect(decodeQuotedPrintable(body.replace(/\r\n$/, '')).replace(/\r\n/g, '\n')).toBe(text);
  });

  it('sends text and HTML as multipart/alternative, plain text first', () => {
    const html = '<p>Grüße – <strong>Kessel</strong></p>';
    const { raw } = composeMime({ ...base, html }, { ...fixed, boundary: '=_fs_test' });
    const { headers, body } = parse(raw);

    expect(headers.get('content-type')).toBe('multipart/alternative; boundary="=_fs_test"');
    const parts = body.split('--=_fs_test');
    expect(parts.at(-1)?.startsWith('--')).toBe(true);
    const [textPart, htmlPart] = parts.slice(1, 3).map((p) => parse(p.replace(/^\r\n/, '')));
    expect(textPart?.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(htmlPart?.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(htmlPart?.headers.get('content-transfer-encoding')).toBe('quoted-printable');
    expect(decodeQuotedPrintable(htmlPart?.body.replace(/\r\n$/, '') ?? '')).toBe(html);
    expect(decodeQuotedPrintable(textPart?.body.replace(/\r\n$/, '') ?? '')).toBe(
      base.text.replace('\n', '\r\n'),
    );
  });

  it('writes the automatic-mail headers and the thread headers', () => {
    const { raw } = composeMime(
      {
        ...base,
        headers: automaticMailHeaders('Field Service <service@service.example.eu>'),
        inReplyTo: '<a@customer.example>',
        references: ['<root@customer.example>', '<a@customer.example>'],
      },
      fixed,
    );
    const { headers } = parse(raw);

    expect(headers.get('auto-submitted')).toBe('auto-generated');
    expect(headers.get('x-loop')).toBe('service@service.example.eu');
    expect(headers.get('in-reply-to')).toBe('<a@customer.example>');
    expect(headers.get('references')).toBe('<root@customer.example> <a@customer.example>');
  });

  it.each([
    [
      'a line break in an address (header injection)',
      { to: ['anna@customer.example\r\nBcc: x@evil.example'] },
    ],
    ['a line break inside the angle brackets', { to: ['Anna <anna@customer.example\r\n>'] }],
    ['a header the composer owns', { headers: { 'Content-Type': 'text/html' } }],
    ['an invalid header name', { headers: { 'Bad Name': 'x' } }],
    ['a recipient that is not an address', { to: ['not an address'] }],
    ['no recipient', { to: [] }],
    ['a malformed In-Reply-To', { inReplyTo: 'no-brackets@x' }],
  ])('refuses %s', (_, change) => {
    expect(() => composeMime({ ...base, ...change }, fixed)).toThrow(ValidationError);
  });
});

describe('composeMime with hostile header values', () => {
  /** Every header line of the message: none longer than 76, none that does not belong to a known field. */
  const headerLines = (raw: string) => raw.slice(0, raw.indexOf('\r\n\r\n')).split('\r\n');
  const fieldNames = (raw: string) =>
    headerLines(raw)
      .filter((line) => !/^[ \t]/.test(line))
      .map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
  const expectWellFormed = (raw: string) => {
    for (const line of headerLines(raw)) {
      expect(line.length, line).toBeLessThanOrEqual(76);
      expect(line, 'a folded line holds more than whitespace').toMatch(/\S/);
      expect(line).toMatch(/^[\x20-\x7e]*$/);
    }
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  };

  it.each([
    ['CRLF', 'Hi\r\nBcc: x@evil.example'],
    ['LF', 'Hi\nBcc: x@evil.example'],
    ['CR', 'Hi\rBcc: x@evil.example'],
    ['a folded continuation', 'Hi\r\n Bcc: x@evil.example'],
    ['Unicode line separators', 'Hi\u2028Bcc:\u0085x@evil.example'],
  ])('turns %s in the subject into a space: one subject, no injected field', (_, subject) => {
    const { raw, recipients } = composeMime({ ...base, subject }, fixed);
    const { headers } = parse(raw);

    expectWellFormed(raw);
    expect(fieldNames(raw).filter((name) => name === 'bcc')).toEqual([]);
    expect(recipients).toEqual(['anna@customer.example']);
    expect(decodeWords(headers.get('subject') ?? '')).toBe('Hi Bcc: x@evil.example');
  });

  it('sends a title with a line break as a one-line subject', () => {
    const { raw } = composeMime({ ...base, subject: '[WO-2026-000123] Boiler\nleaking\r\n  again' }, fixed);

    expect(decodeWords(parse(raw).headers.get('subject') ?? '')).toBe(
      '[WO-2026-000123] Boiler leaking again',
    );
  });

  it('drops control characters; a value of only control characters becomes empty', () => {
    const only = composeMime({ ...base, subject: '\u0000\u0001\u001b\u007f\u009b' }, fixed);
    const mixed = composeMime({ ...base, subject: 'Bo\u0000iler\u0007 leaks' }, fixed);
    const extra = composeMime({ ...base, headers: { 'X-Note': '\r\n\u0000' } }, fixed);

    for (const { raw } of [only, mixed, extra]) expectWellFormed(raw);
    expect(parse(only.raw).headers.get('subject')).toBe('');
    expect(decodeWords(parse(mixed.raw).headers.get('subject') ?? '')).toBe('Bo iler leaks');
    expect(parse(extra.raw).headers.get('x-note')).toBe('');
    expect(fieldNames(extra.raw)).not.toContain('');
  });

  it('encodes a 1,000-character word into encoded-words of whole lines', () => {
    const word = 'x'.repeat(1000);
    const { raw } = composeMime(
      { ...base, subject: `Start ${word} end`, headers: { 'X-Note': word } },
      fixed,
    );
    const { headers } = parse(raw);

    expectWellFormed(raw);
    expect(decodeWords(headers.get('subject') ?? '')).toBe(`Start ${word} end`);
    expect(decodeWords(headers.get('x-note') ?? '')).toBe(word);
  });

  it('encodes non-ASCII and keeps a subject that looks like an encoded-word literal', () => {
    const { raw } = composeMime({ ...base, subject: 'Prüfung =?UTF-8?B?SGk=?= 日本' }, fixed);

    expectWellFormed(raw);
    expect(decodeWords(parse(raw).headers.get('subject') ?? '')).toBe('Prüfung =?UTF-8?B?SGk=?= 日本');
  });

  it.each([
    ['CRLF and a header', 'Anna\r\nBcc: x@evil.example <anna@customer.example>', 'Anna Bcc: x@evil.example'],
    ['LF in a quoted name', '"Anna\nMüller" <anna@customer.example>', 'Anna Müller'],
    ['control characters only', '\u0000\u0001 <anna@customer.example>', ''],
    ['a 1,000-character name', `${'n'.repeat(1000)} <anna@customer.example>`, 'n'.repeat(1000)],
  ])('writes a display name with %s as one safe phrase', (_, mailbox, name) => {
    const { raw, recipients } = composeMime({ ...base, from: mailbox, to: [mailbox], cc: [mailbox] }, fixed);
    const { headers } = parse(raw);

    expectWellFormed(raw);
    expect(fieldNames(raw).filter((field) => field === 'bcc')).toEqual([]);
    expect(recipients).toEqual(['anna@customer.example', 'anna@customer.example']);
    for (const field of ['from', 'to', 'cc']) {
      const value = headers.get(field) ?? '';
      expect(value.endsWith('<anna@customer.example>') || value === 'anna@customer.example').toBe(true);
      const phrase = decodeWords(value.replace(/\s*<anna@customer\.example>$/, '')).replace(/^"(.*)"$/, '$1');
      expect(phrase === 'anna@customer.example' ? '' : phrase).toBe(name);
    }
  });
});

describe('quotedPrintable', () => {
  it('keeps lines under 76 characters with soft breaks and encodes trailing whitespace', () => {
    const long = `${'x'.repeat(200)} end `;
    const encoded = quotedPrintable(long);

    for (const line of encoded.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(encoded.endsWith('=20')).toBe(true);
    expect(decodeQuotedPrintable(encoded)).toBe(long);
  });

  it('escapes "=", non-ASCII bytes, and a leading "From " or "."', () => {
    expect(quotedPrintable('a=b')).toBe('a=3Db');
    expect(quotedPrintable('ä')).toBe('=C3=A4');
    expect(quotedPrintable('From here\n.')).toBe('=46rom here\r\n=2E');
  });
});

describe('helpers', () => {
  it('formats dates as RFC 5322 with a numeric zone', () => {
    expect(rfc5322Date(new Date('2026-01-02T03:04:05Z'))).toBe('Fri, 02 Jan 2026 03:04:05 +0000');
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;',
    );
  });
});
