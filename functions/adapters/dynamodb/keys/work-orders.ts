import type { MailPurpose } from '../../../domain/work-orders/mail-once';
import type { View } from '../../../domain/work-orders/scenes';
import { type IndexKeys, type ItemKey, tenant } from './key-types';

/** The name of a scene partition: what a view's entries are filed under. */
function viewName(view: View): string {
  switch (view.kind) {
    case 'all':
      return `all#${view.lifecycle}`;
    case 'account':
      return `account#${view.accountId}`;
    case 'department':
    case 'owner-department':
      return `${view.kind}#${view.departmentId}`;
    default:
      return `${view.kind}#${view.userId}`;
  }
}

/** What follows `MAIL#` in a mail claim's sort key: `forward#<eventId>`, `reminder#<reminderId>`. */
function mailName(purpose: MailPurpose): string {
  switch (purpose.kind) {
    case 'forward':
      return `forward#${purpose.eventId}`;
    case 'reminder':
      return `reminder#${purpose.reminderId}`;
    case 'acknowledgement':
      return `acknowledgement#${purpose.sender}`;
  }
}

/** Work orders: sharing rules, the order with its scene entries and records, reminders and mail claims. */
export const workOrderKeys = {
  viewName,
  /** Work-order numbers: one counter per tenant and year. */
  workOrderNumberCounter: (tenantId: string, year: number): ItemKey => ({
    pk: tenant(tenantId),
    sk: `COUNTER#WO#${year}`,
  }),
  /** Sharing rules by target (gsi1: what is shared with me) and by source (gsi2). */
  sharingRuleIndexes: (
    tenantId: string,
    rule: { id: string; source: { kind: string; id: string }; target: { kind: string; id: string } },
  ): IndexKeys => ({
    gsi1pk: `${tenant(tenantId)}#SHARE_TARGET#${rule.target.kind}#${rule.target.id}`,
    gsi1sk: `SHARING_RULE#${rule.id}`,
    gsi2pk: `${tenant(tenantId)}#SHARE_SOURCE#${rule.source.kind}#${rule.source.id}`,
    gsi2sk: `SHARING_RULE#${rule.id}`,
  }),
  sharingRulesTargeting: (tenantId: string, target: { kind: string; id: string }) => ({
    index: 'gsi1' as const,
    pk: `${tenant(tenantId)}#SHARE_TARGET#${target.kind}#${target.id}`,
    skPrefix: 'SHARING_RULE#',
  }),

  /** A work order is its own item collection: the order, its scene entries and its service records. */
  workOrder: (tenantId: string, id: string): ItemKey => ({ pk: `${tenant(tenantId)}#WO#${id}`, sk: 'WO' }),
  workOrderView: (tenantId: string, id: string, view: string): ItemKey => ({
    pk: `${tenant(tenantId)}#WO#${id}`,
    sk: `VIEW#${view}`,
  }),
  /** One scene partition, sorted by created time on gsi2 and by updated time on gsi3. */
  workOrderViewIndexes: (
    tenantId: string,
    view: string,
    workOrder: { id: string; createdAt: string; updatedAt: string },
  ): IndexKeys => ({
    gsi2pk: `${tenant(tenantId)}#WOVIEW#${view}`,
    gsi2sk: `${workOrder.createdAt}#${workOrder.id}`,
    gsi3pk: `${tenant(tenantId)}#WOVIEW#${view}`,
    gsi3sk: `${workOrder.updatedAt}#${workOrder.id}`,
  }),
  workOrderViewQuery: (tenantId: string, view: string, sort: 'created' | 'updated') => ({
    index: sort === 'created' ? ('gsi2' as const) : ('gsi3' as const),
    pk: `${tenant(tenantId)}#WOVIEW#${view}`,
  }),
  workOrderRecord: (tenantId: string, workOrderId: string, at: string, recordId: string): ItemKey => ({
    pk: `${tenant(tenantId)}#WO#${workOrderId}`,
    sk: `RECORD#${at}#${recordId}`,
  }),
  workOrderRecords: (tenantId: string, workOrderId: string) => ({
    pk: `${tenant(tenantId)}#WO#${workOrderId}`,
    skPrefix: 'RECORD#',
  }),
  workOrderItems: (tenantId: string, workOrderId: string) => ({
    pk: `${tenant(tenantId)}#WO#${workOrderId}`,
  }),

  /** Work-order actions: reminders and the claims that make each outgoing mail go out once. */
  reminder: (tenantId: string, workOrderId: string, reminderId: string): ItemKey => ({
    pk: `${tenant(tenantId)}#WO#${workOrderId}`,
    sk: `REMINDER#${reminderId}`,
  }),
  workOrderReminders: (tenantId: string, workOrderId: string) => ({
    pk: `${tenant(tenantId)}#WO#${workOrderId}`,
    skPrefix: 'REMINDER#',
  }),
  mailClaim: (tenantId: string, workOrderId: string, purpose: MailPurpose): ItemKey => ({
    pk: `${tenant(tenantId)}#WO#${workOrderId}`,
    sk: `MAIL#${mailName(purpose)}`,
  }),
} as const;
