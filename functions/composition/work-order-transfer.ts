import { WorkOrderCsvTransfer } from '../domain/work-orders/work-order-transfer';
import { idempotencyStore, type MasterDataRepositories, masterDataRepositories } from './master-data';
import type { Ports } from './ports';
import { type WorkOrderServices, workOrderUseCases } from './work-orders';

/** CSV import and export of work orders, through the work-order use cases. */
export function workOrderTransfer(
  ports: Ports,
  master: MasterDataRepositories = masterDataRepositories(ports),
  services: Pick<WorkOrderServices, 'repositories' | 'workOrders'> = workOrderUseCases(ports, master),
) {
  const { types } = services.repositories;
  return new WorkOrderCsvTransfer(
    services.workOrders,
    {
      typeIdByCode: (tenantId, code) => types.idByCode(tenantId, code),
      deviceIdBySerialNumber: async (tenantId, serialNumber) =>
        (await master.devices.findBy(tenantId, { serialNumber }))?.id,
    },
    idempotencyStore(ports),
  );
}

/** What the work-order transfer API function uses: import and export, and the key store. */
export const workOrderTransferApplication = (ports: Ports) => ({
  ports,
  workOrderTransfer: workOrderTransfer(ports),
  idempotency: idempotencyStore(ports),
});

export type WorkOrderTransferApplication = ReturnType<typeof workOrderTransferApplication>;
