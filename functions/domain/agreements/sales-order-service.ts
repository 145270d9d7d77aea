import type { Actor } from '../access/actor';
import { actorIdOf } from '../access/actor';
import { authorize } from '../access/permissions';
import type { Product } from '../catalog/product';
import type { Account } from '../customers/account';
import type { Device } from '../customers/device';
import { mapConcurrently } from '../shared/concurrency';
import { type Page, type PageRequest, pageRequest } from '../shared/entity';
import { NotFoundError } from '../shared/errors';
import type { ServiceContext } from '../shared/master-data-service';
import type { Claim, Repository } from '../shared/ports';
import { salesOrderCreated } from './events';
import { type CreateSalesOrderInput, priceOrder, type SalesOrder } from './sales-order';

export interface SalesOrderRepositories {
  orders: Repository<SalesOrder>;
  accounts: Pick<Repository<Account>, 'get'>;
  devices: Pick<Repository<Device>, 'get'>;
  products: Pick<Repository<Product>, 'get'>;
}

/** Product reads in flight at once while an order is priced. */
const PRODUCT_READS = 10;

/**
 * Sales orders: placed by sales (or an integration), priced from the catalog
 * as it is when they are placed, never changed afterwards. Placing one
 * announces `SalesOrderCreated`, from which the agreements are generated.
 */
export class SalesOrderService {
  constructor(
    private readonly repos: SalesOrderRepositories,
    private readonly context: ServiceContext,
  ) {}

  async create(
    actor: Actor,
    input: CreateSalesOrderInput,
    claims: readonly Claim[] = [],
  ): Promise<SalesOrder> {
    authorize(actor, 'sales-order:write');
    const { tenantId } = actor;
    const productIds = [...new Set(input.lines.map((line) => line.productId))];
    const [account, device, products] = await Promise.all([
      this.repos.accounts.get(tenantId, input.accountId),
      input.deviceId ? this.repos.devices.get(tenantId, input.deviceId) : undefined,
      mapConcurrently(productIds, PRODUCT_READS, (id) => this.repos.products.get(tenantId, id)),
    ]);
    const found = new Map(products.filter((p): p is Product => p !== undefined).map((p) => [p.id, p]));
    const { lines, total } = priceOrder(input, { account, device, products: found });
    const now = this.context.clock.now().toISOString();
    const order: SalesOrder = {
      id: this.context.ids.next(),
      tenantId,
      version: 1,
      createdAt: now,
      updatedAt: now,
      origin: 'sales',
      accountId: input.accountId,
      ...(input.deviceId ? { deviceId: input.deviceId } : {}),
      orderDate: input.orderDate,
      lines,
      total,
    };
    await this.repos.orders.create(order, {
      claims,
      events: [
        salesOrderCreated(order, {
          id: this.context.ids.next(),
          occurredAt: now,
          actorId: actorIdOf(actor),
        }),
      ],
    });
    return order;
  }

  async get(actor: Actor, id: string): Promise<SalesOrder> {
    authorize(actor, 'sales-order:read');
    const order = await this.repos.orders.get(actor.tenantId, id);
    if (!order) throw new NotFoundError('SalesOrder', id);
    return order;
  }

  async list(actor: Actor, page: Partial<PageRequest>): Promise<Page<SalesOrder>> {
    authorize(actor, 'sales-order:read');
    return this.repos.orders.list(actor.tenantId, pageRequest(page));
  }
}
