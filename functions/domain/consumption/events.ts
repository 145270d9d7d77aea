import type { SalesOrder } from '../agreements/sales-order';
import type { DomainEvent } from '../shared/events';
import type { ConsumptionConfirmation } from './confirmation';

export const CONSUMPTION_EVENT_SOURCE = 'fieldservice.consumption' as const;
export const BILLING_EVENT_SOURCE = 'fieldservice.billing' as const;

type EventBase = { id: string; occurredAt: string; actorId?: string };

/** A person approved a consumption and it is final: what was covered and what was billed. */
export function consumptionConfirmed(confirmation: ConsumptionConfirmation, base: EventBase): DomainEvent {
  return {
    ...base,
    type: 'ConsumptionConfirmed',
    source: CONSUMPTION_EVENT_SOURCE,
    tenantId: confirmation.tenantId,
    detail: {
      id: confirmation.id,
      workOrderId: confirmation.workOrderId,
      agreementId: confirmation.agreementId ?? null,
      orderId: confirmation.orderId ?? null,
      totals: confirmation.totals ?? null,
      lines: confirmation.lines.map((line) => ({
        serviceProductId: line.serviceProductId,
        productId: line.productId,
        quantityUsed: line.quantityUsed,
        covered: line.covered ?? 0,
        billedQuantity: line.billedQuantity ?? 0,
      })),
    },
  };
}

/** The order a confirmation billed, with what pays it. */
export function billingOrderCreated(order: SalesOrder, base: EventBase): DomainEvent {
  return {
    ...base,
    type: 'BillingOrderCreated',
    source: BILLING_EVENT_SOURCE,
    tenantId: order.tenantId,
    detail: {
      id: order.id,
      accountId: order.accountId,
      total: order.total,
      workOrderId: order.billing?.workOrderId ?? null,
      confirmationId: order.billing?.confirmationId ?? null,
    },
  };
}
