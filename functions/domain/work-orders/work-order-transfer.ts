import type { Principal } from '../access/principal';
import type { IdempotencyClaim, IdempotencyStore } from '../shared/ports';
import { type ExportRequest, exportScene, type SceneExport } from './export-work-orders';
import { type ImportLookups, type ImportReport, WorkOrderImport } from './import-work-orders';
import type { WorkOrderService } from './work-order-service';

/** Work orders in and out as CSV, the two use cases the transfer function serves (docs/work-order-import.md). */
export class WorkOrderCsvTransfer {
  private readonly importer: WorkOrderImport;

  constructor(
    private readonly workOrders: WorkOrderService,
    lookups: ImportLookups,
    idempotency: IdempotencyStore,
  ) {
    this.importer = new WorkOrderImport(workOrders, lookups, idempotency);
  }

  importCsv(principal: Principal, csv: string, idempotency?: IdempotencyClaim): Promise<ImportReport> {
    return this.importer.importCsv(principal, csv, idempotency);
  }

  exportCsv(principal: Principal, request: ExportRequest): Promise<SceneExport> {
    return exportScene(this.workOrders, principal, request);
  }
}
