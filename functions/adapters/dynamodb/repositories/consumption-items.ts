import type { ServiceProduct } from '../../../domain/consumption/service-product';
import { ConflictError } from '../../../domain/shared/errors';
import type { ServiceRecord } from '../../../domain/work-orders/service-record';
import { keys } from '../keys';
import type { Transaction } from '../transaction';
import { recordItem } from './work-orders';

/** What the service-product and confirmation repositories both write: the items of a work order's consumption. */
export const SERVICE_PRODUCT = 'ServiceProduct';

export function serviceProductItem(product: ServiceProduct): Record<string, unknown> {
  return {
    ...product,
    ...keys.serviceProduct(product.tenantId, product.workOrderId, product.id),
    entityType: SERVICE_PRODUCT,
  };
}

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
