import type { ServiceProduct } from '../../domain/consumption/service-product';
import type { InboundMail } from '../../domain/inbound-mail/inbound-mail';
import { ClaimTakenError, ConflictError, VersionConflictError } from '../../domain/shared/errors';
import type { Companion, OccurrenceWithdrawal, Unchanged } from '../../domain/shared/ports';
import type { WorkOrderAttachment } from '../../domain/work-orders/attachments';
import { keys } from './keys';
import type { Transaction } from './transaction';

/** The scope a plan occurrence's record claims, as a ClaimTakenError names it. */
export const PLAN_OCCURRENCE_SCOPE = 'plan-occurrence';

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

export const SERVICE_PRODUCT = 'ServiceProduct';

export function serviceProductItem(product: ServiceProduct): Record<string, unknown> {
  return {
    ...product,
    ...keys.serviceProduct(product.tenantId, product.workOrderId, product.id),
    entityType: SERVICE_PRODUCT,
  };
}

/** A companion's put, created once: a second write of the same id is a conflict. */
export function companionItem(companion: Companion): Parameters<Transaction['put']> {
  if (companion.aggregate === 'service-plan-occurrence') {
    const { tenantId, planId, date } = companion.entity;
    return [
      { ...companion.entity, ...keys.planOccurrence(tenantId, planId, date), entityType: 'PlanOccurrence' },
      // A day whose work order was taken back (withdrawn) may be generated again.
      'attribute_not_exists(pk) OR attribute_exists(withdrawnAt)',
      () => new ClaimTakenError(PLAN_OCCURRENCE_SCOPE, `${planId}/${date}`),
    ];
  }
  const item =
    companion.aggregate === 'inbound-mail'
      ? inboundMailItem(companion.entity as InboundMail)
      : companion.aggregate === 'work-order-service-product'
        ? serviceProductItem(companion.entity as ServiceProduct)
        : attachmentItem(companion.entity as WorkOrderAttachment);
  return [
    item,
    'attribute_not_exists(pk)',
    () => new ConflictError(`${companion.aggregate} ${companion.entity.id} already exists`),
  ];
}

/** Marks an occurrence record withdrawn, if it still names the work order being taken back. */
export function withdrawalUpdate(withdrawal: OccurrenceWithdrawal): Parameters<Transaction['update']> {
  return [
    keys.planOccurrence(withdrawal.tenantId, withdrawal.planId, withdrawal.date),
    'SET withdrawnAt = :at, withdrawnBecause = :reason',
    'workOrderId = :workOrder AND attribute_not_exists(withdrawnAt)',
    () =>
      new ConflictError(
        `Occurrence ${withdrawal.planId}/${withdrawal.date} was withdrawn or generated again`,
      ),
    { ':at': withdrawal.at, ':reason': withdrawal.reason, ':workOrder': withdrawal.workOrderId },
  ];
}

/** A check that what the change was decided on still holds: a version, or an agreement's status. */
export function unchangedCheck(unchanged: Unchanged): Parameters<Transaction['check']> {
  if (unchanged.aggregate === 'service-agreement')
    return [
      keys.agreement(unchanged.tenantId, unchanged.id),
      '#status = :status',
      () => new ConflictError(`Agreement ${unchanged.id} is no longer ${unchanged.status}`),
      { ':status': unchanged.status },
      { '#status': 'status' },
    ];
  return [
    keys.servicePlan(unchanged.tenantId, unchanged.id),
    'version = :expected',
    () => new VersionConflictError('ServicePlan', unchanged.id, unchanged.version),
    { ':expected': unchanged.version },
  ];
}
