import type { ThreadMatch } from './inbound-mail';
import type { ParsedMessage } from './message';

/*
 * Which work order a mail belongs to, by the strongest signal it carries:
 * 1. `In-Reply-To`, then `References` (newest first), against the Message-IDs
 *    we sent (acknowledgements) or received (the mails of the thread);
 * 2. the signed reply token in the envelope recipient (`service+TOKEN@…`),
 *    the Reply-To of our acknowledgements;
 * 3. a `[WO-…]` tag in the subject, only when the sender is the work order's
 *    contact or a contact of its account: anybody can type a number.
 */

/** Message-IDs a mail refers to, strongest first. */
export function referencedIds(
  message: ParsedMessage,
): { id: string; signal: 'in-reply-to' | 'references' }[] {
  const seen = new Set<string>();
  const ids: { id: string; signal: 'in-reply-to' | 'references' }[] = [];
  const add = (id: string, signal: 'in-reply-to' | 'references') => {
    if (seen.has(id)) return;
    seen.add(id);
    ids.push({ id, signal });
  };
  for (const id of message.inReplyTo) add(id, 'in-reply-to');
  for (const id of [...message.references].reverse()) add(id, 'references');
  return ids;
}

/** `service+TOKEN@domain` → `TOKEN`; undefined without a `+`. */
export function replyTokenOf(recipient: string): string | undefined {
  const local = recipient.slice(0, recipient.lastIndexOf('@'));
  const plus = local.indexOf('+');
  return plus < 0 ? undefined : local.slice(plus + 1) || undefined;
}

/** The mailbox address without its reply token: `service+TOKEN@domain` → `service@domain`. */
export function withoutReplyToken(recipient: string): string {
  const at = recipient.lastIndexOf('@');
  const local = recipient.slice(0, at);
  const plus = local.indexOf('+');
  return plus < 0 ? recipient : `${local.slice(0, plus)}${recipient.slice(at)}`;
}

/** `service+TOKEN@domain` for a mailbox address and a token. */
export function withReplyToken(address: string, token: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+${token}${address.slice(at)}`;
}

/** A work-order number as we write it: six digits or more, and no more than a number of a year holds. */
const SUBJECT_TAG = /\[(WO-\d{4}-\d{6,12})\]/gi;
/** Most tags of one subject looked up: each costs reads, and a subject may hold thousands. */
const MAX_SUBJECT_TAGS = 5;

/** Work-order numbers tagged in a subject, e.g. `Re: Boiler [WO-2026-000123]`, each once, the first few. */
export function subjectTags(subject: string): string[] {
  const tags = new Set<string>();
  for (const match of subject.matchAll(SUBJECT_TAG)) {
    tags.add((match[1] as string).toUpperCase());
    if (tags.size === MAX_SUBJECT_TAGS) break;
  }
  return [...tags];
}

/**
 * Signs work-order ids into reply tokens and checks them (HMAC with a secret
 * of the region). A token names one work order of one tenant; a forged or
 * altered token is not accepted.
 */
export interface ReplyTokens {
  sign(tenantId: string, workOrderId: string): Promise<string>;
  /** The work order a token names, if the token is genuine and for this tenant. */
  verify(tenantId: string, token: string): Promise<string | undefined>;
}

/** Where threads are found: the Message-IDs of a tenant's threads, work orders by number. */
export interface ThreadLookups {
  /** For each Message-ID known to be of a thread, its work order. */
  byMessageIds(tenantId: string, ids: string[]): Promise<Map<string, string>>;
  workOrderExists(tenantId: string, id: string): Promise<boolean>;
  /** The id of the work order with this number, if the sender is its contact or a contact of its account. */
  numberedForSender(tenantId: string, number: string, sender: string): Promise<string | undefined>;
}

/** The thread a mail belongs to, by the strongest signal; undefined for a new request. */
export async function findThread(
  lookups: ThreadLookups,
  tokens: ReplyTokens,
  input: { tenantId: string; message: ParsedMessage; recipient: string; sender: string },
): Promise<ThreadMatch | undefined> {
  const { tenantId, message } = input;
  const referenced = referencedIds(message);
  if (referenced.length > 0) {
    const known = await lookups.byMessageIds(
      tenantId,
      referenced.map((r) => r.id),
    );
    for (const { id, signal } of referenced) {
      const workOrderId = known.get(id);
      if (workOrderId) return { signal, value: id, workOrderId };
    }
  }
  const token = replyTokenOf(input.recipient);
  const tokenWorkOrder = token ? await tokens.verify(tenantId, token) : undefined;
  if (token && tokenWorkOrder && (await lookups.workOrderExists(tenantId, tokenWorkOrder))) {
    return { signal: 'reply-token', value: token, workOrderId: tokenWorkOrder };
  }
  if (input.sender) {
    for (const tag of subjectTags(message.subject)) {
      const workOrderId = await lookups.numberedForSender(tenantId, tag, input.sender);
      if (workOrderId) return { signal: 'subject-tag', value: tag, workOrderId };
    }
  }
  return undefined;
}
