import PostalMime, { type Address, type Attachment, addressParser, type Email } from 'postal-mime';
import type {
  HeaderField,
  MailAddress,
  ParsedAttachment,
  ParsedMessage,
  UnparseableMessage,
} from '../../domain/inbound-mail/message';
import { htmlToText } from './html-to-text';
import { replyText } from './reply-text';

/**
 * Reads a raw inbound mail (RFC 5322 / MIME bytes, as SES stores it) into the
 * `ParsedMessage` the domain works with. Content never makes it throw: what the
 * MIME parser refuses comes back as an `UnparseableMessage` with the reason, so
 * the raw mail can be quarantined.
 */

/**
 * postal-mime's limits. A parse past them is refused (and the mail quarantined):
 * - nesting: real mail nests a few levels (mixed > related > alternative, a
 *   forwarded message or two); every open level is compared against each body
 *   line, so the default of 256 only helps a crafted mail cost more;
 * - header bytes, summed over all parts: a busy relay chain with DKIM and ARC
 *   stays under 100 KB, the corpus's 210 KB folded subject fits, and 1 MiB still
 *   stops a header bomb well inside a 40 MB SES mail;
 * - attached mails are read into the text up to three deep; deeper ones stay
 *   attachments, so nothing is lost.
 */
const PARSER_LIMITS = {
  maxNestingDepth: 32,
  maxHeadersSize: 1024 * 1024,
  maxRfc822NestingDepth: 3,
} as const;

const LF = 0x0a;
const CR = 0x0d;

export async function parseMail(raw: Uint8Array): Promise<ParsedMessage | UnparseableMessage> {
  if (raw.byteLength === 0) return { error: 'empty message: no header and no body' };
  let email: Email;
  try {
    email = await PostalMime.parse(prepare(raw), PARSER_LIMITS);
  } catch (error) {
    return { error: `MIME structure refused: ${error instanceof Error ? error.message : String(error)}` };
  }
  try {
    return toParsedMessage(email);
  } catch (error) {
    // Not expected from any input seen so far; kept so a parser surprise quarantines one mail
    // instead of failing the batch.
    return { error: `message not readable: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function toParsedMessage(email: Email): ParsedMessage {
  const headers: HeaderField[] = email.headers
    .filter((header) => FIELD_NAME.test(header.originalKey))
    .map((header) => ({ name: header.key, value: header.value }));
  const first = (name: string) => headers.find((header) => header.name === name)?.value;

  // An empty text part beside an HTML one (some web mailers send that) does not hide the HTML.
  const hasText = email.text !== undefined && email.text.trim() !== '';
  const body = hasText ? (email.text ?? '') : email.html ? htmlToText(email.html) : (email.text ?? '');
  const text = body.replace(/\r\n?/g, '\n');
  const messageIdValue = first('message-id');
  const date = first('date');
  return {
    headers,
    from: mailboxes(addressParser(first('from') ?? '', { flatten: true }))[0],
    replyTo: mailboxes(email.replyTo),
    to: mailboxes(email.to),
    cc: mailboxes(email.cc),
    subject: email.subject ?? '',
    messageId: messageIdValue === undefined ? undefined : messageIdOf(messageIdValue),
    inReplyTo: messageIds(first('in-reply-to') ?? ''),
    references: messageIds(first('references') ?? ''),
    date: date === undefined ? undefined : isoDate(date),
    contentType: mimeType(first('content-type')),
    text,
    reply: replyText(text),
    attachments: email.attachments.map(attachmentOf),
  };
}

/** RFC 5322 field name: printable ASCII but the colon. Lines of a header-less text are not fields. */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

function mailboxes(addresses: Address[] | undefined): MailAddress[] {
  const result: MailAddress[] = [];
  for (const entry of addresses ?? []) {
    for (const mailbox of entry.group ?? [entry]) {
      const address = mailbox.address?.trim().toLowerCase() ?? '';
      if (address !== '') result.push({ address, name: mailbox.name.trim() });
    }
  }
  return result;
}

function attachmentOf(attachment: Attachment): ParsedAttachment {
  const content =
    typeof attachment.content === 'string'
      ? new TextEncoder().encode(attachment.content)
      : attachment.content instanceof Uint8Array
        ? attachment.content
        : new Uint8Array(attachment.content);
  return {
    filename: attachment.filename,
    mimeType: attachment.mimeType.toLowerCase(),
    size: content.byteLength,
    // A part the HTML shows by its Content-ID (a logo, an embedded picture) is inline whatever its
    // disposition says; so is a part that says `inline` itself.
    inline: attachment.disposition === 'inline' || (attachment.related === true && !!attachment.contentId),
    ...(attachment.contentId ? { contentId: attachment.contentId } : {}),
    content,
  };
}

/** The lowercased `type/subtype` of a Content-Type value; `text/plain` when missing or invalid (RFC 2045 §5.2). */
function mimeType(value: string | undefined): string {
  const type =
    (value ?? '')
      .replace(/\([^()]*\)/g, '')
      .split(';')[0]
      ?.trim()
      .toLowerCase() ?? '';
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type) ? type : 'text/plain';
}

const MONTH_NAMES =
  /\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{2}(?:\d{2})?\b/i;
const FOUR_DIGIT_YEAR = /(?:^|[^\d:+-])\d{4}(?![\d:])/;

/**
 * The Date header as an ISO time. A value that names no year is refused even if
 * JavaScript's lenient parser accepts it: `Thu Jan 01 00:00:10 +0000` would
 * otherwise become 1 January 2001, a date nobody wrote.
 */
function isoDate(value: string): string | undefined {
  if (!MONTH_NAMES.test(value) && !FOUR_DIGIT_YEAR.test(value)) return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** End of a parenthesised comment starting at `start`, nested comments and `\` escapes included. */
function skipComment(value: string, start: number): number {
  let depth = 0;
  for (let i = start; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return value.length;
}

function skipQuoted(value: string, start: number): number {
  for (let i = start + 1; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
  }
  return value.length;
}

const WORD_END = new Set([' ', '\t', '\r', '\n', ',', '<', '(', '"']);

/**
 * The Message-IDs of an `In-Reply-To` or `References` value, in order, each once,
 * angle brackets included. Comments and quoted phrases (RFC 5322's obsolete
 * `In-Reply-To: Your message of "..." <id>`) are skipped; whitespace a folded
 * line left inside an id is removed; a bare `local@domain` gets brackets; bare
 * words without `@` are phrase, not ids.
 */
export function messageIds(value: string): string[] {
  const ids = new Set<string>();
  let i = 0;
  while (i < value.length) {
    const c = value[i] ?? '';
    if (c === '(') i = skipComment(value, i);
    else if (c === '"') i = skipQuoted(value, i);
    else if (c === '<') {
      const close = value.indexOf('>', i + 1);
      const end = close < 0 ? value.length : close;
      const inner = value.slice(i + 1, end);
      // `<<id>>` and the like: the innermost bracket is the id.
      const id = inner.slice(inner.lastIndexOf('<') + 1).replace(/\s+/g, '');
      if (id !== '') ids.add(`<${id}>`);
      i = end + 1;
    } else if (WORD_END.has(c)) i++;
    else {
      let end = i + 1;
      while (end < value.length && !WORD_END.has(value[end] ?? '')) end++;
      const word = value.slice(i, end).replaceAll('>', '');
      if (word.includes('@')) ids.add(`<${word}>`);
      i = end;
    }
  }
  return [...ids];
}

/** A Message-ID header's id; a lone bare token without `@` still names the message. */
function messageIdOf(value: string): string | undefined {
  const [id] = messageIds(value);
  if (id !== undefined) return id;
  const token = value.trim();
  return token !== '' && !/[\s<>()",]/.test(token) ? `<${token}>` : undefined;
}

/**
 * The bytes postal-mime reads, repaired where real mail breaks the format in
 * ways that would otherwise lose text:
 * - an mbox `From ` separator line before the header (several corpus mails) is dropped;
 * - text with no header at all (its first line is no `Name: value` field) is read as a body;
 * - header lines in a legacy 8-bit charset instead of UTF-8 or encoded words
 *   (`From: Wilhelmsen H\xe5vard`) are transcoded to UTF-8, line by line, so only
 *   the broken lines change.
 */
function prepare(raw: Uint8Array): Uint8Array {
  let bytes = raw;
  if (startsWithAscii(bytes, 'From ')) {
    const lf = bytes.indexOf(LF);
    bytes = lf < 0 ? new Uint8Array(0) : bytes.subarray(lf + 1);
  }
  if (!startsWithField(bytes)) return concat([Uint8Array.of(CR, LF), bytes]);
  return transcodeLegacyHeaderLines(bytes);
}

function startsWithAscii(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/**
 * Whether the header starts with a field (`name:`), or is empty (no header, the
 * body follows). Lines of blanks before it are passed over, as postal-mime does
 * (one corpus mail starts with 255 spaces); so is a first line that starts with
 * a blank, which postal-mime reads as a folded line.
 */
function startsWithField(bytes: Uint8Array): boolean {
  let start = 0;
  while (bytes[start] === 0x20 || bytes[start] === 0x09) {
    let end = start;
    while (bytes[end] === 0x20 || bytes[end] === 0x09) end++;
    if (bytes[end] === CR) end++;
    if (bytes[end] !== LF) return true;
    start = end + 1;
  }
  if (bytes[start] === LF || (bytes[start] === CR && bytes[start + 1] === LF)) return true;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0x3a) return i > start;
    if (b <= 0x20 || b >= 0x7f) {
      // Whitespace before the colon (`Subject : x`) is obsolete syntax that postal-mime reads.
      if (b !== 0x20 && b !== 0x09) return false;
      let j = i;
      while (bytes[j] === 0x20 || bytes[j] === 0x09) j++;
      return bytes[j] === 0x3a && i > start;
    }
  }
  return false;
}

type Decoder = InstanceType<typeof TextDecoder>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function transcodeLegacyHeaderLines(bytes: Uint8Array): Uint8Array {
  const end = headerEnd(bytes);
  let highBytes = false;
  for (let i = 0; i < end && !highBytes; i++) highBytes = (bytes[i] ?? 0) >= 0x80;
  if (!highBytes) return bytes;

  const header = bytes.subarray(0, end);
  let legacy: Decoder | undefined;
  const pieces: Uint8Array[] = [];
  let start = 0;
  let changed = false;
  while (start < header.length) {
    const lf = header.indexOf(LF, start);
    const stop = lf < 0 ? header.length : lf + 1;
    const line = header.subarray(start, stop);
    if (isUtf8(line)) pieces.push(line);
    else {
      legacy ??= legacyDecoder(header);
      pieces.push(new TextEncoder().encode(legacy.decode(line)));
      changed = true;
    }
    start = stop;
  }
  if (!changed) return bytes;
  pieces.push(bytes.subarray(end));
  return concat(pieces);
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Index where the body starts: after the first empty line, or the end when there is none. */
function headerEnd(bytes: Uint8Array): number {
  let lf = bytes.indexOf(LF);
  while (lf >= 0) {
    if (bytes[lf + 1] === LF) return lf + 2;
    if (bytes[lf + 1] === CR && bytes[lf + 2] === LF) return lf + 3;
    lf = bytes.indexOf(LF, lf + 1);
  }
  return bytes.length;
}

/**
 * The charset a sender used for raw 8-bit header text: the message's own
 * Content-Type charset when it names a single-byte or legacy multibyte charset
 * TextDecoder knows, else windows-1252 (the superset of Latin-1 such mailers used).
 */
function legacyDecoder(header: Uint8Array): Decoder {
  const unfolded = new TextDecoder('windows-1252').decode(header).replace(/\r?\n[ \t]+/g, ' ');
  const label = /^content-type:[^\n]*?\bcharset\s*=\s*"?([^\s";]+)/im.exec(unfolded)?.[1];
  if (label) {
    try {
      const decoder = new TextDecoder(label);
      if (!['utf-8', 'utf-16le', 'utf-16be'].includes(decoder.encoding)) return decoder;
    } catch {
      // A label TextDecoder does not know: the fallback below.
    }
  }
  return new TextDecoder('windows-1252');
}

function concat(pieces: Uint8Array[]): Uint8Array {
  const result = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.byteLength, 0));
  let offset = 0;
  for (const piece of pieces) {
    result.set(piece, offset);
    offset += piece.byteLength;
  }
  return result;
}
