import { ConflictError } from '../../../domain/shared/errors';
import type { ServiceRecord } from '../../../domain/work-orders/service-record';
import type { Transaction } from '../transaction';
import { recordItem } from './work-orders';

/** What the service-product and confirmation repositories both write: the items of a work order's consumption. */
export { SERVICE_PRODUCT, serviceProductItem } from '../companions';

/** The timeline entry every consumption write leaves on its work order, in its transaction. */
export function putRecord(
  tx: Transaction,
  tenantId: string,
  workOrderId: string,
  record: ServiceRecord,
): void {
  tx.put(
    recordItem({ tenantId, id: workOrderId }, record),
    'attribute_not_exists(pk)',
    () => new ConflictError(`Service record ${record.id} already exists`),
  );
}
