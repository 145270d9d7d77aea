import * as z from 'zod/mini';
import '../shared/schema';
import type { DomainEvent } from '../shared/events';
import type { Agreement } from './agreement';

export const AGREEMENT_EVENT_SOURCE = 'fieldservice.agreements' as const;
export const SALES_EVENT_SOURCE = 'fieldservice.sales' as const;

const agreementDetail = z.object({
  id: z.string(),
  version: z.int(),
  status: z.string(),
  subject: z.object({ kind: z.string(), accountId: z.string(), deviceId: z.optional(z.string()) }),
  startDate: z.string(),
  endDate: z.string(),
});

/** `SalesOrderCreated` carries the order; its generator needs only which one. */
export const salesOrderCreatedDetail = z.object({ id: z.string() });

/** Detail schemas of the agreement events on the bus. */
export const AGREEMENT_EVENTS = {
  AgreementCreated: agreementDetail,
  AgreementActivated: agreementDetail,
  AgreementExpired: agreementDetail,
} as const;

export type AgreementEventType = keyof typeof AGREEMENT_EVENTS;

export function agreementEvent(
  type: AgreementEventType,
  agreement: Agreement,
  base: { id: string; occurredAt: string; actorId?: string },
): DomainEvent {
  return {
    id: base.id,
    type,
    source: AGREEMENT_EVENT_SOURCE,
    tenantId: agreement.tenantId,
    occurredAt: base.occurredAt,
    ...(base.actorId ? { actorId: base.actorId } : {}),
    detail: {
      id: agreement.id,
      version: agreement.version,
      status: agreement.status,
      subject: agreement.subject,
      startDate: agreement.startDate,
      endDate: agreement.endDate,
    },
  };
}
