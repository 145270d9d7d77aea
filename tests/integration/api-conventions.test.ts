import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../helpers/api';

let api: TestApi;
let admin: string;

beforeAll(async () => {
  api = await startTestApi();
  await api.createTenant('acme');
  admin = api.token('acme', 'u-admin', 'crm-admin');
});
afterAll(async () => api?.close());

describe('accounts through the API', () => {
  it('creates an account and reads it back', async () => {
    // Act
    const created = await api.request('POST', '/accounts', {
      token: admin,
      body: {
        name: 'Müller Heating GmbH',
        email: 'Service@Mueller.example',
        address: { city: 'Köln', country: 'DE' },
      },
    });
    const read = await api.request('GET', `/accounts/${created.body.id}`, { token: admin });

    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Müller Heating GmbH',
      email: 'service@mueller.example',
      version: 1,
      tenantId: 'acme',
    });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('answers 401 without a token, and with a forged one', async () => {
    const none = await api.request('POST', '/accounts', { body: { name: 'X' } });
    const forged = await api.request('GET', '/accounts', { token: `${admin.slice(0, -4)}AAAA` });
    expect(none.status).toBe(401);
    expect(forged.status).toBe(401);
  });

  it('answers 401 to a validly signed token of a tenant that does not exist, as no such token exists in AWS', async () => {
    const stranger = api.token('nowhere', 'u-admin', 'crm-admin');
    const tenant = await api.request('GET', '/tenant', { token: stranger });
    const write = await api.request('POST', '/accounts', { token: stranger, body: { name: 'Orphan' } });
    expect(tenant.status).toBe(401);
    expect(write.status).toBe(401);
    expect(write.body.detail).toContain('nowhere');
    // Once the tenant exists, the same token works.
    await api.createTenant('nowhere');
    expect((await api.request('GET', '/tenant', { token: stranger })).status).toBe(200);
  });

  it('refuses a bad body with problem+json naming every field, and stores nothing', async () => {
    // Prepare
    const before = await api.request<{ items: unknown[] }>('GET', '/accounts?limit=100', { token: admin });

    // Act
    const response = await api.request('POST', '/accounts', {
      token: admin,
      body: { name: '', email: 'not-an-email', colour: 'red', address: { country: 'Germany' } },
    });
    const after = await api.request<{ items: unknown[] }>('GET', '/accounts?limit=100', { token: admin });

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const fields = (response.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['body.address.country', 'body.colour', 'body.email', 'body.name']);
    expect(response.body).toMatchObject({ status: 400, title: 'Bad Request' });
    expect(typeof response.body.correlationId).toBe('string');
    expect(after.body.items).toEqual(before.body.items);
  });

  it('refuses malformed JSON and a bad query', async () => {
    const malformed = await api.request('POST', '/accounts', {
      token: admin,
      rawBody: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    const badLimit = await api.request('GET', '/accounts?limit=1000', { token: admin });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'body' })]);
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.errors).toEqual([expect.objectContaining({ field: 'query.limit' })]);
  });

  it('changes with the version read, and answers 409 to a stale version without changing anything', async () => {
    const created = await api.request('POST', '/accounts', { token: admin, body: { name: 'Versioned' } });
    const id = created.body.id as string;

    const first = await api.request('PATCH', `/accounts/${id}`, {
      token: admin,
      body: { name: 'Renamed', version: 1 },
    });
    const stale = await api.request('PATCH', `/accounts/${id}`, {
      token: admin,
      body: { name: 'Lost update', version: 1 },
    });
    const read = await api.request('GET', `/accounts/${id}`, { token: admin });

    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ currentVersion: 2, expectedVersion: 1 });
    expect(read.body).toMatchObject({ name: 'Renamed', version: 2 });
  });

  it('lets exactly one of many concurrent edits of one version win', async () => {
    const created = await api.request('POST', '/accounts', { token: admin, body: { name: 'Contended' } });
    const id = created.body.id as string;

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.request('PATCH', `/accounts/${id}`, { token: admin, body: { notes: `edit ${i}`, version: 1 } }),
      ),
    );
    const read = await api.request('GET', `/accounts/${id}`, { token: admin });

    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const winner = results.find((r) => r.status === 200);
    expect(read.body).toMatchObject({ version: 2, notes: winner?.body.notes });
  });

  it('honours Idempotency-Key: the same key twice gives the same account, once', async () => {
    const headers = { 'idempotency-key': 'order-4711' };
    const body = { name: 'Idempotent Ltd' };

    const [a, b] = await Promise.all([
      api.request('POST', '/accounts', { token: admin, body, headers }),
      api.request('POST', '/accounts', { token: admin, body, headers }),
    ]);
    const third = await api.request('POST', '/accounts', { token: admin, body, headers });
    const otherBody = await api.request('POST', '/accounts', {
      token: admin,
      body: { name: 'Else' },
      headers,
    });
    const list = await api.request<{ items: { name: string }[] }>('GET', '/accounts?limit=100', {
      token: admin,
    });

    expect([a.status, b.status, third.status]).toEqual([201, 201, 201]);
    expect(b.body.id).toBe(a.body.id);
    expect(third.body.id).toBe(a.body.id);
    expect(third.headers.get('idempotent-replayed')).toBe('true');
    expect(otherBody.status).toBe(422);
    expect(list.body.items.filter((item) => item.name === 'Idempotent Ltd')).toHaveLength(1);
  });

  it('pages with an opaque cursor and refuses a cursor of another list', async () => {
    for (const name of ['Page A', 'Page B', 'Page C']) {
      await api.request('POST', '/products', {
        token: admin,
        body: {
          code: name.replace(' ', '-'),
          name,
          kind: 'spare-part',
          price: { amount: 100, currency: 'EUR' },
        },
      });
    }
    const first = await api.request<{ items: { name: string }[]; nextCursor?: string }>(
      'GET',
      '/products?limit=2',
      { token: admin },
    );
    const second = await api.request<{ items: { name: string }[]; nextCursor?: string }>(
      'GET',
      `/products?limit=2&cursor=${first.body.nextCursor}`,
      { token: admin },
    );
    const misused = await api.request('GET', `/accounts?cursor=${first.body.nextCursor}`, { token: admin });
    const garbage = await api.request('GET', '/accounts?cursor=bm90LWpzb24', { token: admin });

    expect(first.body.items.map((p) => p.name)).toEqual(['Page A', 'Page B']);
    expect(second.body.items.map((p) => p.name)).toEqual(['Page C']);
    expect(misused.status).toBe(400);
    expect(garbage.status).toBe(400);
  });

  it('serves health and an OpenAPI document generated from the contracts without a token', async () => {
    const health = await api.request('GET', '/health');
    const doc = await api.request<{
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    }>('GET', '/openapi.json');
    expect(health.body).toEqual({ status: 'ok' });
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/accounts', '/accounts/{id}', '/tenant', '/user-groups/{id}/members']),
    );
    expect(doc.body.paths['/accounts']?.post?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { required: ['name'] } } },
    });
  });
});
