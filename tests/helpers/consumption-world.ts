import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';
import type { ConsumptionConfirmation } from '../../functions/domain/consumption/confirmation';
import {
  type ConsumptionStack,
  confirmationReaches,
  startConsumptionStack,
  userPrincipal,
} from './consumption';

export type Body = Record<string, unknown> & { id: string; version: number; status: string };
export type Ledger = {
  quantity: number;
  redeemed: number;
  released: number;
  remaining: number;
  entries: { kind: string; quantity: number; confirmationId: string }[];
};

/**
 * A tenant for the consumption tests on the consumption stack: a CRM admin, a
 * service manager and the technician below them (who is put in charge of
 * every work order), with helpers for the requests every test makes.
 */
export class ConsumptionWorld {
  admin = '';
  tech = '';
  manager = '';

  private constructor(
    readonly stack: ConsumptionStack,
    readonly tenantId: string,
  ) {}

  static async start(tenantId: string, now: Date): Promise<ConsumptionWorld> {
    const stack = await startConsumptionStack();
    stack.clock.moveTo(now);
    await stack.api.createTenant(tenantId);
    const users = stack.api.app.masterData.users;
    const root = userPrincipal(tenantId, 'admin', 'crm-admin');
    await users.create(root, {
      id: 'manager',
      name: 'Mia Manager',
      email: `mia@${tenantId}.example`,
      roles: ['service-manager', 'service-staff'],
    });
    await users.create(root, {
      id: 'tech',
      name: 'Tom Tech',
      email: `tom@${tenantId}.example`,
      roles: ['service-staff'],
      superiorId: 'manager',
    });
    const world = new ConsumptionWorld(stack, tenantId);
    world.admin = stack.api.token(tenantId, 'admin', 'crm-admin');
    world.tech = stack.api.token(tenantId, 'tech', 'service-staff');
    world.manager = stack.api.token(tenantId, 'manager', 'service-manager', 'service-staff');
    return world;
  }

  get api() {
    return this.stack.api;
  }

  request(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.api.request<Body>(method, path, { token, headers, ...(body === undefined ? {} : { body }) });
  }

  async product(code: string, body: Record<string, unknown>): Promise<string> {
    const created = await this.request('POST', '/products', this.admin, {
      code,
      price: { amount: 8000, currency: 'EUR' },
      ...body,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  }

  async account(name: string): Promise<string> {
    return (await this.request('POST', '/accounts', this.admin, { name })).body.id;
  }

  /** An agreement created and activated. */
  async activeAgreement(body: Record<string, unknown>): Promise<string> {
    const created = await this.request('POST', '/service-agreements', this.admin, body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const path = `/service-agreements/${created.body.id}/activate`;
    const activated = await this.request('POST', path, this.admin, { version: 1 });
    expect(activated.status, JSON.stringify(activated.body)).toBe(200);
    return created.body.id;
  }

  async ledger(agreementId: string, lineId: string): Promise<Ledger> {
    const path = `/service-agreements/${agreementId}/lines/${lineId}/ledger`;
    return (await this.request('GET', path, this.admin)).body as unknown as Ledger;
  }

  async outboxEvents() {
    const { Items = [] } = await this.api.table.client.send(
      new QueryCommand({
        TableName: this.api.table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.outboxEvent(this.tenantId, 'x').pk },
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => item.event as { type: string; detail: Record<string, unknown> });
  }

  /** A work order of the account, the technician in charge, with these service products. */
  async workOrderWith(
    accountId: string,
    products: { productId: string; quantityUsed: number; quantityToBill?: number }[],
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    const created = await this.request('POST', '/work-orders', this.admin, {
      title: 'Boiler repair',
      accountId,
      ownerId: 'tech',
      ...extra,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    for (const product of products) {
      const path = `/work-orders/${created.body.id}/service-products`;
      const added = await this.request('POST', path, this.tech, product);
      expect(added.status, JSON.stringify(added.body)).toBe(201);
    }
    return created.body.id;
  }

  startConfirmation(workOrderId: string, token = this.tech, headers: Record<string, string> = {}) {
    return this.request('POST', `/work-orders/${workOrderId}/consumption-confirmations`, token, {}, headers);
  }

  /** Starts a confirmation and waits until a person can decide on it. */
  async awaitingApproval(workOrderId: string): Promise<ConsumptionConfirmation & Record<string, unknown>> {
    const started = await this.startConfirmation(workOrderId);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    return (await this.reaches(started.body.id, ['awaiting-approval'])) as ConsumptionConfirmation &
      Record<string, unknown>;
  }

  decide(id: string, decision: 'approve' | 'reject', token = this.manager, body: unknown = {}) {
    return this.request('POST', `/consumption-confirmations/${id}/${decision}`, token, body);
  }

  reaches(id: string, statuses: readonly string[], timeout?: number) {
    return confirmationReaches(this.api, this.manager, id, statuses, timeout);
  }

  close(): Promise<void> {
    return this.stack.close();
  }
}

/**
 * The catalog and customers of the flow tests: a repair service and two spare parts (one priced in
 * CHF), an account with a partial agreement (2 repairs, 10 filters), one with full coverage, one without.
 */
export async function coveredCustomers(w: ConsumptionWorld) {
  const repair = await w.product('REP', {
    name: 'Repair visit',
    kind: 'service',
    serviceType: 'non-recurring',
  });
  const filter = await w.product('FLT', {
    name: 'Filter',
    kind: 'spare-part',
    price: { amount: 1250, currency: 'EUR' },
  });
  const swissPart = await w.product('CH-PUMP', {
    name: 'Pump (CH)',
    kind: 'spare-part',
    price: { amount: 9900, currency: 'CHF' },
  });
  const covered = await w.account('Covered Ltd');
  const uncovered = await w.account('Walk-in GmbH');
  const full = await w.account('Full Care AG');
  const term = { subject: 'account', startDate: '2031-01-01', endDate: '2031-12-31' };
  const partial = await w.activeAgreement({
    ...term,
    name: 'Partial care',
    accountId: covered,
    coverage: 'partial',
    lines: [
      { productId: repair, quantity: 2 },
      { productId: filter, quantity: 10 },
    ],
  });
  const fullAgreement = await w.activeAgreement({
    ...term,
    name: 'Full care',
    accountId: full,
    coverage: 'full',
    lines: [],
  });
  return { repair, filter, swissPart, covered, uncovered, full, partial, fullAgreement };
}
