import type { Actor } from '../access/actor';
import { authorize } from '../access/permissions';
import { NotFoundError } from '../shared/errors';
import { type MasterDataRules, MasterDataService, type ServiceContext } from '../shared/master-data-service';
import type { Repository } from '../shared/ports';
import type { InboundMail } from './inbound-mail';
import type { InboundMailStore, RawMailStore } from './intake-ports';
import { evaluateRules, type IntakeRule, type PatternMatcher, ruleInput } from './intake-rules';
import type { CreateMailboxInput, Mailbox, MailboxChanges } from './mailbox';
import type { ParsedMessage, UnparseableMessage } from './message';

export interface RuleTest {
  inboundMailId: string;
  /** The rule that decides, or null when none holds (the mail would become a plain work order). */
  matched: { index: number; name: string; because: string[]; action: IntakeRule['action'] } | null;
  /** Conditions whose pattern ran out of time (they count as not holding). */
  timedOut: string[];
  /** A reply to a thread is appended whatever the rules say; say so when the stored mail was one. */
  note?: string;
}

/** Mailboxes (CRM admin): settings, the intake rules as a whole, and trying the rules on a stored mail. */
export class MailboxService extends MasterDataService<Mailbox, CreateMailboxInput, MailboxChanges> {
  constructor(
    repository: Repository<Mailbox>,
    rules: MasterDataRules<Mailbox, CreateMailboxInput, MailboxChanges>,
    context: ServiceContext,
    private readonly mails: {
      store: InboundMailStore;
      rawMails: RawMailStore;
      parse(raw: Uint8Array): Promise<ParsedMessage | UnparseableMessage>;
      matcher: PatternMatcher;
    },
  ) {
    super(repository, rules, context);
  }

  /** Replaces the rules; without `expectedVersion` the current version is overwritten. */
  async replaceRules(
    actor: Actor,
    id: string,
    rules: IntakeRule[],
    expectedVersion?: number,
  ): Promise<Mailbox> {
    const current = expectedVersion ?? (await this.get(actor, id)).version;
    return this.update(actor, id, current, { rules, version: current });
  }

  /** Which rule would decide a stored inbound mail of this mailbox under the rules as they are now. */
  async testRules(actor: Actor, id: string, inboundMailId: string): Promise<RuleTest> {
    authorize(actor, 'mailbox:write');
    const mailbox = await this.load(actor, id);
    const mail = await this.mails.store.get(actor.tenantId, inboundMailId);
    if (!mail || mail.mailboxId !== mailbox.id) throw new NotFoundError('InboundMail', inboundMailId);
    const parsed = await this.mails.parse(await this.mails.rawMails.read(mail.receiptId));
    const message: ParsedMessage = 'error' in parsed ? emptyMessage(mail) : parsed;
    const { match, timedOut } = evaluateRules(
      mailbox.rules,
      ruleInput(message, mail.sender, mail.recipient),
      this.mails.matcher,
    );
    return {
      inboundMailId,
      matched: match
        ? { index: match.index, name: match.rule.name, because: match.because, action: match.rule.action }
        : null,
      timedOut,
      ...(mail.thread
        ? { note: `The mail replies to a work order (${mail.thread.signal}); replies skip the rules` }
        : {}),
    };
  }
}

/** What the rules can still see of a mail that could not be parsed: its envelope. */
function emptyMessage(mail: InboundMail): ParsedMessage {
  return {
    headers: [],
    replyTo: [],
    to: [],
    cc: [],
    subject: mail.subject,
    inReplyTo: [],
    references: [],
    contentType: 'text/plain',
    text: '',
    reply: '',
    attachments: [],
  };
}
