import type { DomainEvent } from '../shared/events';
import type { GeneratedOccurrence } from './occurrence';
import type { ServicePlan } from './service-plan';

export const SERVICE_PLAN_EVENT_SOURCE = 'fieldservice.service-plans' as const;

export type ServicePlanEventType =
  | 'ServicePlanCreated'
  | 'ServicePlanChanged'
  | 'ServicePlanEnded'
  | 'ServicePlanDeleted';

type EventBase = { id: string; occurredAt: string; actorId?: string };

export function servicePlanEvent(
  type: ServicePlanEventType,
  plan: ServicePlan,
  base: EventBase,
): DomainEvent {
  return {
    ...base,
    type,
    source: SERVICE_PLAN_EVENT_SOURCE,
    tenantId: plan.tenantId,
    detail: {
      id: plan.id,
      version: plan.version,
      status: plan.status,
      agreementId: plan.agreementId,
      ...(plan.endReason ? { endReason: plan.endReason } : {}),
    },
  };
}

/** One occurrence got its work order: written in the transaction that created it. */
export function occurrenceGenerated(occurrence: GeneratedOccurrence, base: EventBase): DomainEvent {
  return {
    ...base,
    type: 'ServicePlanOccurrenceGenerated',
    source: SERVICE_PLAN_EVENT_SOURCE,
    tenantId: occurrence.tenantId,
    detail: {
      planId: occurrence.planId,
      occurrence: occurrence.date,
      at: occurrence.at,
      workOrderId: occurrence.workOrderId,
      workOrderNumber: occurrence.workOrderNumber,
    },
  };
}
