import type { MailEnvelope, ParsedMessage } from './message';

/**
 * Whether an inbound mail was sent by a machine rather than written by a person:
 * such mail never gets an automatic reply and never opens a work order on its
 * own. Each rule names the header (or envelope field) and value that decided,
 * so the decision can be shown to an admin.
 *
 * The rules, in the order they are checked:
 * - own-loop: an `X-Loop` naming one of our mailboxes: our own mail came back
 *   (we send `X-Loop` with every automatic mail, see `automaticMailHeaders`);
 * - auto-submitted: `Auto-Submitted` with any keyword but `no` (RFC 3834);
 * - null-sender: the envelope sender `<>`, or a `Return-Path: <>` header:
 *   bounces and most autoresponders send with no return address (RFC 5321 §4.5.5);
 * - daemon-sender: a `mailer-daemon` or `postmaster` local part in From or the envelope sender;
 * - precedence: `Precedence: bulk`, `junk` or `list`;
 * - list: `List-Id` (RFC 2919), a list-manager header of RFC 2369 (`List-Help`,
 *   `List-Subscribe`, `List-Post`, `List-Owner`, `List-Archive`), or ezmlm's
 *   `Mailing-List`. `List-Unsubscribe` alone does not count: bulk-sender rules
 *   (Gmail, Yahoo, RFC 8058) put it on transactional mail and on mail that a
 *   person writes in a CRM or sales tool, so a customer's own message can carry it;
 * - autoreply-header: a header only automatic senders write: `X-Autoreply`,
 *   `X-Autorespond` (any value but `no`), and Amazon SNS's `X-Amz-Sns-Message-Id`,
 *   which every SNS e-mail notification carries (the corpus has an SES bounce
 *   relayed by SNS that has no other mark: `sisimai-lhost-amazonses-09.eml`);
 * - delivery-report: a `multipart/report` (delivery status, read receipt,
 *   abuse feedback), or a bare report part (`message/delivery-status`,
 *   `message/disposition-notification`, `message/feedback-report`) as the whole mail.
 *
 * `X-Auto-Response-Suppress` alone does not make a mail automatic: it asks the
 * receiver not to answer automatically, it does not say a machine wrote the
 * mail, and Exchange and mailing tools put it on mail that people write.
 */

export type AutomaticKind =
  | 'own-loop'
  | 'auto-submitted'
  | 'null-sender'
  | 'daemon-sender'
  | 'precedence'
  | 'list'
  | 'autoreply-header'
  | 'delivery-report';

export interface AutomaticSignal {
  kind: AutomaticKind;
  /** The header (or envelope field) and value that decided, e.g. `Auto-Submitted: auto-replied`. */
  detail: string;
}

const DAEMON_LOCAL_PARTS = new Set(['mailer-daemon', 'postmaster']);
const BULK_PRECEDENCE = new Set(['bulk', 'junk', 'list']);
const LIST_HEADERS = [
  'List-Id',
  'List-Help',
  'List-Subscribe',
  'List-Post',
  'List-Owner',
  'List-Archive',
  'Mailing-List',
];
const AUTOREPLY_HEADERS = ['X-Autoreply', 'X-Autorespond', 'X-Amz-Sns-Message-Id'];
const REPORT_TYPES = new Set([
  'multipart/report',
  'message/delivery-status',
  'message/disposition-notification',
  'message/feedback-report',
]);

type Rule = (
  message: ParsedMessage,
  envelope: Pick<MailEnvelope, 'mailFrom'>,
  ourAddresses: (address: string) => boolean,
) => AutomaticSignal | undefined;

export function automaticMail(
  message: ParsedMessage,
  envelope: Pick<MailEnvelope, 'mailFrom'>,
  ourAddresses: (address: string) => boolean,
): AutomaticSignal | undefined {
  for (const rule of RULES) {
    const signal = rule(message, envelope, ourAddresses);
    if (signal) return signal;
  }
  return undefined;
}

/** Every rule that holds, in the order they are checked: what an admin sees next to the decision. */
export function automaticSignals(
  message: ParsedMessage,
  envelope: Pick<MailEnvelope, 'mailFrom'>,
  ourAddresses: (address: string) => boolean,
): AutomaticSignal[] {
  return RULES.flatMap((rule) => rule(message, envelope, ourAddresses) ?? []);
}

const ownLoop: Rule = (message, _envelope, ourAddresses) => {
  for (const value of values(message, 'x-loop')) {
    if (addressesIn(value).some(ourAddresses)) return { kind: 'own-loop', detail: `X-Loop: ${value}` };
  }
  return undefined;
};

const autoSubmitted: Rule = (message) => {
  const value = values(message, 'auto-submitted')[0];
  if (value === undefined) return undefined;
  const keyword = keywordOf(value);
  return keyword !== '' && keyword !== 'no'
    ? { kind: 'auto-submitted', detail: `Auto-Submitted: ${value}` }
    : undefined;
};

const nullSender: Rule = (message, envelope) => {
  if (envelope.mailFrom.trim() === '') return { kind: 'null-sender', detail: 'MAIL FROM: <>' };
  // The first Return-Path is the one the delivering server wrote last.
  const returnPath = values(message, 'return-path')[0];
  if (returnPath !== undefined && withoutComments(returnPath).replace(/\s+/g, '') === '<>') {
    return { kind: 'null-sender', detail: `Return-Path: ${returnPath}` };
  }
  return undefined;
};

const daemonSender: Rule = (message, envelope) => {
  if (message.from && DAEMON_LOCAL_PARTS.has(localPart(message.from.address))) {
    return { kind: 'daemon-sender', detail: `From: ${message.from.address}` };
  }
  if (DAEMON_LOCAL_PARTS.has(localPart(envelope.mailFrom))) {
    return { kind: 'daemon-sender', detail: `MAIL FROM: <${envelope.mailFrom}>` };
  }
  return undefined;
};

const precedence: Rule = (message) => {
  const value = values(message, 'precedence')[0];
  return value !== undefined && BULK_PRECEDENCE.has(keywordOf(value))
    ? { kind: 'precedence', detail: `Precedence: ${value}` }
    : undefined;
};

const list: Rule = (message) => {
  for (const name of LIST_HEADERS) {
    const value = values(message, name.toLowerCase()).find((v) => v.trim() !== '');
    if (value !== undefined) return { kind: 'list', detail: `${name}: ${value}` };
  }
  return undefined;
};

const autoreplyHeader: Rule = (message) => {
  for (const name of AUTOREPLY_HEADERS) {
    const value = values(message, name.toLowerCase()).find((v) => keywordOf(v) !== 'no');
    if (value !== undefined) return { kind: 'autoreply-header', detail: `${name}: ${value}` };
  }
  return undefined;
};

const deliveryReport: Rule = (message) => {
  if (!REPORT_TYPES.has(message.contentType)) return undefined;
  const value = values(message, 'content-type')[0] ?? message.contentType;
  return { kind: 'delivery-report', detail: `Content-Type: ${value}` };
};

const RULES: Rule[] = [
  ownLoop,
  autoSubmitted,
  nullSender,
  daemonSender,
  precedence,
  list,
  autoreplyHeader,
  deliveryReport,
];

/** Values of every header field of that (lowercase) name, in order. */
function values(message: ParsedMessage, name: string): string[] {
  return message.headers.filter((header) => header.name === name).map((header) => header.value);
}

function withoutComments(value: string): string {
  let result = value;
  // Innermost comments first, so nested ones go too; bounded, as each pass removes at least one.
  for (let pass = 0; pass < 10 && result.includes('('); pass++) result = result.replace(/\([^()]*\)/g, '');
  return result;
}

/** The keyword of a structured value: comments and `;` parameters dropped, lowercased. */
function keywordOf(value: string): string {
  return (withoutComments(value).split(';')[0] ?? '').trim().toLowerCase();
}

function localPart(address: string): string {
  const at = address.lastIndexOf('@');
  return (at < 0 ? address : address.slice(0, at)).trim().toLowerCase();
}

/** The addresses an `X-Loop` value names: `a@b`, `<a@b>`, `Name <a@b>`, several separated by commas. */
function addressesIn(value: string): string[] {
  return withoutComments(value)
    .split(',')
    .map((part) => {
      const angle = /<([^<>]*)>/.exec(part);
      return (angle?.[1] ?? part).trim().toLowerCase();
    })
    .filter((address) => address.includes('@'));
}
