import type { Principal } from '../access/principal';
import { MAX_PAGE_SIZE } from '../shared/entity';
import { formatCsv, formatCsvRows } from './csv';
import type { WorkOrderSummary } from './ports';
import type { SceneRequest, WorkOrderService } from './work-order-service';

/*
 * Export: a scene, read page by page through `WorkOrderService.scene`, so the
 * file holds exactly what the caller may see in that scene
 * (docs/work-order-import.md).
 */

/** The columns of an export, in order. */
export const EXPORT_COLUMNS = [
  'number',
  'title',
  'status',
  'lifecycle',
  'priority',
  'channel',
  'owner',
  'account',
  'contact',
  'device',
  'created',
  'updated',
] as const;

/**
 * An export answers at most this many rows; past it the answer carries the
 * cursor of the rest. The byte bound keeps the answer under Lambda's 6 MB
 * response payload, whatever the titles hold.
 */
export const MAX_EXPORT_ROWS = 10_000;
export const MAX_EXPORT_BYTES = 5 * 1024 * 1024;

export interface ExportRequest extends Omit<SceneRequest, 'limit'> {
  /** Rows in this answer, at most MAX_EXPORT_ROWS (the default). */
  limit?: number;
}

export interface SceneExport {
  csv: string;
  rows: number;
  /** Present when the scene has more: send it as `cursor` for the next file. */
  nextCursor?: string;
}

/** The scene as CSV, every page up to the bounds, newest first unless asked otherwise. */
export async function exportScene(
  workOrders: Pick<WorkOrderService, 'scene'>,
  principal: Principal,
  request: ExportRequest,
): Promise<SceneExport> {
  const limit = Math.min(request.limit ?? MAX_EXPORT_ROWS, MAX_EXPORT_ROWS);
  let csv = formatCsv(EXPORT_COLUMNS, [], { bom: true });
  let bytes = Buffer.byteLength(csv, 'utf8');
  let rows = 0;
  let cursor = request.cursor;
  while (rows < limit) {
    const page = await workOrders.scene(principal, {
      scene: request.scene,
      sort: request.sort,
      order: request.order,
      limit: Math.min(MAX_PAGE_SIZE, limit - rows),
      cursor,
    });
    const chunk = formatCsvRows(page.items.map(exportRow));
    const chunkBytes = Buffer.byteLength(chunk, 'utf8');
    // The page that would not fit starts the next file: its cursor is where that one begins.
    if (bytes + chunkBytes > MAX_EXPORT_BYTES && rows > 0) return { csv, rows, nextCursor: cursor };
    csv += chunk;
    bytes += chunkBytes;
    rows += page.items.length;
    cursor = page.nextCursor;
    if (!cursor) return { csv, rows };
  }
  return { csv, rows, ...(cursor ? { nextCursor: cursor } : {}) };
}

function exportRow(workOrder: WorkOrderSummary): string[] {
  return [
    workOrder.number,
    workOrder.title,
    workOrder.status,
    workOrder.lifecycle,
    workOrder.priority,
    workOrder.channel,
    workOrder.ownerId ?? '',
    workOrder.accountId ?? '',
    workOrder.contactId ?? '',
    workOrder.deviceId ?? '',
    workOrder.createdAt,
    workOrder.updatedAt,
  ];
}
