import type { Principal } from '../access/principal';
import { MAX_PAGE_SIZE } from '../shared/entity';
import type { ServiceContext } from '../shared/master-data-service';
import type { WorkOrderReader } from './find-work-orders';
import type { CustomerOfWorkOrder } from './forward';
import type { WorkOrderRepository } from './ports';
import type { ServiceRecord } from './service-record';
import type { WorkOrder } from './work-order';
import type { WorkOrderLookups } from './work-order-context';
import { customerOf, namesOf } from './work-order-parties';
import type { WorkOrderType } from './work-order-type';

/** A printout shows at most this many timeline entries (ten pages). */
export const MAX_PRINTED_RECORDS = 1000;

export interface PrintView {
  workOrder: WorkOrder;
  type?: WorkOrderType;
  customer: CustomerOfWorkOrder;
  /** Oldest first. */
  records: ServiceRecord[];
  /** More entries exist than a printout shows. */
  truncated: boolean;
  /** Names of the people the page mentions, by user id. */
  people: Record<string, string>;
  printedAt: string;
  printedBy: string;
}

/** Everything a printable work order shows, read with the reader's rights: whoever may read it may print it. */
export class WorkOrderPrinting {
  constructor(
    private readonly workOrders: WorkOrderReader,
    private readonly store: WorkOrderRepository,
    private readonly lookups: WorkOrderLookups,
    private readonly context: ServiceContext,
  ) {}

  async view(principal: Principal, id: string): Promise<PrintView> {
    const workOrder = await this.workOrders.get(principal, id);
    const { tenantId } = principal;
    const records: ServiceRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.records(tenantId, workOrder.id, { limit: MAX_PAGE_SIZE, cursor });
      records.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && records.length < MAX_PRINTED_RECORDS);
    const [customer, type] = await Promise.all([
      customerOf(this.lookups, workOrder),
      workOrder.typeId ? this.lookups.types.get(tenantId, workOrder.typeId) : undefined,
    ]);
    const ids = new Set(
      [
        workOrder.ownerId,
        workOrder.createdBy,
        principal.userId,
        ...workOrder.team.map((m) => m.userId),
        ...records.map((r) => r.actorId),
      ].filter((v): v is string => Boolean(v)),
    );
    const people = await namesOf(this.lookups.users, tenantId, [...ids]);
    return {
      workOrder,
      ...(type ? { type } : {}),
      customer,
      records: records.slice(0, MAX_PRINTED_RECORDS),
      truncated: Boolean(cursor) || records.length > MAX_PRINTED_RECORDS,
      people,
      printedAt: this.context.clock.now().toISOString(),
      printedBy: principal.userId,
    };
  }
}
