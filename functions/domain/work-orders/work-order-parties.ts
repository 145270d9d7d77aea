import type { User } from '../organisation/user';
import type { CustomerOfWorkOrder } from './forward';
import type { WorkOrder } from './work-order';
import type { Lookup, WorkOrderLookups } from './work-order-context';

/** The customer and the people a work order names, as a printout or a mail shows them. */

export type CustomerLookups = Pick<WorkOrderLookups, 'accounts' | 'contacts' | 'devices'>;

export async function customerOf(
  lookups: CustomerLookups,
  workOrder: WorkOrder,
): Promise<CustomerOfWorkOrder> {
  const { tenantId } = workOrder;
  const [account, contact, device] = await Promise.all([
    workOrder.accountId ? lookups.accounts.get(tenantId, workOrder.accountId) : undefined,
    workOrder.contactId ? lookups.contacts.get(tenantId, workOrder.contactId) : undefined,
    workOrder.deviceId ? lookups.devices.get(tenantId, workOrder.deviceId) : undefined,
  ]);
  return {
    ...(account ? { account } : {}),
    ...(contact ? { contact } : {}),
    ...(device ? { device } : {}),
  };
}

/** Display names by user id; an unknown (deleted) user keeps its id. */
export async function namesOf(
  users: Lookup<User>,
  tenantId: string,
  ids: string[],
): Promise<Record<string, string>> {
  const found = await Promise.all([...new Set(ids)].map((id) => users.get(tenantId, id)));
  return Object.fromEntries(ids.map((id) => [id, found.find((u) => u?.id === id)?.name ?? id]));
}
