import type { SystemActor } from '../access/actor';
import type { Contact } from '../customers/contact';
import { ClaimTakenError } from '../shared/errors';
import type { ServiceContext } from '../shared/master-data-service';
import type { WriteEffects } from '../shared/ports';
import type { WorkOrderAttachment } from '../work-orders/attachments';
import type { WorkOrder } from '../work-orders/work-order';
import type { WorkOrderService } from '../work-orders/work-order-service';
import { attachmentStorageKey, displayName, outcomeOf, refusalOf, refusedFilesNote } from './attachments';
import type { AttachmentOutcome, Decision, InboundMail, ThreadMatch } from './inbound-mail';
import type { IntakePorts } from './intake-ports';
import { evaluateRules, ruleInput } from './intake-rules';
import {
  CLAIM_SCOPES,
  decided,
  hourOf,
  mailClaims,
  processedEvent,
  type RecordDraft,
  recordCompanion,
} from './mail-record';
import { type Mailbox, settingsOf } from './mailbox';
import type { ParsedMessage } from './message';

export interface DecisionDeps {
  ports: IntakePorts;
  workOrders: WorkOrderService;
  context: ServiceContext;
  actor: SystemActor;
}

interface DecisionInput {
  mailbox: Mailbox;
  draft: RecordDraft;
  message: ParsedMessage;
  /** The key the message is claimed under; none for a replay (the replayed mail claimed it). */
  key: string | undefined;
  thread?: ThreadMatch | undefined;
}

/** Longest description or comment taken from a mail; the raw mail keeps all of it. */
const MAX_TEXT = 10_000;
const TITLE_MAX = 200;

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
export async function applyDecision(deps: DecisionDeps, input: DecisionInput): Promise<InboundMail> {
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
  const { match } = evaluation;
  const withRule = match
    ? { ...draft, rule: { index: match.index, name: match.rule.name, because: match.because } }
    : draft;
  if (match && match.rule.action.kind !== 'create') {
    const why =
      match.rule.action.kind === 'ignore'
        ? `Rule "${match.rule.name}" ignores it`
        : `Rule "${match.rule.name}" only appends replies, and this mail is no reply`;
    return recordDecision(deps, withRule, 'ignored-rule', why, input.key);
  }
  const contact = await senderContact(deps, mailbox, draft.sender);
  if (!contact) {
    const why = draft.sender
      ? `${draft.sender} is no contact, and the mailbox holds mail of unknown senders`
      : 'The mail names no sender address';
    return recordDecision(deps, withRule, 'held-unknown-sender', why, input.key);
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

/** What the customer wrote this time, bounded; the raw mail keeps the rest. */
function replyText(message: ParsedMessage): string {
  const text = (message.reply.trim() || message.text.trim() || '(no text)').replace(/\r\n?/g, '\n');
  return text.length > MAX_TEXT
    ? `${text.slice(0, MAX_TEXT - 40)}\n… (shortened; the whole mail is kept)`
    : text;
}

function titleOf(subject: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a title is one line without control characters.
  const line = subject.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  if (!line) return '(no subject)';
  return line.length > TITLE_MAX ? `${line.slice(0, TITLE_MAX - 1)}…` : line;
}

/** Stores the files the mail brought and says what became of each. */
async function storeAttachments(
  deps: DecisionDeps,
  input: DecisionInput,
): Promise<{ outcomes: AttachmentOutcome[]; stored: Omit<WorkOrderAttachment, 'workOrderId'>[] }> {
  const { mailbox, draft } = input;
  const outcomes: AttachmentOutcome[] = [];
  const stored: Omit<WorkOrderAttachment, 'workOrderId'>[] = [];
  for (const [index, attachment] of input.message.attachments.entries()) {
    const refused = refusalOf(attachment, index);
    if (refused) {
      outcomes.push(outcomeOf(attachment, { refused }));
      continue;
    }
    const storageKey = attachmentStorageKey(mailbox.tenantId, draft.receiptId, index);
    await deps.ports.attachments.put(storageKey, attachment.content, attachment.mimeType);
    const id = deps.context.ids.next();
    stored.push({
      id,
      tenantId: mailbox.tenantId,
      version: 1,
      createdAt: draft.createdAt,
      updatedAt: draft.createdAt,
      filename: displayName(attachment, index),
      mimeType: attachment.mimeType,
      size: attachment.size,
      inline: attachment.inline,
      ...(attachment.contentId ? { contentId: attachment.contentId } : {}),
      storageKey,
      inboundMailId: draft.id,
    });
    outcomes.push(outcomeOf(attachment, { attachmentId: id }));
  }
  return { outcomes, stored };
}

/** The decision record, its claims, its event and the attachments: what commits with the work-order change. */
async function changeEffects(
  deps: DecisionDeps,
  input: DecisionInput,
  draft: RecordDraft,
  decision: Decision,
  reason: string,
): Promise<(workOrder: WorkOrder) => { mail: InboundMail; effects: WriteEffects }> {
  const { outcomes, stored } = await storeAttachments(deps, input);
  const eventId = deps.context.ids.next();
  return (workOrder) => {
    const mail = decided(
      { ...draft, attachments: outcomes, workOrderId: workOrder.id, workOrderNumber: workOrder.number },
      decision,
      reason,
    );
    return {
      mail,
      effects: {
        claims: mailClaims(mail, input.key, workOrder.id),
        events: [processedEvent(mail, eventId, deps.actor)],
        companions: [
          recordCompanion(mail),
          ...stored.map((a) => ({
            aggregate: 'work-order-attachment' as const,
            entity: { ...a, workOrderId: workOrder.id },
          })),
        ],
      },
    };
  };
}

function replyOf(input: DecisionInput, draft: RecordDraft) {
  return {
    text: replyText(input.message),
    data: {
      inboundMailId: draft.id,
      from: draft.sender,
      subject: draft.subject,
      ...refusedFilesNote(input.message.attachments),
    },
  };
}

async function append(
  deps: DecisionDeps,
  input: DecisionInput,
  draft: RecordDraft,
  workOrder: WorkOrder,
): Promise<InboundMail> {
  const build = await changeEffects(deps, input, draft, 'appended', `A reply to ${workOrder.number}`);
  const { mail, effects } = build(workOrder);
  await deps.workOrders.appendReply(deps.actor, workOrder, replyOf(input, draft), effects);
  return mail;
}

async function reopen(
  deps: DecisionDeps,
  input: DecisionInput,
  draft: RecordDraft,
  workOrder: WorkOrder,
): Promise<InboundMail> {
  const days = settingsOf(input.mailbox).reopenWindowDays;
  const why = `A reply to ${workOrder.number}, closed within the last ${days} days`;
  const { mail, effects } = (await changeEffects(deps, input, draft, 'reopened', why))(workOrder);
  await deps.workOrders.reopenWithReply(deps.actor, workOrder, replyOf(input, draft), effects);
  return mail;
}

/** A new work order: for a new request, or for a reply to one closed too long ago (`previous`). */
async function createFrom(
  deps: DecisionDeps,
  input: DecisionInput,
  draft: RecordDraft,
  contact: Contact | undefined,
  previous?: WorkOrder,
): Promise<InboundMail> {
  const { mailbox, message } = input;
  const settings = settingsOf(mailbox);
  const hour = `${mailbox.id}#${draft.sender}#${hourOf(draft.createdAt)}#`;
  const used = await deps.ports.store.countClaims(mailbox.tenantId, CLAIM_SCOPES.senderQuota, hour);
  if (used >= settings.newWorkOrdersPerSenderPerHour) {
    const why = `${draft.sender} reached ${settings.newWorkOrdersPerSenderPerHour} new work orders in this hour`;
    return recordDecision(deps, draft, 'held-rate-cap', why, input.key);
  }
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
  await deps.workOrders.create(
    deps.actor,
    {
      title: titleOf(message.subject),
      description: replyText(message),
      ...(contact ? { contactId: contact.id } : previous?.contactId ? { contactId: previous.contactId } : {}),
      ...((rule?.typeId ?? mailbox.defaultTypeId) ? { typeId: rule?.typeId ?? mailbox.defaultTypeId } : {}),
      ...((rule?.priority ?? mailbox.defaultPriority)
        ? { priority: rule?.priority ?? mailbox.defaultPriority }
        : {}),
      ...((rule?.ownerId ?? mailbox.defaultOwnerId)
        ? { ownerId: rule?.ownerId ?? mailbox.defaultOwnerId }
        : {}),
      ...(rule?.team ? { team: rule.team } : {}),
    },
    [{ kind: 'once', scope: CLAIM_SCOPES.senderQuota, key: `${hour}${used + 1}` }],
    {
      origin: {
        inboundMailId: draft.id,
        ...(previous ? { follows: previous.id } : {}),
        ...refusedFilesNote(message.attachments),
      },
      also: (workOrder) => {
        const built = build(workOrder);
        mail = built.mail;
        return built.effects;
      },
    },
  );
  return mail as InboundMail;
}
