import type { SystemActor } from '../access/actor';
import type { ServiceContext } from '../shared/master-data-service';
import type { WriteEffects } from '../shared/ports';
import type { WorkOrderAttachment } from '../work-orders/attachments';
import type { WorkOrder } from '../work-orders/work-order';
import type { WorkOrderService } from '../work-orders/work-order-service';
import { attachmentStorageKey, displayName, outcomeOf, refusalOf, refusedFilesNote } from './attachments';
import type { AttachmentOutcome, Decision, InboundMail, ThreadMatch } from './inbound-mail';
import type { IntakePorts } from './intake-ports';
import { decided, mailClaims, processedEvent, type RecordDraft, recordCompanion } from './mail-record';
import type { Mailbox } from './mailbox';
import type { ParsedMessage } from './message';

/*
 * What a decision that changes a work order writes: the text taken from the
 * mail, the attachments stored, and the effects that commit with the change
 * (the decision record, its claims and event, the attachment entries).
 */

export interface DecisionDeps {
  ports: IntakePorts;
  workOrders: WorkOrderService;
  context: ServiceContext;
  actor: SystemActor;
}

export interface DecisionInput {
  mailbox: Mailbox;
  draft: RecordDraft;
  message: ParsedMessage;
  /** The key the message is claimed under; none for a replay (the replayed mail claimed it). */
  key: string | undefined;
  /** A replay's message key, claimed for threading when the replay changes a work order. */
  threadKey?: string;
  thread?: ThreadMatch | undefined;
}

/** Longest description or comment taken from a mail; the raw mail keeps all of it. */
const MAX_TEXT = 10_000;
const TITLE_MAX = 200;

/** What the customer wrote this time, bounded; the raw mail keeps the rest. */
export function replyText(message: ParsedMessage): string {
  const text = (message.reply.trim() || message.text.trim() || '(no text)').replace(/\r\n?/g, '\n');
  return text.length > MAX_TEXT
    ? `${text.slice(0, MAX_TEXT - 40)}\n… (shortened; the whole mail is kept)`
    : text;
}

export function titleOf(subject: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a title is one line without control characters.
  const line = subject.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  if (!line) return '(no subject)';
  return line.length > TITLE_MAX ? `${line.slice(0, TITLE_MAX - 1)}…` : line;
}

/** Stores the files the mail brought and says what became of each. */
export async function storeAttachments(
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
export async function changeEffects(
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
        claims: mailClaims(mail, input.key, workOrder.id, input.threadKey),
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

export function replyOf(input: DecisionInput, draft: RecordDraft) {
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
