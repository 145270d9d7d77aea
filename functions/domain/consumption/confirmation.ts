import * as z from 'zod/mini';
import type { Entity } from '../shared/entity';
import type { Money } from '../shared/schema';
import { entityFields, money } from '../shared/schema';
import { SERVICE_PRODUCT_SOURCES, type ServiceProductSource } from './service-product';
import { type ApprovalDecision, approvalDecision, RELEASE_OUTCOMES, type ReleaseOutcome } from './workflow';

/**
 * Where a confirmation is: `started` (the flow is being started), then each
 * step's mark; `confirmed` and `released` are final.
 */
export const CONFIRMATION_STATUSES = [
  'started',
  'validated',
  'redeemed',
  'awaiting-approval',
  'approved',
  'rejected',
  'confirmed',
  'released',
] as const;
export type ConfirmationStatus = (typeof CONFIRMATION_STATUSES)[number];

/** How many units of a line an agreement covers, and which part of it does. */
export interface Coverage {
  agreementId: string;
  /** The counted line redeemed; absent for full coverage and recurring lines, which count nothing. */
  lineId?: string;
  kind: 'full' | 'counted-line' | 'recurring-line';
}

/** One service product of the work order as the confirmation prices and bills it. */
export interface ConfirmationLine {
  serviceProductId: string;
  productId: string;
  productCode: string;
  productName: string;
  productKind: 'service' | 'spare-part';
  serviceType?: 'recurring' | 'non-recurring';
  source: ServiceProductSource;
  quantityUsed: number;
  quantityToBill: number;
  unitPrice: Money;
  /** Units free under the agreement (warranty, price 0); set by the redeem step. */
  covered?: number;
  coveredBy?: Coverage;
  /** Units the agreement does not cover, at the product's price. */
  nonWarranty?: number;
  /** Set by the billing rules: whether non-warranty units are billed, and which rule said so. */
  billable?: boolean;
  billingRuleId?: string;
  /** Units on the order and their total. */
  billedQuantity?: number;
  total?: Money;
}

/** One step of the flow as it happened, newest last. */
export interface StepMark {
  step: string;
  at: string;
  note: string;
}

export interface ConsumptionConfirmation extends Entity {
  workOrderId: string;
  workOrderNumber: string;
  /** The day the work was done: the agreement must cover it. */
  serviceDate: string;
  requestedBy: string;
  status: ConfirmationStatus;
  lines: ConfirmationLine[];
  /** The agreement chosen when validating; none: every unit is non-warranty. */
  agreementId?: string;
  decision?: ApprovalDecision;
  outcome?: 'confirmed' | ReleaseOutcome;
  failure?: { error: string; cause?: string };
  /** The service-billing order; none when nothing was billable. */
  orderId?: string;
  totals?: { warrantyValue: Money; billed: Money };
  steps: StepMark[];
}

const moneyOut = money;
const lineSchema = z.object({
  serviceProductId: z.string(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  productKind: z.enum(['service', 'spare-part']),
  serviceType: z.optional(z.enum(['recurring', 'non-recurring'])),
  source: z.enum(SERVICE_PRODUCT_SOURCES),
  quantityUsed: z.int(),
  quantityToBill: z.int(),
  unitPrice: moneyOut,
  covered: z.optional(z.int()),
  coveredBy: z.optional(
    z.object({
      agreementId: z.string(),
      lineId: z.optional(z.string()),
      kind: z.enum(['full', 'counted-line', 'recurring-line']),
    }),
  ),
  nonWarranty: z.optional(z.int()),
  billable: z.optional(z.boolean()),
  billingRuleId: z.optional(z.string()),
  billedQuantity: z.optional(z.int()),
  total: z.optional(moneyOut),
});

export const confirmationSchema = z.object({
  ...entityFields,
  workOrderId: z.string(),
  workOrderNumber: z.string(),
  serviceDate: z.string(),
  requestedBy: z.string(),
  status: z.enum(CONFIRMATION_STATUSES),
  lines: z.array(lineSchema),
  agreementId: z.optional(z.string()),
  decision: z.optional(approvalDecision),
  outcome: z.optional(z.enum(['confirmed', ...RELEASE_OUTCOMES])),
  failure: z.optional(z.object({ error: z.string(), cause: z.optional(z.string()) })),
  orderId: z.optional(z.string()),
  totals: z.optional(z.object({ warrantyValue: moneyOut, billed: moneyOut })),
  steps: z.array(z.object({ step: z.string(), at: z.string(), note: z.string() })),
});

export const startConfirmationInput = z.strictObject({
  /** The day the work was done; today when left out. It may not be in the future. */
  serviceDate: z.optional(z.iso.date()),
});
export type StartConfirmationInput = z.infer<typeof startConfirmationInput>;

export const decisionInput = z.strictObject({
  reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(1000))),
});

/** Statuses from which the flow has not yet redeemed or has nothing left to release. */
export const isFinal = (status: ConfirmationStatus) => status === 'confirmed' || status === 'released';

/** A confirmation as the API shows it: never the task token the flow waits on. */
export type ConfirmationView = ConsumptionConfirmation;
