import { type FieldError, ValidationError } from '../shared/errors';
import { type CsvRecord, CsvSyntaxError, parseCsv } from './csv';

/** The columns an import file may name, in the first line. Only `title` is required. */
export const IMPORT_COLUMNS = [
  'title',
  'description',
  'priority',
  'type',
  'account',
  'contact',
  'device',
  'owner',
  'channel',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/**
 * A synchronous import must finish well inside the API's 30 s (and the
 * function's own timeout): 500 rows at 10 in parallel take a few seconds.
 * Larger files need the asynchronous import (see the doc).
 */
export const MAX_IMPORT_ROWS = 500;
export const MAX_IMPORT_BYTES = 1024 * 1024;

export interface ImportRow {
  line: number;
  cells: string[];
}

/**
 * The header and the data rows of an import file, or a ValidationError for
 * the whole file. Blank rows (every cell empty) are skipped.
 */
export function readImportFile(csv: string): { columns: ImportColumn[]; rows: ImportRow[] } {
  let records: CsvRecord[];
  try {
    records = parseCsv(csv);
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      throw new ValidationError('The file is not valid CSV', [{ field: '', message: error.message }]);
    throw error;
  }
  const garbled = records.find((record) => record.cells.some((cell) => cell.includes('\uFFFD')));
  if (garbled) {
    // Bytes that are not UTF-8 arrive as U+FFFD: refusing beats importing "M�ller".
    throw new ValidationError('The file is not UTF-8', [
      {
        field: '',
        message: `Line ${garbled.line} holds characters that are not UTF-8; save the file as "CSV UTF-8"`,
      },
    ]);
  }
  const [header, ...data] = records;
  if (!header || isBlank(header)) {
    throw new ValidationError('The first line must name the columns', [
      { field: '', message: `The first line names the columns: ${IMPORT_COLUMNS.join(', ')}` },
    ]);
  }
  const names = header.cells.map((cell) => cell.trim().toLowerCase());
  const errors: FieldError[] = [];
  names.forEach((name, index) => {
    if (name === '') {
      errors.push({ field: `columns.${index + 1}`, message: `Column ${index + 1} has no name` });
    } else if (!(IMPORT_COLUMNS as readonly string[]).includes(name)) {
      errors.push({
        field: `columns.${name}`,
        message: /[;\t]/.test(name)
          ? 'Unknown column; columns are separated by commas, and this line seems to use semicolons or tabs'
          : `Unknown column; the known ones are ${IMPORT_COLUMNS.join(', ')}`,
      });
    } else if (names.indexOf(name) !== index) {
      errors.push({ field: `columns.${name}`, message: 'Named twice' });
    }
  });
  if (!names.includes('title')) errors.push({ field: 'columns.title', message: 'Required column' });
  if (errors.length > 0) throw new ValidationError('The columns of the file are not valid', errors);

  const rows = data.filter((record) => !isBlank(record));
  if (rows.length > MAX_IMPORT_ROWS) {
    throw new ValidationError(`An import takes at most ${MAX_IMPORT_ROWS} rows`, [
      {
        field: '',
        message: `The file has ${rows.length} rows; split it into files of at most ${MAX_IMPORT_ROWS}`,
      },
    ]);
  }
  return { columns: names as ImportColumn[], rows };
}

function isBlank(record: CsvRecord): boolean {
  return record.cells.every((cell) => cell.trim() === '');
}
