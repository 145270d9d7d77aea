import * as z from 'zod/mini';
import { authorize } from '../access/permissions';
import type { Principal } from '../access/principal';
import { createDeviceInput } from '../customers/device';
import { mapConcurrently } from '../shared/concurrency';
import {
  ConflictError,
  DomainError,
  type FieldError,
  IdempotencyKeyReusedError,
  ValidationError,
} from '../shared/errors';
import {
  type IdempotencyClaim,
  type IdempotencyRecord,
  type IdempotencyStore,
  IMPORT_FILE,
} from '../shared/ports';
import { type ImportColumn, type ImportRow, readImportFile } from './import-file';
import { type CreateWorkOrderInput, createWorkOrderInput } from './work-order';
import type { WorkOrderService } from './work-order-service';
import { createWorkOrderTypeInput } from './work-order-type';

/*
 * Import (docs/work-order-import.md): every row goes through the same
 * validation and the same `WorkOrderService.create` as POST /work-orders, so
 * references, the type's assignment rule, the channel default and permissions
 * are the same. Each row is its own transaction; a refused row is refused
 * before anything is written.
 */

const IMPORT_CONCURRENCY = 10;
const CLAIM_READ_CONCURRENCY = 25;

/** The fields of the create input each column fills; errors name the column again. */
const FIELD_OF: Record<ImportColumn, keyof CreateWorkOrderInput> = {
  title: 'title',
  description: 'description',
  priority: 'priority',
  type: 'typeId',
  account: 'accountId',
  contact: 'contactId',
  device: 'deviceId',
  owner: 'ownerId',
  channel: 'channel',
};
const COLUMN_OF = new Map<string, ImportColumn>(
  Object.entries(FIELD_OF).map(([column, field]) => [field, column as ImportColumn]),
);

const fieldError = z.object({ field: z.string(), message: z.string() });
export const importRowResultSchema = z.discriminatedUnion('outcome', [
  z.object({
    /** The line of the file the row starts on. */
    row: z.int(),
    outcome: z.literal('created'),
    id: z.string(),
    number: z.string(),
    /** Created by an earlier request with the same Idempotency-Key and file. */
    replayed: z.optional(z.literal(true)),
  }),
  z.object({ row: z.int(), outcome: z.literal('refused'), errors: z.array(fieldError) }),
]);
export const importReportSchema = z.object({
  created: z.int(),
  refused: z.int(),
  results: z.array(importRowResultSchema),
});
export type ImportRowResult = z.infer<typeof importRowResultSchema>;
export type ImportReport = z.infer<typeof importReportSchema>;

/** Finds what a file names by business key rather than by id. */
export interface ImportLookups {
  /** The id of the tenant's work-order type with this code. */
  typeIdByCode(tenantId: string, code: string): Promise<string | undefined>;
  /** The id of the tenant's device with this serial number. */
  deviceIdBySerialNumber(tenantId: string, serialNumber: string): Promise<string | undefined>;
}

export class WorkOrderImport {
  constructor(
    private readonly workOrders: WorkOrderService,
    private readonly lookups: ImportLookups,
    private readonly idempotency: IdempotencyStore,
  ) {}

  /**
   * Creates a work order per row and reports each. The file as a whole is
   * refused (400) when it cannot be read, names an unknown column, lacks
   * `title`, or has too many rows. With an Idempotency-Key, each row is
   * claimed under the key and its line, fingerprinted with the whole file:
   * the same file again answers the rows created before as `replayed` and
   * creates no duplicates; another file under a key already used is refused.
   */
  async importCsv(principal: Principal, csv: string, idempotency?: IdempotencyClaim): Promise<ImportReport> {
    authorize(principal, 'work-order:create');
    const { columns, rows } = readImportFile(csv);
    if (idempotency) await this.reserveKey(principal, idempotency);
    const earlier = idempotency ? await this.earlierClaims(principal, idempotency, rows) : undefined;
    const resolve = this.resolver(principal.tenantId);
    const results = await mapConcurrently(rows, IMPORT_CONCURRENCY, (row) =>
      this.importRow(principal, columns, row, resolve, idempotency, earlier?.get(row.line)),
    );
    const created = results.filter((result) => result.outcome === 'created').length;
    return { created, refused: results.length - created, results };
  }

  private async importRow(
    principal: Principal,
    columns: ImportColumn[],
    row: ImportRow,
    resolve: Resolver,
    idempotency: IdempotencyClaim | undefined,
    earlier: IdempotencyRecord | undefined,
  ): Promise<ImportRowResult> {
    // Created by an earlier request with this key and file: answered as then, whatever changed since.
    if (earlier) return replay(row.line, earlier);
    const refused = (errors: FieldError[]): ImportRowResult => ({
      row: row.line,
      outcome: 'refused',
      errors,
    });
    if (row.cells.length !== columns.length) {
      return refused([
        {
          field: 'row',
          message: `Has ${row.cells.length} cells; the first line names ${columns.length} columns`,
        },
      ]);
    }
    const values = new Map<ImportColumn, string>();
    columns.forEach((column, index) => {
      const value = row.cells[index]?.trim() ?? '';
      if (value !== '') values.set(column, value);
    });
    const [type, device] = await Promise.all([
      reference(values.get('type'), resolve.typeId, typeCode, 'type', 'work order type with the code'),
      reference(
        values.get('device'),
        resolve.deviceId,
        serialNumber,
        'device',
        'device with the serial number',
      ),
    ]);
    const errors = [type, device].flatMap((found) => (found && 'error' in found ? [found.error] : []));
    const typeId = type && 'id' in type ? type.id : undefined;
    const deviceId = device && 'id' in device ? device.id : undefined;
    const draft: Record<string, unknown> = { title: values.get('title') ?? '' };
    for (const column of ['description', 'priority', 'account', 'contact', 'owner', 'channel'] as const) {
      const value = values.get(column);
      if (value !== undefined) draft[FIELD_OF[column]] = value;
    }
    if (typeId) draft.typeId = typeId;
    if (deviceId) draft.deviceId = deviceId;
    const parsed = createWorkOrderInput.safeParse(draft);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        errors.push({ field: COLUMN_OF.get(field) ?? (field || 'row'), message: issue.message });
      }
    }
    if (!parsed.success || errors.length > 0) return refused(errors);

    const claim = idempotency && { ...idempotency, row: row.line };
    try {
      const workOrder = await this.workOrders.create(principal, parsed.data, claim ? [claim] : []);
      return { row: row.line, outcome: 'created', id: workOrder.id, number: workOrder.number };
    } catch (error) {
      // The same file posted twice at once: the other request may have created the row (its claim
      // fails ours, or the two transactions collide on it).
      if (error instanceof ConflictError && claim) {
        const record = await this.idempotency.find(principal.tenantId, claim.userId, claim.key, claim.row);
        if (record?.fingerprint === claim.fingerprint) return replay(row.line, record);
        if (record)
          return refused([{ field: 'idempotency-key', message: 'Already used with a different file' }]);
      }
      if (error instanceof DomainError) return refused(rowErrors(error));
      throw error;
    }
  }

  /**
   * Ties the key to this file before any row: row claims alone would leave a
   * key free whose every row was refused, and another file could then create
   * rows under it. The same file again passes (its refused rows are retried).
   */
  private async reserveKey(principal: Principal, idempotency: IdempotencyClaim): Promise<void> {
    const fileClaim = { ...idempotency, row: IMPORT_FILE };
    const earlier = await this.idempotency.reserve(principal.tenantId, fileClaim, 'WorkOrderImport');
    if (earlier && earlier.fingerprint !== idempotency.fingerprint) {
      throw new IdempotencyKeyReusedError(idempotency.key, 'a different file');
    }
  }

  /** Reads the rows' claims of an earlier request with the same key; another file under it is refused whole. */
  private async earlierClaims(
    principal: Principal,
    idempotency: IdempotencyClaim,
    rows: ImportRow[],
  ): Promise<Map<number, IdempotencyRecord>> {
    const records = await mapConcurrently(rows, CLAIM_READ_CONCURRENCY, (row) =>
      this.idempotency.find(principal.tenantId, idempotency.userId, idempotency.key, row.line),
    );
    const earlier = new Map<number, IdempotencyRecord>();
    records.forEach((record, index) => {
      const row = rows[index];
      if (record && row) earlier.set(row.line, record);
    });
    if ([...earlier.values()].some((record) => record.fingerprint !== idempotency.fingerprint)) {
      throw new IdempotencyKeyReusedError(idempotency.key, 'a different file');
    }
    return earlier;
  }

  /** The tenant's lookups for one import: each distinct code or serial number is read once. */
  private resolver(tenantId: string): Resolver {
    const memo = (lookup: (tenantId: string, value: string) => Promise<string | undefined>) => {
      const found = new Map<string, Promise<string | undefined>>();
      return (value: string) => {
        let id = found.get(value);
        if (!id) {
          id = lookup(tenantId, value);
          found.set(value, id);
        }
        return id;
      };
    };
    return {
      typeId: memo((t, code) => this.lookups.typeIdByCode(t, code)),
      deviceId: memo((t, serial) => this.lookups.deviceIdBySerialNumber(t, serial)),
    };
  }
}

interface Resolver {
  typeId(code: string): Promise<string | undefined>;
  deviceId(serialNumber: string): Promise<string | undefined>;
}

/** Resolves a business key to an id, or says why it cannot be; nothing when the cell is empty. */
async function reference(
  value: string | undefined,
  lookup: (value: string) => Promise<string | undefined>,
  format: z.ZodMiniType,
  column: ImportColumn,
  what: string,
): Promise<{ id: string } | { error: FieldError } | undefined> {
  if (value === undefined) return undefined;
  // A value that cannot be a code is not looked up (and cannot make an over-long key).
  const id = format.safeParse(value).success ? await lookup(value) : undefined;
  return id ? { id } : { error: { field: column, message: `No ${what} ${shorten(value)}` } };
}

/** A cell quoted back in a message: a report stays small whatever the file holds. */
const shorten = (value: string) => (value.length > 80 ? `${value.slice(0, 79)}…` : value);

const typeCode = createWorkOrderTypeInput.shape.code;
const serialNumber = createDeviceInput.shape.serialNumber;

const claimedWorkOrder = z.object({ id: z.string(), number: z.string() });

function replay(line: number, record: IdempotencyRecord): ImportRowResult {
  const parsed = claimedWorkOrder.safeParse(record.resource);
  if (!parsed.success) throw new Error(`Idempotency record of import row ${line} holds no work order`);
  return { row: line, outcome: 'created', id: parsed.data.id, number: parsed.data.number, replayed: true };
}

/** A refusal from the service, in the file's terms: `accountId` becomes `account`. */
function rowErrors(error: DomainError): FieldError[] {
  if (error instanceof ValidationError && error.fields.length > 0) {
    return error.fields.map(({ field, message }) => {
      const name = field.split('.')[0] ?? '';
      return { field: COLUMN_OF.get(name) ?? 'row', message };
    });
  }
  return [{ field: 'row', message: error.message }];
}
