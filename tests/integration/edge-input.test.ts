import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../helpers/api';

let api: TestApi;
let admin: string;

beforeAll(async () => {
  api = await startTestApi();
  await api.createTenant('edge');
  admin = api.token('edge', 'u-admin', 'crm-admin', 'service-manager', 'service-staff');
});
afterAll(async () => api?.close());

/** A request written byte for byte, as a client that does not encode its URL would send it. */
function rawRequest(requestLine: Buffer): Promise<{ status: number; head: string; body: string }> {
  const { port, hostname } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
    });
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), head, body });
    });
    socket.write(
      Buffer.concat([
        requestLine,
        Buffer.from(`\r\nHost: ${hostname}\r\nAuthorization: Bearer ${admin}\r\nConnection: close\r\n\r\n`),
      ]),
    );
  });
}

describe('malformed paths', () => {
  it.each([
    '/work-orders/%ZZ',
    '/work-orders/%',
    '/accounts/%/summary',
    '/work-orders/by-number/%E0%A4%A',
    '/work-orders/%ED%A0%80',
  ])('%s is a 400 problem naming the path', async (path) => {
    const response = await api.request('GET', path, { token: admin });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 400, title: 'Bad Request' });
  });

  it('raw non-ASCII bytes in the URL are a 400 problem too', async () => {
    const response = await rawRequest(Buffer.from('GET /work-orders/Müller HTTP/1.1', 'utf8'));

    expect(response.status).toBe(400);
    expect(response.head.toLowerCase()).toContain('content-type: application/problem+json');
    expect(JSON.parse(response.body)).toMatchObject({ status: 400, title: 'Bad Request' });
  });
});

describe('single-line text, page sizes and sizes', () => {
  const create = (body: unknown) => api.request('POST', '/work-orders', { token: admin, body });
  const importCsv = (csv: string) =>
    api.request<{ created: number; results: { outcome: string; errors?: { field: string }[] }[] }>(
      'POST',
      '/work-orders/import',
      { token: admin, rawBody: csv, headers: { 'content-type': 'text/csv; charset=utf-8' } },
    );
  const fieldsOf = (body: unknown) =>
    ((body as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field);

  it.each([
    ['a NUL', '\u0000'],
    ['only control characters', '\u0001\u0002\u007f'],
    ['a line break', 'Boiler\nleaking'],
    ['a tab', 'Boiler\tleaking'],
    ['an escape sequence', 'Boiler \u001b[31mleaking'],
    ['a C1 control', 'Boiler \u009b leaking'],
  ])('refuses a title with %s', async (_, title) => {
    const response = await create({ title });

    expect(response.status).toBe(400);
    expect(fieldsOf(response.body)).toContain('body.title');
  });

  it('takes line breaks and tabs in a description, not other control characters', async () => {
    const ok = await create({ title: 'Boiler leaking', description: 'Line one\r\nLine two\n\tindented' });
    const nul = await create({ title: 'Boiler leaking', description: 'Line one\u0000' });

    expect(ok.status).toBe(201);
    expect(ok.body.description).toBe('Line one\r\nLine two\n\tindented');
    expect(nul.status).toBe(400);
    expect(fieldsOf(nul.body)).toContain('body.description');
  });

  it('refuses a title over 200 characters, on create and on import', async () => {
    const long = 'x'.repeat(201);
    const created = await create({ title: long });
    const exact = await create({ title: 'x'.repeat(200) });
    const imported = await importCsv(`title\n${long}\n`);

    expect(created.status).toBe(400);
    expect(fieldsOf(created.body)).toContain('body.title');
    expect(exact.status).toBe(201);
    expect(imported.status).toBe(200);
    expect(imported.body.created).toBe(0);
    expect(imported.body.results[0]?.errors?.map((e) => e.field)).toEqual(['title']);
  });

  it('refuses control characters in an imported title', async () => {
    const imported = await importCsv('title\n"Boiler\nleaking"\nBell\u0007\n');

    expect(imported.body.created).toBe(0);
    expect(imported.body.results.map((r) => r.errors?.map((e) => e.field))).toEqual([['title'], ['title']]);
  });

  it('refuses a body over 1 MB, on create and on import', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    const created = await create({ title: 'Big', description: big });
    const imported = await importCsv(`title,description\nBig,${big}\n`);

    expect([400, 413]).toContain(created.status);
    expect(created.headers.get('content-type')).toContain('application/problem+json');
    expect(imported.status).toBe(413);
  });

  it.each(['1e1', '0x10', '1.0', ' 10', '+5', '010', '', '0', '101', '-1'])(
    'refuses limit=%j as a page size',
    async (limit) => {
      const response = await api.request('GET', `/work-orders?scene=all&limit=${encodeURIComponent(limit)}`, {
        token: admin,
      });

      expect(response.status).toBe(400);
      expect(fieldsOf(response.body)).toContain('query.limit');
    },
  );

  it('takes plain decimal page sizes', async () => {
    for (const limit of ['1', '10', '100']) {
      const response = await api.request('GET', `/work-orders?scene=all&limit=${limit}`, { token: admin });
      expect(response.status, limit).toBe(200);
    }
  });
});
