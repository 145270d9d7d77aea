import { ConflictError } from '../shared/errors';
import { automaticMailHeaders, type OutboundMail, type OutgoingMail } from '../shared/mail';
import type { QuotaClaim } from '../shared/ports';

/**
 * Outbound mail that goes out at most once although the function sending it
 * runs at least once (event and schedule deliveries are retried).
 */

/**
 * Which mail about a work order: one claim per purpose. The key builder turns
 * it into the claim's sort key, so a new kind of mail adds a member here and
 * a case there.
 */
export type MailPurpose =
  | { kind: 'forward'; eventId: string }
  | { kind: 'reminder'; reminderId: string }
  /** The acknowledgement of a mail: at most one per sender and work order. */
  | { kind: 'acknowledgement'; sender: string };

/** One mail about one work order of one tenant: what a claim is taken on. */
export interface MailTarget {
  tenantId: string;
  workOrderId: string;
  purpose: MailPurpose;
}

/** `over-quota`: the claim came with a quota whose limit was reached, and was not taken. */
export type MailClaimState = 'claimed' | 'sent' | 'busy' | 'over-quota';

/**
 * A claim per mail, written before sending: a retried invocation finds it and
 * does not send again. A claim whose sender died before finishing expires
 * after its lease and is taken over.
 */
export interface MailClaims {
  /** Takes the claim; with a quota, one use of it in the same write (neither without the other). */
  claim(target: MailTarget, leaseSeconds: number, quota?: QuotaClaim): Promise<MailClaimState>;
  /** Whether the target's mail went out already. */
  isSent(target: MailTarget): Promise<boolean>;
  complete(target: MailTarget, messageId: string): Promise<void>;
  release(target: MailTarget): Promise<void>;
}

/** Another invocation holds the claim and is sending the mail now. */
export class MailBeingSentError extends ConflictError {
  constructor(target: MailTarget) {
    super(
      `Mail ${JSON.stringify(target.purpose)} of work order ${target.workOrderId} is being sent by another invocation`,
    );
  }
}

/** Twice the timeout of the functions that send (30 s): a claim older than this was abandoned. */
export const MAIL_CLAIM_LEASE_SECONDS = 60;

export type MailOutcome =
  | { outcome: 'sent'; messageId: string }
  | { outcome: 'already-sent' }
  | { outcome: 'skipped'; reason: string };

/** What a mail says and to whom; the sender and the automatic-mail headers are the same for all. */
export type MailContent = Omit<OutgoingMail, 'from' | 'headers'>;

export interface MailSender {
  claims: MailClaims;
  mail: OutboundMail;
  /** The service mailbox the mail comes from, e.g. `service@service.example.eu`. */
  from: string;
  /** `auto-replied` for answers to a person's mail (acknowledgements); `auto-generated` otherwise. */
  automatic?: 'auto-generated' | 'auto-replied';
}

/**
 * Sends the target's mail unless it was sent already. The content is composed
 * only once the claim is held, so a duplicate invocation reads nothing. A
 * failure to compose or send releases the claim (the retry may send), is
 * reported to `failed` and thrown, so the function retries and finally
 * dead-letters its input, which raises the alarm.
 */
export async function sendOnce(
  sender: MailSender,
  target: MailTarget,
  compose: () => Promise<MailContent>,
  failed: (error: unknown) => Promise<void>,
  quota?: { claim: QuotaClaim; refusal: string },
): Promise<MailOutcome> {
  const { claims, mail, from, automatic } = sender;
  const state = await claims.claim(target, MAIL_CLAIM_LEASE_SECONDS, quota?.claim);
  if (state === 'sent') return { outcome: 'already-sent' };
  if (state === 'over-quota') return { outcome: 'skipped', reason: quota?.refusal ?? 'Over its quota' };
  // Throwing makes Lambda retry later: by then the other sender finished, or its lease ran out.
  if (state === 'busy') throw new MailBeingSentError(target);
  let messageId: string;
  try {
    const content = await compose();
    ({ messageId } = await mail.send({ from, ...content, headers: automaticMailHeaders(from, automatic) }));
  } catch (error) {
    await claims.release(target).catch(() => undefined);
    // The send failure is what is thrown, whatever becomes of its report.
    await failed(error).catch(() => undefined);
    throw error;
  }
  await claims.complete(target, messageId);
  return { outcome: 'sent', messageId };
}
