import * as z from 'zod/mini';
import { decimalInt } from '../../../domain/shared/schema';
import { MAX_EXPORT_ROWS } from '../../../domain/work-orders/export-work-orders';
import { IMPORT_COLUMNS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from '../../../domain/work-orders/import-file';
import { importReportSchema } from '../../../domain/work-orders/import-work-orders';
import { defineRoute } from '../http/route';
import { sceneQuery } from '../work-orders/scene-query';

const TAG = 'Work orders';

/** The query of `GET /work-orders`, with room for a whole file per answer. */
export const exportQuery = z.strictObject({
  scene: sceneQuery.shape.scene,
  sort: sceneQuery.shape.sort,
  order: sceneQuery.shape.order,
  limit: z.optional(decimalInt(1, MAX_EXPORT_ROWS)),
  cursor: sceneQuery.shape.cursor,
});

/** Bulk transfer of work orders as CSV: its own function, with more memory than the work-order API. */
export const workOrderTransferRoutes = {
  import: defineRoute({
    method: 'POST',
    path: '/work-orders/import',
    operationId: 'importWorkOrders',
    summary: `Create work orders from a CSV file (text/csv, UTF-8; columns ${IMPORT_COLUMNS.join(', ')}; at most ${MAX_IMPORT_ROWS} rows and 1 MB); answers per row`,
    tag: TAG,
    requestBody: 'text/csv',
    maxBodyBytes: MAX_IMPORT_BYTES,
    body: z.string(),
    response: importReportSchema,
    status: 200,
    idempotent: true,
  }),
  export: defineRoute({
    method: 'GET',
    path: '/work-orders/export',
    operationId: 'exportWorkOrders',
    summary: `One scene of work orders as a CSV file (up to ${MAX_EXPORT_ROWS} rows; header x-next-cursor when there are more)`,
    tag: TAG,
    query: exportQuery,
    responseBody: 'text/csv',
    status: 200,
  }),
};
