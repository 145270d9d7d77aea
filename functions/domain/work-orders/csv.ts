/*
 * CSV as RFC 4180 defines it, for work-order import and export: comma
 * separated, fields with commas, quotes or line breaks in double quotes, a
 * quote inside them doubled. Read leniently where the intent is clear (LF or
 * CR line breaks as well as CRLF, a UTF-8 byte-order mark, a quote inside an
 * unquoted field such as `3/4" valve`), strictly where it is not (an
 * unclosed quote, text after a closing quote): guessing there would shift
 * cells into the wrong columns.
 */

/** One record of a file, with the line it starts on (1-based; a quoted line break counts). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`Line ${line}, column ${column}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const BOM = 0xfeff;

/** Every record of the text, blank lines included (as one empty cell); no record after a final line break. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const end = text.length;
  let i = text.charCodeAt(0) === BOM ? 1 : 0;
  let line = 1;
  let lineStart = i;
  const column = (at: number) => at - lineStart + 1;
  /** Moves past a line break at `at` (CRLF, LF or CR) and returns where the next line starts. */
  const lineBreak = (at: number): number => {
    const next = text.charCodeAt(at) === CR && text.charCodeAt(at + 1) === LF ? at + 2 : at + 1;
    line += 1;
    lineStart = next;
    return next;
  };

  while (i < end) {
    const record: CsvRecord = { line, cells: [] };
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        const openedLine = line;
        const openedColumn = column(i);
        let value = '';
        let from = i + 1;
        let at = from;
        for (;;) {
          if (at >= end) throw new CsvSyntaxError('A quoted field is not closed', openedLine, openedColumn);
          const c = text.charCodeAt(at);
          if (c === QUOTE) {
            value += text.slice(from, at);
            if (text.charCodeAt(at + 1) === QUOTE) {
              value += '"';
              at += 2;
              from = at;
              continue;
            }
            at += 1;
            break;
          }
          if (c === CR || c === LF) {
            // Kept as sent inside the field; only the line count moves on.
            const next = lineBreak(at);
            value += text.slice(from, next);
            at = next;
            from = at;
            continue;
          }
          at += 1;
        }
        i = at;
        const after = text.charCodeAt(i);
        if (i < end && after !== COMMA && after !== CR && after !== LF) {
          throw new CsvSyntaxError(
            'Only a comma or a line break may follow a closing quote (a quote inside a quoted field is doubled)',
            line,
            column(i),
          );
        }
        record.cells.push(value);
      } else {
        let at = i;
        while (at < end) {
          const c = text.charCodeAt(at);
          if (c === COMMA || c === CR || c === LF) break;
          at += 1;
        }
        record.cells.push(text.slice(i, at));
        i = at;
      }
      if (text.charCodeAt(i) === COMMA) {
        i += 1;
        continue;
      }
      break;
    }
    records.push(record);
    if (i < end) i = lineBreak(i);
  }
  return records;
}

export interface CsvWriteOptions {
  /**
   * Prefix cells that a spreadsheet would run as a formula (= + - @, tab, CR)
   * with a single quote (OWASP "CSV injection"). On by default.
   */
  guardFormulas?: boolean;
  /** Start with a UTF-8 byte-order mark, so spreadsheet programs read accents right. */
  bom?: boolean;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell as it appears in a file. */
export function csvCell(value: string, guardFormulas = true): string {
  const safe = guardFormulas && FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Records as lines ending in CRLF. */
export function formatCsvRows(rows: readonly (readonly string[])[], guardFormulas = true): string {
  let text = '';
  for (const row of rows) text += `${row.map((cell) => csvCell(cell, guardFormulas)).join(',')}\r\n`;
  return text;
}

/** A whole file: the header row, then the records. */
export function formatCsv(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: CsvWriteOptions = {},
): string {
  const guard = options.guardFormulas ?? true;
  return `${options.bom ? '\uFEFF' : ''}${formatCsvRows([header, ...rows], guard)}`;
}
