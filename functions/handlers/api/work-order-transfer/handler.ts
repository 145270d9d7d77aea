import { fromEnvironment } from '../../../composition/environment';
import {
  type WorkOrderTransferApplication,
  workOrderTransferApplication,
} from '../../../composition/work-order-transfer';
import { builtOnFirstCall } from '../../entry';
import { apiHandler } from '../http/api-handler';
import { implement, rawResponse } from '../http/route';
import { workOrderTransferRoutes as routes } from './routes';

export function createHandler(app: WorkOrderTransferApplication) {
  const transfer = app.workOrderTransfer;
  return apiHandler(
    [
      implement(routes.import, async ({ principal, body, idempotency, metrics }) => {
        const report = await transfer.importCsv(principal, body, idempotency);
        // Rows a repeated upload only replays were counted when they were created.
        const created = report.results.filter((row) => row.outcome === 'created' && !row.replayed).length;
        metrics.count('WorkOrdersCreated', created);
        return report;
      }),
      implement(routes.export, async ({ principal, query }) => {
        const file = await transfer.exportCsv(principal, query);
        const day = app.ports.clock.now().toISOString().slice(0, 10);
        return rawResponse('text/csv; charset=utf-8', file.csv, {
          'content-disposition': `attachment; filename="work-orders-${query.scene}-${day}.csv"`,
          ...(file.nextCursor ? { 'x-next-cursor': file.nextCursor } : {}),
        });
      }),
    ],
    { idempotency: app.idempotency },
  );
}

export const handler = builtOnFirstCall(() => createHandler(fromEnvironment(workOrderTransferApplication)));
