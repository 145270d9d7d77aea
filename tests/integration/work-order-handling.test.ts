import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import type { WorkOrderServices } from '../../functions/composition/work-orders';
import type { WorkOrder } from '../../functions/domain/work-orders/work-order';
import { startTestApi, type TestApi } from '../helpers/api';
import {
  buildOrganisation,
  type Organisation,
  PEOPLE,
  type Person,
  principalOf,
} from '../helpers/organisation';

let api: TestApi;
let org: Organisation;
let wo: WorkOrderServices['workOrders'];
const tokenOf = (person: Person) => api.token('fso', person, ...PEOPLE[person]);
const admin = () => principalOf('fso', 'admin');

beforeAll(async () => {
  api = await startTestApi();
  org = await buildOrganisation(api.table);
  const services = compose(basePorts(api.table)).workOrders;
  wo = services.workOrders;
  // A read-only sharing recipient who holds the service-staff role: only the rule's access refuses.
  await services.sharingRules.create(admin(), {
    source: { kind: 'user', id: 'tech2' },
    target: { kind: 'user', id: 'outsider' },
    access: 'read-only',
  });
}, 60_000);
afterAll(async () => api?.close());

/** A fresh work order for one case, so cases never see each other's changes. */
type Shape = { owner: Person; team?: { userId: Person; access: 'read-only' | 'read-write' }[] };
const fresh = (shape: Shape) => wo.create(admin(), { title: 'Case', ownerId: shape.owner, team: shape.team });

/** The operations that need "may handle": each as the request an actor sends. */
const operations: Record<string, (w: WorkOrder) => { method: string; path: string; body?: unknown }> = {
  assign: (w) => ({
    method: 'POST',
    path: `/work-orders/${w.id}/assign`,
    body: { ownerId: 'tech2', version: w.version },
  }),
  handle: (w) => ({
    method: 'POST',
    path: `/work-orders/${w.id}/status`,
    body: { status: 'in-progress', version: w.version },
  }),
  edit: (w) => ({
    method: 'PATCH',
    path: `/work-orders/${w.id}`,
    body: { title: 'Edited', version: w.version },
  }),
  'add team member': (w) => ({
    method: 'POST',
    path: `/work-orders/${w.id}/team`,
    body: { userId: 'peer', access: 'read-only', version: w.version },
  }),
  void: (w) => ({ method: 'POST', path: `/work-orders/${w.id}/void`, body: { version: w.version } }),
};

/** Relation of the actor to the work order → expected answer (docs/permissions.md, "Work orders"). */
const relations: { relation: string; shape: Shape; actor: Person; status: number }[] = [
  { relation: 'person in charge', shape: { owner: 'tech1' }, actor: 'tech1', status: 200 },
  { relation: "person in charge's superior", shape: { owner: 'tech1' }, actor: 'lead', status: 200 },
  {
    relation: "person in charge's superior's superior",
    shape: { owner: 'tech1' },
    actor: 'manager',
    status: 200,
  },
  {
    relation: 'read-write team member',
    shape: { owner: 'outsider', team: [{ userId: 'tech1', access: 'read-write' }] },
    actor: 'tech1',
    status: 200,
  },
  {
    relation: "read-write team member's superior",
    shape: { owner: 'outsider', team: [{ userId: 'tech1', access: 'read-write' }] },
    actor: 'lead',
    status: 200,
  },
  {
    relation: 'read-only team member',
    shape: { owner: 'outsider', team: [{ userId: 'tech2', access: 'read-only' }] },
    actor: 'tech2',
    status: 403,
  },
  {
    relation: "read-only team member's superior",
    shape: { owner: 'outsider', team: [{ userId: 'tech2', access: 'read-only' }] },
    actor: 'lead',
    status: 403,
  },
  { relation: 'read-write sharing recipient', shape: { owner: 'tech1' }, actor: 'peer', status: 200 },
  {
    relation: 'read-only sharing recipient (no service-staff role)',
    shape: { owner: 'tech1' },
    actor: 'agent',
    status: 403,
  },
  {
    relation: 'read-only sharing recipient with the service-staff role',
    shape: { owner: 'tech2' },
    actor: 'outsider',
    status: 403,
  },
  { relation: 'head of a team department', shape: { owner: 'tech1' }, actor: 'head', status: 403 },
  { relation: "person in charge's subordinate", shape: { owner: 'lead' }, actor: 'tech1', status: 404 },
  { relation: 'unrelated', shape: { owner: 'tech1' }, actor: 'outsider', status: 404 },
  {
    relation: 'person in charge without the service-staff role',
    shape: { owner: 'clerk' },
    actor: 'clerk',
    status: 403,
  },
  { relation: 'CRM admin', shape: { owner: 'outsider' }, actor: 'admin', status: 200 },
];

const cells = relations.flatMap((r) => Object.keys(operations).map((operation) => ({ ...r, operation })));

describe('who may handle a work order', () => {
  it.each(cells)('$operation by the $relation → $status', async ({ shape, actor, operation, status }) => {
    const workOrder = await fresh(shape);
    const request = (operations[operation] as (typeof operations)[string])(workOrder);
    const response = await api.request(request.method, request.path, {
      token: tokenOf(actor),
      body: request.body,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    const after = await wo.get(admin(), workOrder.id);
    expect(after.version).toBe(status === 200 ? workOrder.version + 1 : workOrder.version);
  });

  it('lets everyone who may see it read it and its timeline, and nobody else', async () => {
    const workOrder = await fresh({ owner: 'tech1', team: [{ userId: 'tech2', access: 'read-only' }] });
    const readers: Person[] = ['tech1', 'tech2', 'lead', 'manager', 'head', 'agent', 'peer', 'admin'];
    for (const person of readers) {
      const read = await api.request('GET', `/work-orders/${workOrder.id}/records`, {
        token: tokenOf(person),
      });
      expect(read.status, person).toBe(200);
    }
    for (const person of ['outsider', 'clerk'] as Person[]) {
      const read = await api.request('GET', `/work-orders/${workOrder.id}`, { token: tokenOf(person) });
      expect(read.status, person).toBe(404);
    }
  });
});

describe('handling', () => {
  it('moves through the status machine and names the allowed moves on a 409', async () => {
    let workOrder = await fresh({ owner: 'tech1' });
    const move = async (status: string) => {
      const response = await api.request<WorkOrder & { allowed?: string[] }>(
        'POST',
        `/work-orders/${workOrder.id}/status`,
        {
          token: tokenOf('tech1'),
          body: { status, version: workOrder.version, comment: `to ${status}` },
        },
      );
      if (response.status === 200) workOrder = response.body;
      return response;
    };
    expect((await move('in-progress')).status).toBe(200);
    const impossible = await move('closed');
    expect(impossible.status).toBe(409);
    expect(impossible.body.allowed).toEqual(['resolved', 'cancelled']);
    expect((await move('resolved')).body.resolvedAt).toBeDefined();
    expect((await move('closed')).body.closedAt).toBeDefined();
    const timeline = await api.request<{ items: { kind: string; text?: string }[] }>(
      'GET',
      `/work-orders/${workOrder.id}/records`,
      {
        token: tokenOf('tech1'),
      },
    );
    expect(timeline.body.items.map((r) => r.kind)).toEqual([
      'created',
      'assigned',
      'status-changed',
      'status-changed',
      'status-changed',
    ]);
    expect(timeline.body.items.at(-1)?.text).toBe('to closed');
  });

  it('refuses to handle a locked work order until it is unlocked, and locking needs a manager', async () => {
    const workOrder = await fresh({ owner: 'tech1' });
    const byTech = await api.request('POST', `/work-orders/${workOrder.id}/lock`, {
      token: tokenOf('tech1'),
      body: { version: 1 },
    });
    const locked = await api.request<WorkOrder>('POST', `/work-orders/${workOrder.id}/lock`, {
      token: tokenOf('manager'),
      body: { version: 1 },
    });
    const handle = await api.request('POST', `/work-orders/${workOrder.id}/status`, {
      token: tokenOf('tech1'),
      body: { status: 'in-progress', version: 2 },
    });
    const unlocked = await api.request('POST', `/work-orders/${workOrder.id}/unlock`, {
      token: tokenOf('manager'),
      body: { version: 2 },
    });
    expect(byTech.status).toBe(403);
    expect(locked.body.locked).toBe(true);
    expect(handle.status).toBe(409);
    expect(handle.body).toMatchObject({ reason: 'locked' });
    expect(unlocked.status).toBe(200);
  });

  it('voids a work order: obsolete, out of every scene but the admins', async () => {
    const workOrder = await fresh({ owner: 'tech1' });
    await api.request('POST', `/work-orders/${workOrder.id}/void`, {
      token: tokenOf('tech1'),
      body: { version: 1, reason: 'Duplicate' },
    });
    const asOwner = await api.request('GET', `/work-orders/${workOrder.id}`, { token: tokenOf('tech1') });
    const asAdmin = await api.request('GET', `/work-orders/${workOrder.id}`, { token: tokenOf('admin') });
    const handle = await api.request('POST', `/work-orders/${workOrder.id}/status`, {
      token: tokenOf('admin'),
      body: { status: 'in-progress', version: 2 },
    });
    expect(asOwner.status).toBe(404);
    expect(asAdmin.body).toMatchObject({ lifecycle: 'obsolete' });
    expect(handle.status).toBe(409);
  });

  it('deletes only as CRM admin, with the version read', async () => {
    const workOrder = await fresh({ owner: 'tech1' });
    const byOwner = await api.request('DELETE', `/work-orders/${workOrder.id}?version=1`, {
      token: tokenOf('tech1'),
    });
    const stale = await api.request('DELETE', `/work-orders/${workOrder.id}?version=7`, {
      token: tokenOf('admin'),
    });
    const deleted = await api.request('DELETE', `/work-orders/${workOrder.id}?version=1`, {
      token: tokenOf('admin'),
    });
    const read = await api.request('GET', `/work-orders/${workOrder.id}`, { token: tokenOf('admin') });
    const byNumber = await api.request('GET', `/work-orders/by-number/${workOrder.number}`, {
      token: tokenOf('admin'),
    });
    expect([byOwner.status, stale.status, deleted.status, read.status, byNumber.status]).toEqual([
      403, 409, 204, 404, 404,
    ]);
  });

  it('assigns in a batch with an answer per work order and never half-applies one', async () => {
    const mine = await fresh({ owner: 'tech1' });
    const readOnly = await fresh({ owner: 'outsider', team: [{ userId: 'tech2', access: 'read-only' }] });
    const unrelated = await fresh({ owner: 'outsider' });
    let locked = await fresh({ owner: 'tech2' });
    locked = await wo.setLocked(admin(), locked.id, true, locked.version);
    const obsolete = await wo.void(admin(), (await fresh({ owner: 'tech2' })).id, 1);

    const byLead = await api.request<{ results: { id: string; outcome: string }[] }>(
      'POST',
      '/work-orders/assign',
      {
        token: tokenOf('lead'),
        body: { ids: [mine.id, readOnly.id, unrelated.id, locked.id, 'NO-SUCH-ID'], ownerId: 'tech2' },
      },
    );
    const again = await api.request<{ results: { id: string; outcome: string }[] }>(
      'POST',
      '/work-orders/assign',
      {
        token: tokenOf('lead'),
        body: { ids: [mine.id], ownerId: 'tech2' },
      },
    );
    const byAdmin = await api.request<{ results: { id: string; outcome: string }[] }>(
      'POST',
      '/work-orders/assign',
      {
        token: tokenOf('admin'),
        body: { ids: [obsolete.id, unrelated.id], ownerId: 'tech2' },
      },
    );

    expect(byLead.body.results.map((r) => r.outcome)).toEqual([
      'assigned',
      'forbidden',
      'not-found',
      'locked',
      'not-found',
    ]);
    expect(byAdmin.body.results.map((r) => r.outcome)).toEqual(['obsolete', 'assigned']);
    expect(
      again.body.results?.map((r) => r.outcome),
      JSON.stringify(again.body),
    ).toEqual(['unchanged']);
    expect((await wo.get(admin(), mine.id)).ownerId).toBe('tech2');
    expect(await wo.get(admin(), readOnly.id)).toMatchObject({ ownerId: 'outsider', version: 1 });
    expect(await wo.get(admin(), locked.id)).toMatchObject({ ownerId: 'tech2', version: 2 });
    const records = await wo.records(admin(), readOnly.id, {});
    expect(records.items.map((r) => r.kind)).toEqual(['created', 'assigned']);
  });

  it('assigns 100 at once and refuses 101', async () => {
    const many = await Promise.all(Array.from({ length: 100 }, () => fresh({ owner: 'tech1' })));
    const response = await api.request<{ results: { outcome: string }[] }>('POST', '/work-orders/assign', {
      token: tokenOf('manager'),
      body: { ids: many.map((w) => w.id), ownerId: 'lead' },
    });
    const tooMany = await api.request('POST', '/work-orders/assign', {
      token: tokenOf('manager'),
      body: { ids: [...many.map((w) => w.id), 'one-more'], ownerId: 'lead' },
    });
    expect(response.body.results.filter((r) => r.outcome === 'assigned')).toHaveLength(100);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([expect.objectContaining({ field: 'body.ids' })]);
  });

  it('lets exactly one of 50 concurrent edits of one version win; no update is lost', async () => {
    const workOrder = await fresh({ owner: 'tech1' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api.request<WorkOrder>('PATCH', `/work-orders/${workOrder.id}`, {
          token: tokenOf('tech1'),
          body: { description: `edit ${i}`, version: 1 },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    const winner = results.find((r) => r.status === 200);
    const stored = await wo.get(admin(), workOrder.id);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(stored).toMatchObject({ version: 2, description: winner?.body.description });
    const edits = (await wo.records(admin(), workOrder.id, {})).items.filter((r) => r.kind === 'edited');
    expect(edits).toHaveLength(1);
  });

  it('numbers work orders per tenant without gaps, also when created concurrently', async () => {
    const created = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.request<WorkOrder>('POST', '/work-orders', {
          token: tokenOf('admin'),
          body: { title: 'Concurrent' },
        }),
      ),
    );
    expect(created.every((r) => r.status === 201)).toBe(true);
    const sequence = created.map((r) => Number(r.body.number.slice(-6))).sort((a, b) => a - b);
    const first = sequence[0] ?? 0;
    expect(sequence).toEqual(Array.from({ length: 20 }, (_, i) => first + i));
    expect(created[0]?.body.number).toMatch(/^WO-\d{4}-\d{6}$/);
  });

  it('gives the same work order for the same Idempotency-Key', async () => {
    const request = () =>
      api.request<WorkOrder>('POST', '/work-orders', {
        token: tokenOf('admin'),
        body: { title: 'From the ERP', channel: 'integration' },
        headers: { 'idempotency-key': 'erp-ticket-99' },
      });
    const [a, b] = await Promise.all([request(), request()]);
    const c = await request();
    expect(a.body.id).toBe(b.body.id);
    expect(c.body.number).toBe(a.body.number);
  });

  it('fills the account from the contact and applies the assignment rule of the type', async () => {
    const setup = compose(basePorts(api.table)).workOrders;
    const svc = compose(basePorts(api.table)).masterData;
    const account = await svc.accounts.create(admin(), { name: 'Rule Ltd' });
    const contact = await svc.contacts.create(admin(), { lastName: 'Rule', accountId: account.id });
    const type = await setup.workOrderTypes.create(admin(), {
      code: 'REPAIR',
      name: 'Repair',
      defaultOwnerId: 'tech2',
      defaultPriority: 'high',
    });

    const response = await api.request<WorkOrder>('POST', '/work-orders', {
      token: tokenOf('agent'),
      body: { title: 'Called in', contactId: contact.id, typeId: type.id },
    });
    const mismatch = await api.request('POST', '/work-orders', {
      token: tokenOf('agent'),
      body: { title: 'Wrong', contactId: contact.id, accountId: org.workOrders.wo1.id },
    });

    expect(response.body).toMatchObject({
      accountId: account.id,
      ownerId: 'tech2',
      priority: 'high',
      channel: 'call-center',
    });
    expect(mismatch.status).toBe(400);
  });
});

describe('comments', () => {
  it('go on the timeline of a work order the author may read, and not on a voided one', async () => {
    const workOrder = await fresh({ owner: 'tech1', team: [{ userId: 'tech2', access: 'read-only' }] });
    const byMember = await api.request('POST', `/work-orders/${workOrder.id}/comments`, {
      token: tokenOf('tech2'),
      body: { text: 'Customer called again' },
    });
    const byOutsider = await api.request('POST', `/work-orders/${workOrder.id}/comments`, {
      token: tokenOf('outsider'),
      body: { text: 'Let me in' },
    });
    const empty = await api.request('POST', `/work-orders/${workOrder.id}/comments`, {
      token: tokenOf('tech2'),
      body: { text: '  ' },
    });
    await wo.void(admin(), workOrder.id, workOrder.version);
    const onVoided = await api.request('POST', `/work-orders/${workOrder.id}/comments`, {
      token: tokenOf('admin'),
      body: { text: 'Late' },
    });
    const timeline = await wo.records(admin(), workOrder.id, {});

    expect([byMember.status, byOutsider.status, empty.status, onVoided.status]).toEqual([201, 404, 400, 409]);
    expect(timeline.items.filter((r) => r.kind === 'comment').map((r) => [r.actorId, r.text])).toEqual([
      ['tech2', 'Customer called again'],
    ]);
    expect((await wo.get(admin(), workOrder.id)).version).toBe(workOrder.version + 1);
  });
});
