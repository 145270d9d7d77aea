import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import type { WorkOrderServices } from '../../functions/composition/work-orders';
import type { Role } from '../../functions/domain/access/principal';
import { parseCsv } from '../../functions/domain/work-orders/csv';
import { EXPORT_COLUMNS } from '../../functions/domain/work-orders/export-work-orders';
import type { ImportReport } from '../../functions/domain/work-orders/import-work-orders';
import type { Scene } from '../../functions/domain/work-orders/scenes';
import { startTestApi, type TestApi } from '../helpers/api';
import { buildOrganisation, PEOPLE, type Person, principalOf } from '../helpers/organisation';

let api: TestApi;
let wo: WorkOrderServices;
const refs = { account: '', otherAccount: '', contact: '', device: 'SN-4711', type: 'BOILER' };
const admin = () => principalOf('fso', 'admin');
const tokenOf = (person: Person) => api.token('fso', person, ...PEOPLE[person]);

beforeAll(async () => {
  api = await startTestApi();
  await buildOrganisation(api.table);
  const deps = basePorts(api.table);
  const svc = compose(deps).masterData;
  wo = compose(deps).workOrders;
  const account = await svc.accounts.create(admin(), { name: 'Müller Heating GmbH' });
  const other = await svc.accounts.create(admin(), { name: 'Other Ltd' });
  const contact = await svc.contacts.create(admin(), { accountId: account.id, lastName: 'Müller' });
  await svc.devices.create(admin(), { name: 'Boiler', serialNumber: refs.device, accountId: account.id });
  await wo.workOrderTypes.create(admin(), {
    code: refs.type,
    name: 'Boiler repair',
    defaultPriority: 'high',
  });
  Object.assign(refs, { account: account.id, otherAccount: other.id, contact: contact.id });
}, 60_000);
afterAll(async () => api?.close());

function postCsv(csv: string, options: { token?: string; key?: string; contentType?: string } = {}) {
  return api.request<ImportReport & Record<string, unknown>>('POST', '/work-orders/import', {
    token: options.token ?? tokenOf('agent'),
    rawBody: csv,
    headers: {
      'content-type': options.contentType ?? 'text/csv; charset=utf-8',
      ...(options.key ? { 'idempotency-key': options.key } : {}),
    },
  });
}

async function exportCsv(token: string, query = '') {
  const response = await fetch(`${api.url}/work-orders/export${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  // A byte-order mark is part of the file; fetch's text() would drop it.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  const [header, ...rows] = parseCsv(text).map((record) => record.cells);
  return { response, text, header, rows };
}

/** Every work order of a scene, read with the service, all pages. */
async function sceneNumbers(
  person: Person,
  scene: Scene = 'all',
  order: 'asc' | 'desc' = 'desc',
): Promise<string[]> {
  const numbers: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await wo.workOrders.scene(principalOf('fso', person), { scene, order, limit: 100, cursor });
    numbers.push(...page.items.map((item) => item.number));
    cursor = page.nextCursor;
  } while (cursor);
  return numbers;
}
const countAll = async () => (await sceneNumbers('admin')).length;
const sequenceOf = (number: string) => Number(number.split('-')[2]);

describe('importing work orders from CSV', () => {
  it('creates the good rows, refuses the bad ones with reasons per row, and the refused rows write nothing', async () => {
    // Prepare
    const before = await countAll();
    const csv = [
      'title,description,priority,type,account,contact,device,owner,channel',
      `"Boiler leaking, basement","Customer says ""E42"",\nthen it stops",,${refs.type},${refs.account},${refs.contact},${refs.device},tech1,`,
      'Bad priority,,super,,,,,,',
      'Unknown account,,,,no-such-account,,,,',
      'Unknown owner,,,,,,,nobody,',
      '   ,only a description,,,,,,,',
      'Too many cells,,,,,,,,,extra',
      'Unknown type and device,,,NOPE,,,SN-0000,,',
      `Contact of another account,,,,${refs.otherAccount},${refs.contact},,,`,
      'Just a title,,,,,,,,',
      '',
    ].join('\r\n');

    // Act
    const response = await postCsv(csv);

    // Assess
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const { results } = response.body;
    expect(results.map((r) => [r.row, r.outcome])).toEqual([
      [2, 'created'],
      [4, 'refused'],
      [5, 'refused'],
      [6, 'refused'],
      [7, 'refused'],
      [8, 'refused'],
      [9, 'refused'],
      [10, 'refused'],
      [11, 'created'],
    ]);
    const errorsOf = (row: number) => {
      const result = results.find((r) => r.row === row);
      return result?.outcome === 'refused' ? result.errors.map((e) => e.field) : [];
    };
    expect(errorsOf(4)).toEqual(['priority']);
    expect(errorsOf(5)).toEqual(['account']);
    expect(errorsOf(6)).toEqual(['owner']);
    expect(errorsOf(7)).toEqual(['title']);
    expect(errorsOf(8)).toEqual(['row']);
    expect(errorsOf(9)).toEqual(['type', 'device']);
    expect(errorsOf(10)).toEqual(['contact']);
    expect(response.body).toMatchObject({ created: 2, refused: 7 });
    expect(await countAll()).toBe(before + 2);

    const [full, minimal] = results.filter((r) => r.outcome === 'created');
    if (full?.outcome !== 'created' || minimal?.outcome !== 'created') throw new Error('Rows not created');
    const boiler = await wo.workOrders.get(admin(), full.id);
    expect(boiler).toMatchObject({
      number: full.number,
      title: 'Boiler leaking, basement',
      description: 'Customer says "E42",\nthen it stops',
      priority: 'high',
      typeId: expect.any(String),
      accountId: refs.account,
      contactId: refs.contact,
      deviceId: expect.any(String),
      ownerId: 'tech1',
      channel: 'call-center',
      createdBy: 'agent',
    });
    const plain = await wo.workOrders.get(admin(), minimal.id);
    expect(plain).toMatchObject({ title: 'Just a title', priority: 'normal', channel: 'call-center' });
    expect(plain.ownerId).toBeUndefined();

    const timeline = async (id: string) =>
      (await wo.workOrders.records(admin(), id, { limit: 100 })).items.map((r) => r.kind);
    expect(await timeline(full.id)).toEqual(['created', 'assigned']);
    expect(await timeline(minimal.id)).toEqual(['created']);

    // Refused rows took no work-order numbers: the next one follows the import's last.
    const next = await wo.workOrders.create(admin(), { title: 'After the import' });
    const taken = [full.number, minimal.number].map(sequenceOf).sort((a, b) => a - b);
    expect(taken[1]).toBe((taken[0] as number) + 1);
    expect(sequenceOf(next.number)).toBe((taken[1] as number) + 1);
  });

  it('creates nothing new when the same file comes again with the same Idempotency-Key', async () => {
    // Prepare
    const csv = `title,priority\nFirst,low\nSecond,\nThird,wrong\n`;
    const key = 'erp-sync-2026-03-01';
    const first = await postCsv(csv, { key });
    const between = await countAll();

    // Act
    const again = await postCsv(csv, { key });
    const otherFile = await postCsv(`${csv}Fourth,\n`, { key });

    // Assess
    expect(first.body).toMatchObject({ created: 2, refused: 1 });
    expect(again.status).toBe(200);
    expect(again.body.results).toEqual(
      first.body.results.map((r) => (r.outcome === 'created' ? { ...r, replayed: true } : r)),
    );
    expect(otherFile.status).toBe(422);
    expect(otherFile.body.errors).toEqual([
      { field: 'header.idempotency-key', message: 'Already used with a different file' },
    ]);
    expect(await countAll()).toBe(between);
  });

  it('refuses another file under a key whose first file was wholly refused, and still takes the same file again', async () => {
    // Prepare: every row of the first file is refused, so no row was claimed under the key.
    const refusedFile = `title,priority\nOne,wrong\nTwo,wrong\n`;
    const key = 'erp-sync-all-refused';
    const first = await postCsv(refusedFile, { key });
    const before = await countAll();

    // Act
    const otherFile = await postCsv(`title\nOne\nTwo\n`, { key });
    const sameFile = await postCsv(refusedFile, { key });

    // Assess
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: 0, refused: 2 });
    expect(otherFile.status).toBe(422);
    expect(otherFile.headers.get('content-type')).toContain('application/problem+json');
    expect(otherFile.body.errors).toEqual([
      { field: 'header.idempotency-key', message: 'Already used with a different file' },
    ]);
    expect(sameFile.status).toBe(200);
    expect(sameFile.body).toMatchObject({ created: 0, refused: 2 });
    expect(await countAll()).toBe(before);
  });

  it('creates each row once when the same file and key arrive twice at the same time', async () => {
    // Prepare
    const csv = `title\n${Array.from({ length: 20 }, (_, i) => `Parallel ${i}`).join('\n')}\n`;
    const before = await countAll();

    // Act
    const [a, b] = await Promise.all([postCsv(csv, { key: 'twice' }), postCsv(csv, { key: 'twice' })]);

    // Assess
    expect([a.status, b.status]).toEqual([200, 200]);
    const ids = (report: ImportReport) => report.results.map((r) => (r.outcome === 'created' ? r.id : r));
    expect(ids(a.body)).toEqual(ids(b.body));
    expect(await countAll()).toBe(before + 20);
  });

  it('reads a file as a spreadsheet saves it (CSV UTF-8: byte-order mark, CRLF, accents)', async () => {
    // Act
    const response = await postCsv(`\uFEFFTitle,Description\r\nHeizung prüfen,"Müller, Köln"\r\n`);

    // Assess
    expect(response.body).toMatchObject({ created: 1, refused: 0 });
    const [result] = response.body.results;
    if (result?.outcome !== 'created') throw new Error('Row not created');
    expect(await wo.workOrders.get(admin(), result.id)).toMatchObject({
      title: 'Heizung prüfen',
      description: 'Müller, Köln',
    });
  });

  it('refuses a file that is not UTF-8 with 400', async () => {
    // Prepare
    const before = await countAll();

    // Act
    const response = await fetch(`${api.url}/work-orders/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokenOf('agent')}`, 'content-type': 'text/csv' },
      body: Buffer.from('title\r\nHeizung M\xfcller\r\n', 'latin1'),
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await countAll()).toBe(before);
  });

  it.each<{ who: string; roles: Role[]; status: number }>([
    { who: 'a call-center agent (work-order:create)', roles: ['call-center-agent'], status: 200 },
    { who: 'an integration', roles: ['integration'], status: 200 },
    { who: 'a caller with no role that holds work-order:create', roles: [], status: 403 },
  ])('$who → $status', async ({ roles, status }) => {
    // Prepare
    const before = await countAll();

    // Act
    const response = await postCsv('title\nFrom a role check\n', {
      token: api.token('fso', 'agent', ...roles),
    });

    // Assess
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(await countAll()).toBe(before + (status === 200 ? 1 : 0));
  });

  it('answers 401 without a token', async () => {
    const response = await api.request('POST', '/work-orders/import', {
      rawBody: 'title\nX\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(response.status).toBe(401);
  });

  it.each([
    ['an unknown column', 'title,colour\nBoiler,red\n', ['body.columns.colour']],
    ['no title column', 'description\nBoiler\n', ['body.columns.title']],
    ['an unclosed quote', 'title\n"Boiler\n', ['body']],
    ['an empty body', '', ['body']],
    ['501 rows', `title\n${'Boiler\n'.repeat(501)}`, ['body']],
  ])('refuses a file with %s as a whole: 400, nothing written', async (_name, csv, fields) => {
    // Prepare
    const before = await countAll();

    // Act
    const response = await postCsv(csv);

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect((response.body.errors as { field: string }[]).map((e) => e.field)).toEqual(fields);
    expect(await countAll()).toBe(before);
  });

  it.each([
    ['application/json', 'application/json'],
    ['text/plain', 'text/plain'],
    ['no content type', ''],
    ['another charset', 'text/csv; charset=iso-8859-1'],
  ])('answers 415 for %s', async (_name, contentType) => {
    const response = await postCsv('title\nBoiler\n', { contentType });
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers 413 for a body over 1 MB', async () => {
    const response = await postCsv(`title,description\nBig,${'x'.repeat(1024 * 1024)}\n`);
    expect(response.status).toBe(413);
    expect(response.body.detail).toContain('1048576');
  });
});

describe('exporting a scene to CSV', () => {
  it('answers exactly the scene, as a CSV file a spreadsheet opens safely', async () => {
    // Prepare
    await wo.workOrders.create(admin(), { title: '=HYPERLINK("http://evil.example")', ownerId: 'tech1' });
    const expected = await sceneNumbers('admin');

    // Act
    const { response, text, header, rows } = await exportCsv(tokenOf('admin'), '?scene=all');

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="work-orders-all-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(response.headers.get('x-next-cursor')).toBeNull();
    expect(text.startsWith('\uFEFFnumber,')).toBe(true);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    expect(rows.map((row) => row[0])).toEqual(expected);
    expect(rows.every((row) => row.length === EXPORT_COLUMNS.length)).toBe(true);
    expect(rows.map((row) => row[1])).toContain(`'=HYPERLINK("http://evil.example")`);
  });

  it.each<[Person, Scene]>([
    ['tech1', 'all'],
    ['tech1', 'my-responsible'],
    ['lead', 'my-subordinates-responsible'],
    ['agent', 'shared-to-me'],
    ['outsider', 'all'],
  ])('answers %s only what the %s scene shows them', async (person, scene) => {
    // Prepare
    const expected = await sceneNumbers(person, scene);

    // Act
    const { response, rows } = await exportCsv(tokenOf(person), `?scene=${scene}`);

    // Assess
    expect(response.status).toBe(200);
    expect(rows.map((row) => row[0])).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan((await sceneNumbers('admin')).length);
  });

  it('cuts at the limit and continues from x-next-cursor, oldest first when asked', async () => {
    // Prepare
    const expected = await sceneNumbers('admin', 'all', 'asc');

    // Act
    const first = await exportCsv(tokenOf('admin'), '?scene=all&order=asc&limit=7');
    const cursor = first.response.headers.get('x-next-cursor') ?? '';
    const rest = await exportCsv(
      tokenOf('admin'),
      `?scene=all&order=asc&cursor=${encodeURIComponent(cursor)}`,
    );

    // Assess
    expect(first.rows).toHaveLength(7);
    expect(cursor).not.toBe('');
    expect(rest.response.headers.get('x-next-cursor')).toBeNull();
    expect([...first.rows, ...rest.rows].map((row) => row[0])).toEqual(expected);
  });

  it('refuses a bad query with 400 and an unknown token with 401', async () => {
    const bad = await api.request('GET', '/work-orders/export?scene=everything&limit=10001', {
      token: tokenOf('admin'),
    });
    const anonymous = await fetch(`${api.url}/work-orders/export`);
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'query.limit',
      'query.scene',
    ]);
    expect(anonymous.status).toBe(401);
  });
});

describe('the OpenAPI document', () => {
  it('describes the CSV body and answer', async () => {
    const doc = await api.request<{ paths: Record<string, Record<string, Record<string, unknown>>> }>(
      'GET',
      '/openapi.json',
    );
    const importOp = doc.body.paths['/work-orders/import']?.post as Record<string, unknown>;
    const exportOp = doc.body.paths['/work-orders/export']?.get as Record<string, unknown>;
    expect(importOp.requestBody).toEqual({
      required: true,
      content: { 'text/csv': { schema: { type: 'string' } } },
    });
    expect(Object.keys(importOp.responses as object)).toEqual(
      expect.arrayContaining(['200', '400', '413', '415']),
    );
    expect((exportOp.responses as Record<string, unknown>)['200']).toEqual({
      description: 'Success',
      content: { 'text/csv': { schema: { type: 'string' } } },
    });
  });
});
