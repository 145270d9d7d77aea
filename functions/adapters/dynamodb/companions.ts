import type { InboundMail } from '../../domain/inbound-mail/inbound-mail';
import { ConflictError } from '../../domain/shared/errors';
import type { Companion } from '../../domain/shared/ports';
import type { WorkOrderAttachment } from '../../domain/work-orders/attachments';
import { keys } from './keys';
import type { Transaction } from './transaction';

/** The item of an inbound mail's decision record, listed by mailbox and by decision. */
export function inboundMailItem(mail: InboundMail): Record<string, unknown> {
  return {
    ...mail,
    ...keys.inboundMail(mail.tenantId, mail.id),
    ...keys.inboundMailIndexes(mail.tenantId, mail),
    entityType: 'InboundMail',
  };
}

export function attachmentItem(attachment: WorkOrderAttachment): Record<string, unknown> {
  return {
    ...attachment,
    ...keys.workOrderAttachment(attachment.tenantId, attachment.workOrderId, attachment.id),
    entityType: 'WorkOrderAttachment',
  };
}

/** A companion's put, created once: a second write of the same id is a conflict. */
export function companionItem(companion: Companion): Parameters<Transaction['put']> {
  const item =
    companion.aggregate === 'inbound-mail'
      ? inboundMailItem(companion.entity as InboundMail)
      : attachmentItem(companion.entity as WorkOrderAttachment);
  return [
    item,
    'attribute_not_exists(pk)',
    () => new ConflictError(`${companion.aggregate} ${companion.entity.id} already exists`),
  ];
}
