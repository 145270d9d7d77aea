import { type Actor, actorIdOf } from '../access/actor';
import type { Agreement, AgreementView } from '../agreements/agreement';
import { dateOf } from '../agreements/agreement-terms';
import type { Product } from '../catalog/product';
import type { Tenant } from '../organisation/tenant';
import type { ServiceContext } from '../shared/master-data-service';
import { newRecord, type RecordKind } from '../work-orders/service-record';
import type { WorkOrder } from '../work-orders/work-order';
import type { Lookup } from '../work-orders/work-order-context';
import { matchAgreement } from './agreement-match';
import type { ConfirmationRepository, ServiceProductRepository } from './ports';

/** The agreements the consumption reads: one with its ledgers, and an account's (its devices' too). */
export interface AgreementReader {
  get(tenantId: string, id: string): Promise<AgreementView | undefined>;
  allForAccount(tenantId: string, accountId: string): Promise<Agreement[]>;
}

/**
 * What the consumption use cases work with: the service products and
 * confirmations, the work orders as they are stored, the catalog, the
 * agreements and the tenant's settings. The use cases people call add the
 * work orders as people may read them (a `WorkOrderReader`).
 */
export class ConsumptionContext {
  constructor(
    readonly serviceProducts: ServiceProductRepository,
    readonly confirmations: ConfirmationRepository,
    readonly workOrders: Lookup<WorkOrder>,
    readonly products: Lookup<Product>,
    readonly agreements: AgreementReader,
    readonly tenants: { get(tenantId: string): Promise<Tenant | undefined> },
    readonly service: ServiceContext,
  ) {}

  now(): string {
    return this.service.clock.now().toISOString();
  }

  today(): string {
    return dateOf(this.service.clock.now());
  }

  record(workOrderId: string, kind: RecordKind, actor: Actor, text: string, data?: Record<string, unknown>) {
    return newRecord(this.service, workOrderId, kind, actorIdOf(actor), { text, ...(data ? { data } : {}) });
  }

  eventBase(actor: Actor) {
    return { id: this.service.ids.next(), occurredAt: this.now(), actorId: actorIdOf(actor) };
  }

  /** The agreement that covers the work order on a day, by the tenant's matching rule; none if no agreement does. */
  async agreementFor(workOrder: WorkOrder, day: string): Promise<Agreement | undefined> {
    if (!workOrder.accountId) return undefined;
    const [candidates, tenant] = await Promise.all([
      this.agreements.allForAccount(workOrder.tenantId, workOrder.accountId),
      this.tenants.get(workOrder.tenantId),
    ]);
    return matchAgreement(candidates, workOrder, day, tenant?.settings.agreementMatching);
  }
}
