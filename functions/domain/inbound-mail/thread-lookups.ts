import type { Contact } from '../customers/contact';
import type { WorkOrderRepository } from '../work-orders/ports';
import { CLAIM_SCOPES, messageIdKey } from './mail-record';
import type { ThreadLookups } from './threading';

/**
 * Most Message-IDs of one mail looked up (each in three scopes; 100 keys per BatchGet):
 * `References` of a long thread are trimmed to the newest.
 */
const MAX_REFERENCED = 33;

/**
 * Threads found through what is stored: the claims of the Message-IDs we
 * received, sent and replayed (each names its work order), work orders by number, and
 * the sender's contacts for the subject tag.
 */
export function threadLookups(ports: {
  messages: {
    workOrdersOfMessages(tenantId: string, ids: string[], scopes: string[]): Promise<Map<string, string>>;
  };
  workOrders: Pick<WorkOrderRepository, 'get' | 'findByNumber'>;
  contacts: { byEmail(tenantId: string, email: string): Promise<Contact[]> };
  /** The digest messages are claimed under when their Message-ID is too long to be a key. */
  digest(text: string): string;
}): ThreadLookups {
  return {
    byMessageIds: async (tenantId, ids) => {
      const keyed = ids.slice(0, MAX_REFERENCED).map((id) => ({ id, key: messageIdKey(id, ports.digest) }));
      const found = await ports.messages.workOrdersOfMessages(
        tenantId,
        keyed.map(({ key }) => key),
        [CLAIM_SCOPES.message, CLAIM_SCOPES.sentMessage, CLAIM_SCOPES.replayedMessage],
      );
      const byId = new Map<string, string>();
      for (const { id, key } of keyed) {
        const workOrderId = found.get(key);
        if (workOrderId) byId.set(id, workOrderId);
      }
      return byId;
    },
    workOrderExists: async (tenantId, id) => (await ports.workOrders.get(tenantId, id)) !== undefined,
    numberedForSender: async (tenantId, number, sender) => {
      const workOrder = await ports.workOrders.findByNumber(tenantId, number);
      if (!workOrder) return undefined;
      const contacts = await ports.contacts.byEmail(tenantId, sender);
      const isItsCustomer = contacts.some(
        (contact) =>
          contact.id === workOrder.contactId ||
          (workOrder.accountId !== undefined && contact.accountId === workOrder.accountId),
      );
      return isItsCustomer ? workOrder.id : undefined;
    },
  };
}
