import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MASTER_DATA_PERMISSIONS, SYSTEM_ACTOR_PERMISSIONS } from '../../functions/domain/access/permissions';
import { ROLES } from '../../functions/domain/access/principal';

/** The rows of the master-data table in docs/permissions.md: permission → roles with a ✓. */
function documentedTable(): Record<string, string[]> {
  const markdown = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8');
  // The master-data table: from its header to the first line that is not a table row.
  const all = markdown.split('\n');
  const start = all.findIndex((line) => line.startsWith('| permission'));
  const end = all.findIndex((line, i) => i > start && !line.startsWith('|'));
  const lines = all.slice(start, end === -1 ? undefined : end);
  const header = (lines[0] ?? '').split('|').map((cell) => cell.trim());
  const table: Record<string, string[]> = {};
  for (const line of lines.slice(2)) {
    const cells = line.split('|').map((cell) => cell.trim());
    const permission = cells[1] ?? '';
    table[permission] = header.filter(
      (role, i) => (ROLES as readonly string[]).includes(role) && cells[i] === '✓',
    );
  }
  return table;
}

describe('docs/permissions.md', () => {
  it('lists every role as a column', () => {
    const header = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('| permission'));
    for (const role of ROLES) expect(header).toContain(`| ${role} `);
  });

  it('states exactly the permissions the code enforces, cell by cell', () => {
    const enforced = Object.fromEntries(
      Object.entries(MASTER_DATA_PERMISSIONS).map(([permission, roles]) => [permission, [...roles].sort()]),
    );
    const documented = Object.fromEntries(
      Object.entries(documentedTable()).map(([p, roles]) => [p, roles.sort()]),
    );
    expect(documented).toEqual(enforced);
  });

  it('lists every system actor with exactly the permissions the code grants it', () => {
    const markdown = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8');
    const lines = markdown.split('\n');
    const start = lines.findIndex((line) => line.startsWith('| system actor'));
    const after = lines.slice(start + 2);
    const end = after.findIndex((line) => !line.startsWith('|'));
    const rows = end === -1 ? after : after.slice(0, end);
    const documented = Object.fromEntries(
      rows.map((line) => {
        const cells = line.split('|').map((cell) => cell.trim());
        return [
          cells[1],
          (cells[3] ?? '')
            .split(',')
            .map((p) => p.trim())
            .sort(),
        ];
      }),
    );
    const granted = Object.fromEntries(
      Object.entries(SYSTEM_ACTOR_PERMISSIONS).map(([actor, permissions]) => [
        actor,
        [...permissions].sort(),
      ]),
    );
    expect(documented).toEqual(granted);
  });
});
