import { randomBytes, randomUUID } from 'node:crypto';
import { ValidationError } from '../../domain/shared/errors';
import { addressOf, type OutgoingMail } from '../../domain/shared/mail';

/**
 * A MIME composer for the mail we send (RFC 5322, RFC 2045-2047): UTF-8
 * everywhere, encoded-word headers where they are not plain ASCII, quoted-
 * printable bodies, `multipart/alternative` when there is an HTML part.
 * Small on purpose: no attachments yet, so no dependency for them.
 */

export interface ComposeOptions {
  /** Default: now. */
  date?: Date;
  /** Domain of the generated Message-ID; default: the domain of the From address. */
  messageIdDomain?: string;
  /** Fixed parts for tests; random otherwise. */
  messageId?: string;
  boundary?: string;
}

export interface ComposedMail {
  /** The whole message, CRLF line endings, 7-bit clean. */
  raw: string;
  /** With angle brackets, as in the header. */
  messageId: string;
  /** Every envelope recipient (To and Cc), bare addresses. */
  recipients: string[];
}

const CRLF = '\r\n';
/** RFC 2047 §2: a header line holding encoded-words is at most 76 characters; we keep every line there. */
const MAX_LINE = 76;
/** Header fields this composer writes itself; a caller cannot set or override them. */
const RESERVED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'reply-to',
  'references',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);
const HEADER_NAME = /^[!-9;-~]+$/;
const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;
const ADDRESS = /^[^\s<>@,;"()[\]\\]+@[A-Za-z0-9.-]+$/;
// RFC 5322 atext plus the space between words: needs no quoting as a display name.
const PLAIN_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$/;
/** A plain word longer than this goes out as encoded-words, so no header line passes MAX_LINE. */
const MAX_PLAIN_WORD = 40;
// Line breaks (also NEL and the Unicode separators) and every other control character.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what a header must never carry.
const BREAKS_AND_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

export function composeMime(message: OutgoingMail, options: ComposeOptions = {}): ComposedMail {
  if (message.to.length === 0) throw invalid('to', 'At least one recipient');
  const fromAddress = addressOf(message.from);
  const domain = options.messageIdDomain ?? fromAddress.split('@')[1] ?? 'localhost';
  const messageId = options.messageId ?? `<${randomUUID()}@${domain}>`;
  if (!MESSAGE_ID.test(messageId)) throw invalid('messageId', `Not a Message-ID: ${messageId}`);

  const lines: string[] = [
    header('From', [mailbox(message.from, 'from')]),
    header('To', addressList(message.to, 'to')),
  ];
  if (message.cc && message.cc.length > 0) lines.push(header('Cc', addressList(message.cc, 'cc')));
  if (message.replyTo) lines.push(header('Reply-To', [mailbox(message.replyTo, 'replyTo')]));
  lines.push(
    header('Subject', unstructured(message.subject)),
    `Date: ${rfc5322Date(options.date ?? new Date())}`,
    `Message-ID: ${messageId}`,
  );
  if (message.inReplyTo) lines.push(header('In-Reply-To', [messageIdOf(message.inReplyTo, 'inReplyTo')]));
  if (message.references && message.references.length > 0) {
    lines.push(
      header(
        'References',
        message.references.map((id, i) => messageIdOf(id, `references.${i}`)),
      ),
    );
  }
  lines.push('MIME-Version: 1.0');
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) {
      throw invalid(`headers.${name}`, 'Not a header field this message may set');
    }
    lines.push(header(name, unstructured(value)));
  }

  const textPart = part('text/plain', message.text);
  if (message.html === undefined) {
    lines.push(...textPart.headers, '', textPart.body);
  } else {
    const boundary = options.boundary ?? `=_fs_${randomBytes(12).toString('hex')}`;
    const htmlPart = part('text/html', message.html);
    lines.push(
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      '',
      'This is a multi-part message in MIME format.',
      `--${boundary}`,
      ...textPart.headers,
      '',
      textPart.body,
      `--${boundary}`,
      ...htmlPart.headers,
      '',
      htmlPart.body,
      `--${boundary}--`,
    );
  }
  const recipients = [...message.to, ...(message.cc ?? [])].map(addressOf);
  return { raw: lines.join(CRLF) + CRLF, messageId, recipients };
}

function part(type: 'text/plain' | 'text/html', content: string) {
  return {
    headers: [`Content-Type: ${type}; charset=UTF-8`, 'Content-Transfer-Encoding: quoted-printable'],
    body: quotedPrintable(content),
  };
}

/**
 * `Name: word word ...`, folded (RFC 5322 §2.2.3) at a space before a word that
 * would pass the line limit; unfolding removes exactly the CRLF we add.
 */
function header(name: string, tokens: string[]): string {
  let line = `${name}:`;
  const out: string[] = [];
  for (const token of tokens.flatMap((t) => t.split(' '))) {
    if (token && line.length + 1 + token.length > MAX_LINE && line.length > name.length + 1) {
      out.push(line);
      line = ` ${token}`;
    } else {
      line += ` ${token}`;
    }
  }
  out.push(line);
  return out.join(CRLF);
}

/**
 * A header value is one logical line: a line break (a title typed on two
 * lines) or any other control character becomes a space, so nothing a value
 * holds can start a header field of its own or reach a reader as a control.
 */
export function headerText(value: string): string {
  return value.replace(BREAKS_AND_CONTROLS, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Short printable-ASCII words, none of which a decoder would take for an encoded-word. */
function isPlain(value: string): boolean {
  return (
    /^[\x20-\x7e]*$/.test(value) &&
    !value.includes('=?') &&
    value.split(' ').every((word) => word.length <= MAX_PLAIN_WORD)
  );
}

/** Free text (Subject, extra headers): as is when plain, else RFC 2047 encoded-words. */
function unstructured(value: string): string[] {
  const text = headerText(value);
  if (text === '') return [''];
  return isPlain(text) ? text.split(' ') : encodedWords(text);
}

/**
 * `=?UTF-8?B?...?=` words (at most 75 characters by RFC 2047 §2; ours are 52,
 * so `Header-Name: word` stays within 76), each holding whole characters: a
 * decoder joins adjacent words without the space between.
 */
export function encodedWords(value: string): string[] {
  const words: string[] = [];
  let chunk = '';
  const flush = () => {
    if (chunk) words.push(`=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`);
    chunk = '';
  };
  for (const char of value) {
    // 30 bytes → 40 base64 characters → a 52-character word.
    if (Buffer.byteLength(chunk + char, 'utf8') > 30) flush();
    chunk += char;
  }
  flush();
  return words.length > 0 ? words : ['=?UTF-8?B??='];
}

function addressList(mailboxes: string[], field: string): string[] {
  return mailboxes.map((m, i) => mailbox(m, `${field}.${i}`) + (i < mailboxes.length - 1 ? ',' : ''));
}

/** `a@b` or `Name <a@b>`, the name quoted or encoded as it needs. */
function mailbox(value: string, field: string): string {
  const angle = value.lastIndexOf('<');
  // The address itself may hold no line break: it decides where the mail goes.
  const address = angle >= 0 ? addressOf(value) : value.trim();
  if (/[\r\n]/.test(value.slice(Math.max(angle, 0))) || !ADDRESS.test(address))
    throw invalid(field, `Not an e-mail address: ${JSON.stringify(address)}`);
  const name = angle >= 0 ? headerText(value.slice(0, angle)) : '';
  const unquoted = headerText(name.replace(/^"(.*)"$/s, '$1'));
  if (!unquoted) return address;
  let phrase: string;
  if (PLAIN_PHRASE.test(unquoted) && isPlain(unquoted)) phrase = unquoted;
  else if (isPlain(unquoted)) phrase = `"${unquoted.replace(/(["\\])/g, '\\$1')}"`;
  else phrase = encodedWords(unquoted).join(' ');
  return `${phrase} <${address}>`;
}

function messageIdOf(value: string, field: string): string {
  const id = value.trim();
  if (!MESSAGE_ID.test(id)) throw invalid(field, `Not a Message-ID: ${value}`);
  return id;
}

/**
 * Quoted-printable (RFC 2045 §6.7) of UTF-8 text with CRLF line breaks:
 * printable ASCII stays readable, everything else is `=XX`, trailing
 * whitespace is encoded and lines are soft-broken before 76 characters.
 */
export function quotedPrintable(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      const bytes = Buffer.from(line, 'utf8');
      let out = '';
      let current = '';
      bytes.forEach((byte, i) => {
        const isLast = i === bytes.length - 1;
        const literal =
          (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !isLast);
        // A line starting with "From " or "." is mangled by some transports; encode its first byte.
        const risky =
          current === '' && out === '' && (byte === 46 || (byte === 70 && line.startsWith('From ')));
        const token =
          literal && !risky
            ? String.fromCharCode(byte)
            : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
        if (current.length + token.length > 75) {
          out += `${current}=${CRLF}`;
          current = '';
        }
        current += token;
      });
      return out + current;
    })
    .join(CRLF);
}

/** `Mon, 23 Nov 2026 09:15:02 +0000` */
export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

function invalid(field: string, message: string): ValidationError {
  return new ValidationError('The mail cannot be composed', [{ field: `mail.${field}`, message }]);
}
