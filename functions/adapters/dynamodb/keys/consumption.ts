import { type IndexKeys, type ItemKey, tenant } from './key-types';

const workOrderPartition = (tenantId: string, workOrderId: string) => `${tenant(tenantId)}#WO#${workOrderId}`;
const confirmationPartition = (tenantId: string, id: string) => `${tenant(tenantId)}#CONFIRMATION#${id}`;

/**
 * What was consumed on a work order lives in the work order's item
 * collection (its service products, spare-part uses and the lock an open
 * confirmation holds); each confirmation is an item of its own, listed per
 * work order on gsi1.
 */
export const consumptionKeys = {
  serviceProduct: (tenantId: string, workOrderId: string, id: string): ItemKey => ({
    pk: workOrderPartition(tenantId, workOrderId),
    sk: `SERVICE_PRODUCT#${id}`,
  }),
  serviceProducts: (tenantId: string, workOrderId: string) => ({
    pk: workOrderPartition(tenantId, workOrderId),
    skPrefix: 'SERVICE_PRODUCT#',
  }),
  sparePart: (tenantId: string, workOrderId: string, id: string): ItemKey => ({
    pk: workOrderPartition(tenantId, workOrderId),
    sk: `SPARE_PART#${id}`,
  }),
  spareParts: (tenantId: string, workOrderId: string) => ({
    pk: workOrderPartition(tenantId, workOrderId),
    skPrefix: 'SPARE_PART#',
  }),
  /** Held by the one open confirmation of a work order; every consumption write checks it is absent. */
  consumptionLock: (tenantId: string, workOrderId: string): ItemKey => ({
    pk: workOrderPartition(tenantId, workOrderId),
    sk: 'CONSUMPTION_LOCK',
  }),
  confirmation: (tenantId: string, id: string): ItemKey => ({
    pk: confirmationPartition(tenantId, id),
    sk: 'CONFIRMATION',
  }),
  confirmationIndexes: (tenantId: string, confirmation: { id: string; workOrderId: string }): IndexKeys => ({
    gsi1pk: `${tenant(tenantId)}#CONFIRMATIONS_OF_WO#${confirmation.workOrderId}`,
    gsi1sk: confirmation.id,
  }),
  confirmationsOfWorkOrder: (tenantId: string, workOrderId: string) => ({
    index: 'gsi1' as const,
    pk: `${tenant(tenantId)}#CONFIRMATIONS_OF_WO#${workOrderId}`,
  }),
} as const;
