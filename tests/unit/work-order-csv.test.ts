import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/domain/shared/errors';
import { CsvSyntaxError, csvCell, formatCsv, parseCsv } from '../../functions/domain/work-orders/csv';
import {
  IMPORT_COLUMNS,
  MAX_IMPORT_ROWS,
  readImportFile,
} from '../../functions/domain/work-orders/import-file';

const cellsOf = (text: string) => parseCsv(text).map((record) => record.cells);

describe('reading CSV', () => {
  it.each([
    ['LF', 'a,b\nc,d\n'],
    ['CRLF', 'a,b\r\nc,d\r\n'],
    ['CR', 'a,b\rc,d\r'],
    ['no final line break', 'a,b\r\nc,d'],
    ['a byte-order mark', '\uFEFFa,b\r\nc,d\r\n'],
  ])('reads records separated by %s', (_name, text) => {
    expect(cellsOf(text)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, and counts lines across them', () => {
    // Prepare
    const text = [
      'title,description',
      '"Boiler, basement","Says ""E42""\r\nthen stops"',
      '"Second\nline",""',
      'last,"',
      '"',
    ].join('\r\n');

    // Act
    const records = parseCsv(text);

    // Assess
    expect(records).toEqual([
      { line: 1, cells: ['title', 'description'] },
      { line: 2, cells: ['Boiler, basement', 'Says "E42"\r\nthen stops'] },
      { line: 4, cells: ['Second\nline', ''] },
      { line: 6, cells: ['last', '\r\n'] },
    ]);
  });

  it('keeps empty cells, trailing commas and blank lines as they are', () => {
    expect(cellsOf('a,,c,\n\n,\n')).toEqual([['a', '', 'c', ''], [''], ['', '']]);
  });

  it('reads nothing from an empty text or a lone byte-order mark', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\uFEFF')).toEqual([]);
  });

  it('takes a quote inside an unquoted field literally (3/4" valve)', () => {
    expect(cellsOf('Replace 3/4" valve,ok\n')).toEqual([['Replace 3/4" valve', 'ok']]);
  });

  it('keeps spaces and a byte-order mark that is not at the start', () => {
    expect(cellsOf(' a , b \n\uFEFFc\n')).toEqual([[' a ', ' b '], ['\uFEFFc']]);
  });

  it.each([
    ['an unclosed quote', 'a,b\n"open,c\nd,e\n', 2, 1],
    ['text after a closing quote', 'a,b\n"x"y,c\n', 2, 4],
    ['a single quote where a doubled one belongs', 'a\n"say "hi""\n', 2, 7],
  ])('refuses %s, naming line and column', (_name, text, line, column) => {
    // Act
    const read = () => parseCsv(text);

    // Assess
    expect(read).toThrow(CsvSyntaxError);
    expect(read).toThrow(expect.objectContaining({ line, column }));
  });
});

describe('writing CSV', () => {
  it('quotes only cells that need it, doubles quotes, and ends lines with CRLF', () => {
    const text = formatCsv(
      ['number', 'title'],
      [
        ['WO-2026-000001', 'plain'],
        ['WO-2026-000002', 'with, comma'],
        ['WO-2026-000003', 'say "hi"'],
        ['WO-2026-000004', 'two\nlines'],
        ['WO-2026-000005', ''],
      ],
    );
    expect(text).toBe(
      'number,title\r\nWO-2026-000001,plain\r\nWO-2026-000002,"with, comma"\r\n' +
        'WO-2026-000003,"say ""hi"""\r\nWO-2026-000004,"two\nlines"\r\nWO-2026-000005,\r\n',
    );
  });

  it('starts with a byte-order mark when asked', () => {
    expect(formatCsv(['a'], [], { bom: true })).toBe('\uFEFFa\r\n');
  });

  it.each([
    ['=HYPERLINK("http://evil.example")', `"'=HYPERLINK(""http://evil.example"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\r=1', `"'\r=1"`],
    ['a=1', 'a=1'],
    ["'quoted", "'quoted"],
  ])('guards a cell starting %j against formula injection', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('writes formulas unchanged when the guard is off', () => {
    expect(csvCell('=1+1', false)).toBe('=1+1');
    expect(formatCsv(['a'], [['=1']], { guardFormulas: false })).toBe('a\r\n=1\r\n');
  });

  it('reads back what it wrote, cell for cell', () => {
    // Prepare
    const rows = [
      ['Müller, Köln', 'line\r\nbreak', '"quoted"', ''],
      ['ünïcödé ✓', ' spaces ', ',', '""'],
    ];

    // Act
    const text = formatCsv(['a', 'b', 'c', 'd'], rows, { bom: true });

    // Assess
    expect(cellsOf(text)).toEqual([['a', 'b', 'c', 'd'], ...rows]);
  });
});

describe('the import file', () => {
  const fieldsOf = (text: string) => {
    try {
      readImportFile(text);
    } catch (error) {
      if (error instanceof ValidationError) return error.fields;
      throw error;
    }
    throw new Error('The file was accepted');
  };

  it('takes column names in any case and order, and skips blank rows', () => {
    // Act
    const file = readImportFile(' Priority ,TITLE\r\nhigh,Boiler\r\n,\r\n\r\nlow,Pump\r\n');

    // Assess
    expect(file.columns).toEqual(['priority', 'title']);
    expect(file.rows).toEqual([
      { line: 2, cells: ['high', 'Boiler'] },
      { line: 5, cells: ['low', 'Pump'] },
    ]);
  });

  it('refuses unknown, unnamed and repeated columns, and a missing title, all at once', () => {
    expect(fieldsOf('description,colour,,description\n')).toEqual([
      { field: 'columns.colour', message: expect.stringContaining(IMPORT_COLUMNS.join(', ')) },
      { field: 'columns.3', message: 'Column 3 has no name' },
      { field: 'columns.description', message: 'Named twice' },
      { field: 'columns.title', message: 'Required column' },
    ]);
  });

  it('says why a semicolon-separated header is refused', () => {
    expect(fieldsOf('title;priority\nBoiler;high\n')).toEqual([
      { field: 'columns.title;priority', message: expect.stringContaining('semicolons') },
      { field: 'columns.title', message: 'Required column' },
    ]);
  });

  it('refuses text that was not UTF-8, naming the line', () => {
    const latin1 = Buffer.from('title\nBoiler\nM\xfcller\n', 'latin1').toString('utf8');
    expect(fieldsOf(latin1)).toEqual([{ field: '', message: expect.stringContaining('Line 3') }]);
  });

  it('refuses an empty file and a file it cannot read', () => {
    expect(fieldsOf('')).toEqual([{ field: '', message: expect.stringContaining('title') }]);
    expect(fieldsOf('title\n"unclosed\n')).toEqual([
      { field: '', message: 'Line 2, column 1: A quoted field is not closed' },
    ]);
  });

  it(`takes ${MAX_IMPORT_ROWS} rows and refuses one more`, () => {
    const file = (rows: number) => `title\n${'Boiler\n'.repeat(rows)}`;
    expect(readImportFile(file(MAX_IMPORT_ROWS)).rows).toHaveLength(MAX_IMPORT_ROWS);
    expect(fieldsOf(file(MAX_IMPORT_ROWS + 1))).toEqual([
      { field: '', message: expect.stringContaining(`${MAX_IMPORT_ROWS + 1} rows`) },
    ]);
  });
});
