import type { Principal } from '../access/principal';
import type { ServiceContext } from '../shared/master-data-service';
import { workOrderEvent } from './events';
import type { WorkOrderReader } from './find-work-orders';
import type { ForwardInput } from './forward';
import type { WorkOrderRepository } from './ports';
import { newRecord, type ServiceRecord } from './service-record';
import { assertLive } from './work-order';

/**
 * Forward: anyone who may read a work order may forward it. A timeline record
 * and a `WorkOrderForwarded` event, in one transaction; the mailer sends.
 */
export class WorkOrderForwarding {
  constructor(
    private readonly workOrders: WorkOrderReader,
    private readonly store: Pick<WorkOrderRepository, 'appendRecords'>,
    private readonly context: ServiceContext,
  ) {}

  async forward(principal: Principal, id: string, input: ForwardInput): Promise<ServiceRecord> {
    const workOrder = await this.workOrders.get(principal, id);
    assertLive(workOrder);
    const to = [...new Set(input.to.map((address) => address.toLowerCase()))];
    const record = newRecord(this.context, workOrder.id, 'forwarded', principal.userId, {
      text: input.note,
      data: { to },
    });
    const event = workOrderEvent(
      'WorkOrderForwarded',
      workOrder,
      { id: this.context.ids.next(), occurredAt: record.at, actorId: principal.userId },
      { recordId: record.id, to, ...(input.note ? { note: input.note } : {}) },
    );
    await this.store.appendRecords(workOrder, [record], { events: [event] });
    return record;
  }
}
