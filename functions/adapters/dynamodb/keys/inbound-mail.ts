import { type IndexKeys, type ItemKey, tenant } from './key-types';

/**
 * Inbound mail: the routing item of each mailbox address, the decision record
 * of each mail, and the attachments a mail added to a work order.
 */
export const inboundMailKeys = {
  /**
   * The one item read before the tenant is known: which tenant and mailbox an
   * envelope recipient reaches. It holds nothing else; addresses are unique
   * across tenants because this key is not tenant-first.
   */
  mailboxRoute: (address: string): ItemKey => ({ pk: `MAILBOX_ADDRESS#${address}`, sk: 'ROUTE' }),

  /** Decision records of a tenant, newest first by id (ids are ULIDs). */
  inboundMail: (tenantId: string, id: string): ItemKey => ({
    pk: `${tenant(tenantId)}#INBOUND_MAIL`,
    sk: id,
  }),
  inboundMails: (tenantId: string) => ({ pk: `${tenant(tenantId)}#INBOUND_MAIL` }),
  /** By mailbox (gsi1) and by decision (gsi2), newest first. */
  inboundMailIndexes: (
    tenantId: string,
    mail: { id: string; mailboxId: string; decision: string },
  ): IndexKeys => ({
    gsi1pk: `${tenant(tenantId)}#INBOUND_MAILBOX#${mail.mailboxId}`,
    gsi1sk: mail.id,
    gsi2pk: `${tenant(tenantId)}#INBOUND_DECISION#${mail.decision}`,
    gsi2sk: mail.id,
  }),
  inboundMailsOfMailbox: (tenantId: string, mailboxId: string) => ({
    index: 'gsi1' as const,
    pk: `${tenant(tenantId)}#INBOUND_MAILBOX#${mailboxId}`,
  }),
  inboundMailsByDecision: (tenantId: string, decision: string) => ({
    index: 'gsi2' as const,
    pk: `${tenant(tenantId)}#INBOUND_DECISION#${decision}`,
  }),

  /** An attachment listed on a work order, in its item collection. */
  workOrderAttachment: (tenantId: string, workOrderId: string, id: string): ItemKey => ({
    pk: `${tenant(tenantId)}#WO#${workOrderId}`,
    sk: `ATTACHMENT#${id}`,
  }),
  workOrderAttachments: (tenantId: string, workOrderId: string) => ({
    pk: `${tenant(tenantId)}#WO#${workOrderId}`,
    skPrefix: 'ATTACHMENT#',
  }),
} as const;
