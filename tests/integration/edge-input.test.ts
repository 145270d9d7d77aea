import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../helpers/api';

let api: TestApi;
let admin: string;

beforeAll(async () => {
  api = await startTestApi();
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
