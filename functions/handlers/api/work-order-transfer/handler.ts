import { WorkOrderCsvTransfer } from '../../../domain/work-orders/import';
import { defaultDependencies, idempotencyStore } from '../../dependencies';
import { workOrderServices } from '../../work-order-dependencies';
import { apiHandler } from '../http/api-handler';
import { implement, rawResponse } from '../http/route';
import { workOrderTransferRoutes as routes } from './routes';

const deps = defaultDependencies();
const { workOrders, repositories } = workOrderServices(deps);
const idempotency = idempotencyStore(deps);

const transfer = new WorkOrderCsvTransfer(
  workOrders,
  {
    typeIdByCode: (tenantId, code) => repositories.types.idByCode(tenantId, code),
    deviceIdBySerialNumber: async (tenantId, serialNumber) =>
      (await repositories.devices.findBy(tenantId, { serialNumber }))?.id,
  },
  idempotency,
);

export const handler = apiHandler(
  [
    implement(routes.import, ({ principal, body, idempotency }) =>
      transfer.importCsv(principal, body, idempotency),
    ),
    implement(routes.export, async ({ principal, query }) => {
      const file = await transfer.exportCsv(principal, query);
      const day = deps.clock.now().toISOString().slice(0, 10);
      return rawResponse('text/csv; charset=utf-8', file.csv, {
        'content-disposition': `attachment; filename="work-orders-${query.scene}-${day}.csv"`,
        ...(file.nextCursor ? { 'x-next-cursor': file.nextCursor } : {}),
      });
    }),
  ],
  { idempotency },
);
