import type { Contact } from '../customers/contact';
import { ClaimTakenError, QuotaExceededError } from '../shared/errors';
import type { WorkOrder } from '../work-orders/work-order';
import { refusedFilesNote } from './attachments';
import {
  changeEffects,
  type DecisionDeps,
  type DecisionInput,
  replyOf,
  replyText,
  titleOf,
} from './decision-effects';
import type { Decision, InboundMail } from './inbound-mail';
import { evaluateRules, ruleInput } from './intake-rules';
import { CLAIM_SCOPES, decided, hourOf, mailClaims, processedEvent, type RecordDraft } from './mail-record';
import { type Mailbox, settingsOf } from './mailbox';

/** What a decision did: the record, and the work order it created or changed (for its acknowledgement). */
export interface Decided {
  mail: InboundMail;
  workOrder?: WorkOrder;
  /** The work order is new: nothing was acknowledged for it yet. */
  created?: boolean;
}

const recorded = async (mail: Promise<InboundMail>): Promise<Decided> => ({ mail: await mail });

/** A decision that changes no work order: the record, its claims and its event, in one transaction. */
export async function recordDecision(
  deps: Pick<DecisionDeps, 'ports' | 'context' | 'actor'>,
  draft: RecordDraft,
  decision: Decision,
  reason: string,
  key?: string,
): Promise<InboundMail> {
  const mail = decided(draft, decision, reason);
  await deps.ports.store.record(mail, {
    claims: mailClaims(mail, key),
    events: [processedEvent(mail, deps.context.ids.next(), deps.actor)],
  });
  return mail;
}

/**
 * What a person's mail becomes: a reply goes to its thread (appended, or the
 * closed work order reopened, or a new one linked to it); a new request goes
 * through the mailbox's rules, its sender is matched to a contact and counted
 * against the per-hour cap, and becomes a work order.
 */
export async function applyDecision(deps: DecisionDeps, input: DecisionInput): Promise<Decided> {
  const { mailbox, draft, thread } = input;
  const threadOrder = thread
    ? await deps.ports.workOrders.get(mailbox.tenantId, thread.workOrderId)
    : undefined;
  if (thread && threadOrder) {
    const draftWithThread = { ...draft, thread };
    if (
      threadOrder.lifecycle === 'normal' &&
      threadOrder.status !== 'closed' &&
      threadOrder.status !== 'cancelled'
    ) {
      return append(deps, input, draftWithThread, threadOrder);
    }
    if (threadOrder.status === 'closed' && withinReopenWindow(deps, mailbox, threadOrder)) {
      return reopen(deps, input, draftWithThread, threadOrder);
    }
    return createFrom(deps, input, draftWithThread, undefined, threadOrder);
  }

  const evaluation = evaluateRules(
    mailbox.rules,
    ruleInput(input.message, draft.sender, draft.recipient),
    deps.ports.matcher,
  );
  const { match, timedOut } = evaluation;
  const withRule: RecordDraft = {
    ...draft,
    ...(match ? { rule: { index: match.index, name: match.rule.name, because: match.because } } : {}),
    // A pattern that ran out of time counted as not matching: the record says so, so nobody wonders.
    ...(timedOut.length > 0 ? { patternTimeouts: timedOut } : {}),
  };
  if (match && match.rule.action.kind !== 'create') {
    const why =
      match.rule.action.kind === 'ignore'
        ? `Rule "${match.rule.name}" ignores it`
        : `Rule "${match.rule.name}" only appends replies, and this mail is no reply`;
    return recorded(recordDecision(deps, withRule, 'ignored-rule', why, input.key));
  }
  const contact = await senderContact(deps, mailbox, draft.sender);
  if (!contact) {
    const why = draft.sender
      ? `${draft.sender} is no contact, and the mailbox holds mail of unknown senders`
      : 'The mail names no sender address';
    return recorded(recordDecision(deps, withRule, 'held-unknown-sender', why, input.key));
  }
  return createFrom(deps, input, { ...withRule, contactId: contact.id }, contact);
}

function withinReopenWindow(deps: DecisionDeps, mailbox: Mailbox, workOrder: WorkOrder): boolean {
  if (!workOrder.closedAt) return false;
  const days = settingsOf(mailbox).reopenWindowDays;
  const closed = new Date(workOrder.closedAt).getTime();
  return deps.context.clock.now().getTime() - closed <= days * 24 * 3600 * 1000;
}

/**
 * The contact of a sender address, or a new one when the mailbox creates
 * contacts. The new contact is claimed by its address, so mails of a new
 * sender arriving together make one contact (the address index is read
 * eventually consistently; the claim names the contact at once).
 */
async function senderContact(
  deps: DecisionDeps,
  mailbox: Mailbox,
  sender: string,
): Promise<Contact | undefined> {
  if (!sender.includes('@')) return undefined;
  const { contacts, store } = deps.ports;
  const [known] = await contacts.byEmail(mailbox.tenantId, sender);
  if (known) return known;
  const claimed = await store.claimed(mailbox.tenantId, CLAIM_SCOPES.senderContact, sender);
  if (claimed) return contacts.get(mailbox.tenantId, claimed);
  if (settingsOf(mailbox).unknownSenders === 'hold') return undefined;
  const name = sender.slice(0, sender.indexOf('@')).slice(0, 100);
  try {
    return await contacts.create(deps.actor, { lastName: name, email: sender }, [
      { kind: 'once', scope: CLAIM_SCOPES.senderContact, key: sender },
    ]);
  } catch (error) {
    if (!(error instanceof ClaimTakenError)) throw error;
    const id = await store.claimed(mailbox.tenantId, CLAIM_SCOPES.senderContact, sender);
    return id ? contacts.get(mailbox.tenantId, id) : undefined;
  }
}

async function append(
  deps: DecisionDeps,
  input: DecisionInput,
  draft: RecordDraft,
  workOrder: WorkOrder,
): Promise<Decided> {
  const build = await changeEffects(deps, input, draft, 'appended', `A reply to ${workOrder.number}`);
  const { mail, effects } = build(workOrder);
  await deps.workOrders.appendReply(deps.actor, workOrder, replyOf(input, draft), effects);
  return { mail, workOrder };
}

async function reopen(
  deps: DecisionDeps,
  input: DecisionInput,
  draft: RecordDraft,
  workOrder: WorkOrder,
): Promise<Decided> {
  const days = settingsOf(input.mailbox).reopenWindowDays;
  const why = `A reply to ${workOrder.number}, closed within the last ${days} days`;
  const { mail, effects } = (await changeEffects(deps, input, draft, 'reopened', why))(workOrder);
  const reopened = await deps.workOrders.reopenWithReply(
    deps.actor,
    workOrder,
    replyOf(input, draft),
    effects,
  );
  return { mail, workOrder: reopened };
}

/** A new work order: for a new request, or for a reply to one closed too long ago (`previous`). */
async function createFrom(
  deps: DecisionDeps,
  input: DecisionInput,
  draft: RecordDraft,
  contact: Contact | undefined,
  previous?: WorkOrder,
): Promise<Decided> {
  const { mailbox, message } = input;
  const cap = settingsOf(mailbox).newWorkOrdersPerSenderPerHour;
  const decision: Decision = previous ? 'linked-new' : 'created';
  const reason = previous
    ? `A reply to ${previous.number}, which was ${previous.status} too long ago to reopen`
    : draft.rule
      ? `A new request; rule "${draft.rule.name}" creates it`
      : 'A new request';
  const build = await changeEffects(
    deps,
    input,
    previous ? { ...draft, previousWorkOrderId: previous.id } : draft,
    decision,
    reason,
  );
  const action = draft.rule ? mailbox.rules[draft.rule.index]?.action : undefined;
  const rule = action?.kind === 'create' ? action : undefined;
  let mail: InboundMail | undefined;
  const quota = {
    kind: 'quota' as const,
    scope: CLAIM_SCOPES.senderQuota,
    key: `${mailbox.id}#${draft.sender}#${hourOf(draft.createdAt)}`,
    limit: cap,
  };
  let workOrder: WorkOrder;
  try {
    workOrder = await deps.workOrders.create(
      deps.actor,
      {
        title: titleOf(message.subject),
        description: replyText(message),
        ...(contact
          ? { contactId: contact.id }
          : previous?.contactId
            ? { contactId: previous.contactId }
            : {}),
        ...((rule?.typeId ?? mailbox.defaultTypeId) ? { typeId: rule?.typeId ?? mailbox.defaultTypeId } : {}),
        ...((rule?.priority ?? mailbox.defaultPriority)
          ? { priority: rule?.priority ?? mailbox.defaultPriority }
          : {}),
        ...((rule?.ownerId ?? mailbox.defaultOwnerId)
          ? { ownerId: rule?.ownerId ?? mailbox.defaultOwnerId }
          : {}),
        ...(rule?.team ? { team: rule.team } : {}),
      },
      [quota],
      {
        ...(contact ? { contact } : {}),
        origin: {
          inboundMailId: draft.id,
          ...(previous ? { follows: previous.id } : {}),
          ...refusedFilesNote(message.attachments),
        },
        also: (created) => {
          const built = build(created);
          mail = built.mail;
          return built.effects;
        },
      },
    );
  } catch (error) {
    // The sender's count is checked in the work order's own transaction, so concurrent mails cannot pass it.
    if (!(error instanceof QuotaExceededError)) throw error;
    const why = `${draft.sender} reached ${cap} new work orders in this hour`;
    return recorded(recordDecision(deps, draft, 'held-rate-cap', why, input.key));
  }
  return { mail: mail as InboundMail, workOrder, created: true };
}
