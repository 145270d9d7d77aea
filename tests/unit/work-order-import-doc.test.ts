import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS } from '../../functions/domain/work-orders/export-work-orders';
import { IMPORT_COLUMNS } from '../../functions/domain/work-orders/import-file';

const doc = readFileSync(new URL('../../docs/work-order-import.md', import.meta.url), 'utf8');
const section = (heading: string) => {
  const start = doc.indexOf(`\n## ${heading}\n`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? undefined : end);
};

describe('docs/work-order-import.md', () => {
  it('names the export columns the code writes, in order', () => {
    const line = section('Export')
      .split('\n')
      .find((l) => l.startsWith('- Columns:'));
    const documented = /`([^`]+)`/.exec(line ?? '')?.[1]?.split(',');

    expect(documented).toEqual([...EXPORT_COLUMNS]);
  });

  it('describes exactly the import columns the code reads, in the table and in the example header', () => {
    const importDoc = section('Import');
    const tableColumns = importDoc
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) => /^\| `([^`]+)`/.exec(l)?.[1]);
    const exampleHeader = importDoc.split('\n').find((l) => l.startsWith('title,'));

    expect(tableColumns).toEqual([...IMPORT_COLUMNS]);
    expect(exampleHeader?.split(',')).toEqual([...IMPORT_COLUMNS]);
  });
});
