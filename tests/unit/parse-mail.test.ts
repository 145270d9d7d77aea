import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseMail } from '../../functions/adapters/mail/parse-mail';
import type { ParsedMessage, UnparseableMessage } from '../../functions/domain/inbound-mail/message';
import { corpusMail, mailCorpus, mailCorpusOrNone } from '../helpers/mail-corpus';

const encoder = new TextEncoder();

/** A raw mail from header lines and a body, CRLF line ends. */
function rawMail(header: string[], body = 'Hello'): Uint8Array {
  return encoder.encode(`${header.join('\r\n')}\r\n\r\n${body}`);
}

function isParsed(result: ParsedMessage | UnparseableMessage): result is ParsedMessage {
  return !('error' in result);
}

async function parsed(raw: Uint8Array): Promise<ParsedMessage> {
  const result = await parseMail(raw);
  if (!isParsed(result)) throw new Error(`expected a parsed message, got: ${result.error}`);
  return result;
}

const fromCorpus = (file: string) => parsed(corpusMail(file));

describe('parseMail over the shared corpus', () => {
  it('finds the corpus', () => {
    expect(mailCorpus().length).toBeGreaterThan(0);
  });

  it.each(mailCorpusOrNone().map((entry) => [entry.file, entry.class]))('parses %s (%s)', async (file) => {
    const result = await parseMail(corpusMail(file));

    expect(result).not.toHaveProperty('error');
  });
});

describe('charsets and transfer encodings (expected words decoded independently with Python’s email package)', () => {
  it.each([
    // file, field, expected text
    ['mailgem-japanese_iso_2022.eml', 'subject', 'まみむめも'], // UTF-8 base64 encoded word
    ['mailgem-japanese_iso_2022.eml', 'text', 'すみません。'], // ISO-2022-JP body
    ['mailgem-example14.eml', 'subject', 'テストテスト'], // ISO-2022-JP encoded words over folded lines
    ['mailgem-ks_c_5601-1987.eml', 'text', '스티해'], // ks_c_5601-1987, Microsoft's name for EUC-KR
    ['rt-new-ticket-from-gb18030.eml', 'subject', '测试'], // gb18030 encoded word
    ['rt-new-ticket-from-gb18030.eml', 'text', '测试'], // gb18030 base64 body
    ['rt-8859-15-msg1.eml', 'subject', 'test äöüßÄÖÜß€'], // =A4 is € in ISO-8859-15 (¤ in 8859-1)
    ['rt-8859-15-msg1.eml', 'text', 'test äöüßÄÖÜß€'],
    ['rt-new-ticket-from-iso-8859-1.eml', 'text', 'Håvard'], // ISO-8859-1 8bit body
    ['mailgem-bad_encoded_subject.eml', 'subject', 'TEST'], // encoded word with the charset NONE
    ['flanker-bilingual-simple.eml', 'subject', 'Simple text. How are you? Как ты поживаешь?'],
    ['flanker-bilingual-simple.eml', 'text', 'А эта линия по-русски.'],
    ['rt-text-html-with-umlaut.eml', 'text', 'Mit freundlichen Grüßen'], // HTML only, ISO-8859-1
    ['mailgem-attachment_with_quoted_filename.eml', 'subject', 'Eelanalüüsi päring'], // ISO-8859-1 Q encoding
    ['mailgem-attachment_pdf.eml', 'subject', 'Another PDF with 🎉 Unicode chars in it 🍿'], // raw UTF-8 header
    ['sisimai-lhost-mfilter-03.eml', 'text', 'このメールは「m-FILTER」が自動的に生成して送信しています。'],
    ['sisimai-lhost-mailru-01.eml', 'subject', 'Ваше сообщение не доставлено. Mail failure.'],
    ['sisimai-is-not-bounce-01.eml', 'text', 'にゃーーーーーーーーーーー'], // 8bit UTF-8 body
  ] as const)('%s: %s holds “%s”', async (file, field, expected) => {
    const message = await fromCorpus(file);

    expect(message[field]).toContain(expected);
    expect(message[field]).not.toContain('\ufffd');
  });

  it('decodes display names: encoded words, and raw 8-bit Latin-1 in a header', async () => {
    expect((await fromCorpus('notmuch-x-gtar-compressed.eml')).from?.name).toBe('Antoine Beaupré');
    expect((await fromCorpus('mailgem-japanese_iso_2022.eml')).to).toEqual([
      { address: 'raasdnil@gmail.com', name: 'みける' },
    ]);
    // `From: Wilhelmsen H\xe5vard`: Python's email package leaves U+FFFD here; the bytes read as
    // ISO-8859-1 (the body's charset) say Håvard.
    expect((await fromCorpus('rt-new-ticket-from-iso-8859-1.eml')).from).toEqual({
      address: 'hw@nordkapp.net',
      name: 'Wilhelmsen Håvard',
    });
  });

  it('leaves valid UTF-8 header lines alone when another line is 8-bit Latin-1', async () => {
    const raw = new Uint8Array([
      ...encoder.encode('From: J\u00fcrgen <j@example.de>\r\nSubject: Gr'),
      0xfc, // ü and ß in ISO-8859-1, invalid as UTF-8
      0xdf,
      ...encoder.encode('e\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nHallo'),
    ]);

    const message = await parsed(raw);

    expect(message.from?.name).toBe('Jürgen');
    expect(message.subject).toBe('Grüße');
  });
});

describe('addresses', () => {
  it('lowercases addresses and decodes display names', async () => {
    const message = await parsed(
      rawMail([
        'From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <Juergen.Mueller@Customer.EXAMPLE>',
        'To: "Service, Field" <SERVICE@acme.example>, other@acme.example',
        'Cc: Boss <BOSS@customer.example>',
        'Reply-To: Office <Office@customer.example>',
      ]),
    );

    expect(message.from).toEqual({ address: 'juergen.mueller@customer.example', name: 'Jürgen Müller' });
    expect(message.to).toEqual([
      { address: 'service@acme.example', name: 'Service, Field' },
      { address: 'other@acme.example', name: '' },
    ]);
    expect(message.cc).toEqual([{ address: 'boss@customer.example', name: 'Boss' }]);
    expect(message.replyTo).toEqual([{ address: 'office@customer.example', name: 'Office' }]);
  });

  it('flattens groups; From is the first mailbox, an empty group names none', async () => {
    const message = await parsed(
      rawMail([
        'From: Nobody:; Team: Anna <anna@customer.example>, bob@customer.example;',
        'To: Undisclosed recipients:;',
        'Cc: crew: a@acme.example, b@acme.example;, c@acme.example',
      ]),
    );

    expect(message.from).toEqual({ address: 'anna@customer.example', name: 'Anna' });
    expect(message.to).toEqual([]);
    expect(message.cc.map((entry) => entry.address)).toEqual([
      'a@acme.example',
      'b@acme.example',
      'c@acme.example',
    ]);
  });

  it('has no From when the header is missing or names no address', async () => {
    expect((await parsed(rawMail(['Subject: no sender']))).from).toBeUndefined();
    // `From: <>`
    expect((await fromCorpus('sisimai-lhost-mfilter-03.eml')).from).toBeUndefined();
  });
});

describe('Message-IDs', () => {
  it('reads several ids across comments, folding and whitespace', async () => {
    const message = await parsed(
      rawMail([
        'Message-ID: <abc.123@Host.Example>',
        'In-Reply-To: <first@a.example> (a comment <not@an.id>)',
        'References: <one@a.example>\r\n  <two@\r\n a.example>\r\n\t(comment) <three@a.example>',
      ]),
    );

    expect(message.messageId).toBe('<abc.123@Host.Example>');
    expect(message.inReplyTo).toEqual(['<first@a.example>']);
    expect(message.references).toEqual(['<one@a.example>', '<two@a.example>', '<three@a.example>']);
  });

  it('brackets bare ids and passes over the quoted phrase of the obsolete form', async () => {
    const message = await parsed(
      rawMail([
        'Message-ID: 12345.bare',
        'In-Reply-To: Your message of "Mon, 1 Jan 2024 <quoted@not.id>" 777@host.example',
        'References: <a@x.example>, <b@x.example> <a@x.example>',
      ]),
    );

    expect(message.messageId).toBe('<12345.bare>');
    expect(message.inReplyTo).toEqual(['<777@host.example>']);
    // Each id once, oldest first.
    expect(message.references).toEqual(['<a@x.example>', '<b@x.example>']);
  });

  it('gives [] for an empty In-Reply-To and no id when Message-ID is missing', async () => {
    const message = await fromCorpus('mailgem-empty_in_reply_to.eml');

    expect(message.inReplyTo).toEqual([]);
    expect(message.references).toEqual([]);
    expect((await parsed(rawMail(['Subject: x']))).messageId).toBeUndefined();
  });

  it('reads the corpus replies', async () => {
    const thunderbird = await fromCorpus('mailgem-raw_email_reply.eml');
    expect(thunderbird.inReplyTo).toEqual(['<348F04F142D69C21-291E56D292BC@xxxx.net>']);
    expect(thunderbird.references).toEqual([
      '<473FF3B8.9020707@xxx.org>',
      '<348F04F142D69C21-291E56D292BC@xxxx.net>',
    ]);
    expect(thunderbird.messageId).toBe('<473FFE27.20003@xxx.org>');

    const office365 = await fromCorpus('flanker-office365.eml');
    expect(office365.inReplyTo).toEqual(['<20171013111011.20866.254C2F3A4D7AA526@ninomail.com>']);
  });
});

describe('date and content type', () => {
  it('gives the Date as an ISO time', async () => {
    expect((await parsed(rawMail(['Date: Fri, 21 Oct 2016 09:06:41 +0900 (JST)']))).date).toBe(
      '2016-10-21T00:06:41.000Z',
    );
  });

  it('has no date when it is missing, not a date, or names no year', async () => {
    expect((await parsed(rawMail(['Subject: x']))).date).toBeUndefined();
    expect((await parsed(rawMail(['Date: tomorrow-ish']))).date).toBeUndefined();
    // `Date: Thu Jan 01 00:00:10 +0000`, which JavaScript would read as 1 January 2001.
    expect((await fromCorpus('notmuch-text-calendar.eml')).date).toBeUndefined();
  });

  it.each([
    ['sisimai-lhost-postfix-01.eml', 'multipart/report'],
    ['sisimai-rfc3464-07.eml', 'multipart/report'], // written `Multipart/Report`
    ['rt-text-html-with-umlaut.eml', 'text/html'],
    ['mailgem-multiple_content_types.eml', 'multipart/alternative'], // the first of two Content-Type fields
    ['rt-new-ticket-from-gb18030.eml', 'text/plain'],
    ['sisimai-lhost-qmail-01.eml', 'text/plain'], // no Content-Type at all
  ])('%s has the content type %s', async (file, contentType) => {
    expect((await fromCorpus(file)).contentType).toBe(contentType);
  });

  it('reads a missing or invalid Content-Type as text/plain', async () => {
    expect((await parsed(rawMail(['Content-Type: nonsense']))).contentType).toBe('text/plain');
    expect((await parsed(rawMail(['Content-Type: TEXT/HTML (comment); charset=utf-8']))).contentType).toBe(
      'text/html',
    );
  });
});

describe('text and reply', () => {
  it('converts an HTML-only mail to readable text', async () => {
    const message = await fromCorpus('rt-text-html-with-umlaut.eml');

    expect(message.text).toBe(
      // `Stever&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; ^^causes`: non-breaking spaces do not collapse.
      'Hello,\n\nist this kind of Messages, that causes rt to crash.\n\nMit freundlichen Grüßen\nGregor Stever      ^^causes Error!!',
    );
  });

  it('prefers the text part of a text and HTML alternative', async () => {
    const message = await parsed(
      rawMail(
        ['Content-Type: multipart/alternative; boundary="b"'],
        '--b\r\nContent-Type: text/plain\r\n\r\nPlain words\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>HTML words</p>\r\n--b--\r\n',
      ),
    );

    expect(message.text).toBe('Plain words\n');
  });

  it('reads the HTML part when the text part beside it is empty', async () => {
    const message = await parsed(
      rawMail(
        ['Content-Type: multipart/alternative; boundary="b"'],
        '--b\r\nContent-Type: text/plain\r\n\r\n \r\n--b\r\nContent-Type: text/html\r\n\r\n<p>HTML&nbsp;words</p>\r\n--b--\r\n',
      ),
    );

    expect(message.text).toBe('HTML words');
  });

  it.each([
    ['talon-gmail.eml', 'Hello'],
    ['talon-yahoo.eml', 'Hello'],
    ['talon-apple_mail_2.eml', 'Hello'],
  ])('strips the quoted history of %s', async (file, reply) => {
    const message = await fromCorpus(file);

    expect(message.reply).toBe(reply);
    expect(message.text.length).toBeGreaterThan(reply.length + 10);
  });

  it('parses a 1 MB single-line body and still strips the quote under it', async () => {
    // Without the long-line guard, email-reply-parser backtracks over this line for hours.
    const line = `12:34 ${'2024 from <a> '.repeat(75_000)}`;
    const message = await parsed(
      rawMail(
        ['From: anna@customer.example', 'Content-Type: text/plain; charset=utf-8'],
        `${line}\r\n\r\nOn Mon, 1 Jan 2024 at 10:00, Bob <bob@acme.example> wrote:\r\n> earlier\r\n`,
      ),
    );

    expect(line.length).toBeGreaterThan(1_000_000);
    expect(message.reply).toBe(line.trim());
  });
});

describe('attachments', () => {
  it('gives a PDF attachment with its name, type, size and bytes', async () => {
    const [pdf, ...others] = (await fromCorpus('mailgem-attachment_pdf.eml')).attachments;

    expect(others).toEqual([]);
    expect(pdf).toMatchObject({
      filename: 'broken.pdf',
      mimeType: 'application/pdf',
      size: 1026,
      inline: false,
    });
    expect(pdf?.content).toBeInstanceOf(Uint8Array);
    expect(pdf?.content.byteLength).toBe(1026);
  });

  it('decodes a quoted non-ASCII file name; a part that says inline is inline', async () => {
    const [image] = (await fromCorpus('mailgem-attachment_with_quoted_filename.eml')).attachments;

    expect(image).toMatchObject({
      filename: 'Eelanalüüsi päring.jpg',
      mimeType: 'image/jpeg',
      size: 1952,
      inline: true,
    });
  });

  it('marks images the HTML shows by Content-ID as inline, and keeps real attachments apart', async () => {
    const attachments = (await fromCorpus('mailparser-nodemailer.eml')).attachments;
    const byName = new Map(attachments.map((attachment) => [attachment.filename, attachment]));

    expect(byName.get('image.png')).toMatchObject({
      inline: true,
      contentId: '<note@example.com>',
      size: 126,
    });
    expect(byName.get('nyan cat ✔.gif')).toMatchObject({
      inline: true,
      contentId: '<nyan@example.com>',
      size: 29361,
    });
    const notes = byName.get('notes.txt');
    expect(notes).toMatchObject({ inline: false, mimeType: 'text/plain' });
    expect(notes).not.toHaveProperty('contentId');
    // postal-mime keeps the line break before the closing boundary, which RFC 2046 §5.1.1 counts
    // as part of the boundary, so a 7bit text attachment ends with one newline more than was sent.
    expect(new TextDecoder().decode(notes?.content)).toBe('Some notes about this e-mail\n');
  });

  it('keeps report and calendar parts as attachments', async () => {
    const report = (await fromCorpus('sisimai-lhost-postfix-01.eml')).attachments.map(
      (part) => part.mimeType,
    );
    const invitation = (await fromCorpus('notmuch-text-calendar.eml')).attachments.map(
      (part) => part.mimeType,
    );

    expect(report).toContain('message/delivery-status');
    expect(invitation).toEqual(['text/calendar']);
  });
});

describe('broken mail', () => {
  it('reads a multipart mail without a body', async () => {
    const message = await fromCorpus('mailgem-missing_body.eml');

    expect(message.subject).toBe('REDACTED');
    expect(message.text).toBe('');
    expect(message.reply).toBe('');
    expect(message.attachments).toEqual([]);
  });

  it('reads a mail whose body has parts but no boundaries as text', async () => {
    const message = await fromCorpus('flanker-missing-boundaries.eml');

    expect(message.subject).toBe('');
    expect(message.text).toContain('Hi This is a broken message');
    expect(message.text).toContain('Subject: This part misses boundaries');
  });

  it('reads a mail with an empty part', async () => {
    expect((await fromCorpus('notmuch-empty-part.eml')).text).toContain('the Mlmmj program');
  });

  it('reads a subject folded over thousands of lines', async () => {
    const message = await fromCorpus('flanker-long-header.eml');

    expect(message.subject.startsWith('Die heiße Zypernsonne quälte Max')).toBe(true);
    expect(message.subject.length).toBeGreaterThan(100_000);
    expect(message.text).toBe('test\n');
  });

  it('passes over an mbox `From ` line before the header', async () => {
    const message = await fromCorpus('mailgem-example14.eml');

    expect(message.headers[0]?.name).toBe('date');
    expect(message.from?.address).toBe('atsushi@example.com');
  });

  it('keeps only real header fields: a line without a name and colon is none', async () => {
    const message = await parsed(
      rawMail(['From: anna@customer.example', 'this line is no field', 'Subject: x']),
    );

    expect(message.headers.map((header) => header.name)).toEqual(['from', 'subject']);
  });

  it('reads text without any header as a body', async () => {
    const message = await fromCorpus('rt-lorem-ipsum.eml');

    expect(message.headers).toEqual([]);
    expect(message.text.startsWith('Lorem ipsum dolor sit amet')).toBe(true);
  });

  it('passes over blank lines before the header', async () => {
    // The corpus iPhone mail starts with a line of 255 spaces.
    const message = await fromCorpus('flanker-iphone.eml');

    expect(message.from?.address).toBe('someone@somewhere.com');
    expect(message.attachments.map((attachment) => attachment.filename)).toEqual(['photo.JPG']);
  });

  it('reads a lone header line without a body', async () => {
    const message = await parsed(encoder.encode('Subject: only this'));

    expect(message.subject).toBe('only this');
    expect(message.text).toBe('');
  });

  it('refuses an empty input with a reason', async () => {
    expect(await parseMail(new Uint8Array(0))).toEqual({ error: expect.stringContaining('empty') });
  });

  it('refuses MIME nested deeper than the limit with a reason', async () => {
    const depth = 40;
    let body = 'deep';
    for (let level = depth; level > 0; level--) {
      body = `--b${level}\r\nContent-Type: multipart/mixed; boundary="b${level + 1}"\r\n\r\n${body}\r\n--b${level}--\r\n`;
    }

    const result = await parseMail(rawMail(['Content-Type: multipart/mixed; boundary="b1"'], body));

    expect(result).toEqual({ error: expect.stringMatching(/nesting depth/) });
  });

  it('refuses a header section over 1 MiB with a reason', async () => {
    const result = await parseMail(rawMail([`X-Padding: ${'x'.repeat(1024 * 1024)}`]));

    expect(result).toEqual({ error: expect.stringMatching(/header size/) });
  });

  it('never throws on random bytes', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const bytes = new Uint8Array(4096);
      let state = seed;
      for (let i = 0; i < bytes.length; i++) {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        bytes[i] = state % 256;
      }

      const result = await parseMail(bytes);

      expect(isParsed(result) ? typeof result.text : typeof result.error).toBe('string');
    }
  });
});

describe('a 40 MB mail, the SES limit', () => {
  it('parses and gives the attachment whole', async () => {
    const payload = randomBytes(29 * 1024 * 1024 + 7);
    const base64 = payload.toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = rawMail(
      [
        'From: Anna <anna@customer.example>',
        'Subject: Scan of the boiler plate',
        'Content-Type: multipart/mixed; boundary="part"',
      ],
      '--part\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the scan.\r\n' +
        '--part\r\nContent-Type: application/octet-stream; name="scan.bin"\r\n' +
        'Content-Disposition: attachment; filename="scan.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
        `${base64}\r\n--part--\r\n`,
    );
    expect(raw.byteLength).toBeGreaterThan(39 * 1024 * 1024);
    expect(raw.byteLength).toBeLessThan(40 * 1024 * 1024);

    const message = await parsed(raw);

    expect(message.reply).toBe('See the scan.');
    expect(message.attachments).toHaveLength(1);
    const [scan] = message.attachments;
    expect(scan?.size).toBe(payload.byteLength);
    const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    expect(digest(scan?.content ?? new Uint8Array(0))).toBe(digest(payload));
  }, 60_000);
});
