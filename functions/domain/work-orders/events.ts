import * as z from 'zod/mini';
import '../shared/schema';
import type { DomainEvent } from '../shared/events';
import { workOrderForwardedDetail } from './forward';
import type { WorkOrder } from './work-order';

export const WORK_ORDER_EVENT_SOURCE = 'fieldservice.work-orders' as const;

/** Detail schemas of the work-order events on the bus. */
export const workOrderCreatedDetail = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  channel: z.string(),
  priority: z.string(),
  status: z.string(),
  ownerId: z.optional(z.string()),
  accountId: z.optional(z.string()),
  version: z.int(),
});
export const workOrderAssignedDetail = z.object({
  id: z.string(),
  number: z.string(),
  previousOwnerId: z.optional(z.string()),
  ownerId: z.string(),
  version: z.int(),
});
export const workOrderStatusChangedDetail = z.object({
  id: z.string(),
  number: z.string(),
  from: z.string(),
  to: z.string(),
  version: z.int(),
});

export const WORK_ORDER_EVENTS = {
  WorkOrderCreated: workOrderCreatedDetail,
  WorkOrderAssigned: workOrderAssignedDetail,
  WorkOrderStatusChanged: workOrderStatusChangedDetail,
  WorkOrderForwarded: workOrderForwardedDetail,
} as const;

export type WorkOrderEventType = keyof typeof WORK_ORDER_EVENTS | 'WorkOrderUpdated' | 'WorkOrderDeleted';

export function workOrderEvent(
  type: WorkOrderEventType,
  workOrder: WorkOrder,
  base: { id: string; occurredAt: string; actorId?: string },
  detail: Record<string, unknown> = {},
): DomainEvent {
  return {
    id: base.id,
    type,
    source: WORK_ORDER_EVENT_SOURCE,
    tenantId: workOrder.tenantId,
    occurredAt: base.occurredAt,
    ...(base.actorId ? { actorId: base.actorId } : {}),
    detail: { id: workOrder.id, number: workOrder.number, version: workOrder.version, ...detail },
  };
}
