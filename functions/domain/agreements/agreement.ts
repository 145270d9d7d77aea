import * as z from 'zod/mini';
import type { Product } from '../catalog/product';
import type { Entity } from '../shared/entity';
import { entityFields, identifier, text } from '../shared/schema';
import { COVERAGES, type Coverage, SUBJECTS, type SubjectKind } from './agreement-rule';
import { coversDay, dateOf, isCounted } from './agreement-terms';
import { type LineLedger, ledgerSchema } from './ledger';
import { PERIODS, type Period } from './sales-order';

export { coversDay, dateOf, isCounted };

/** `terminated`: ended early by a person; it covers nothing from then on, as `non-warranty` after its end. */
export const AGREEMENT_STATUSES = ['draft', 'active', 'non-warranty', 'terminated'] as const;
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/** What a line covers: a service every period, or a number of services or spare parts. */
export const RECORD_TYPES = ['recurring-service', 'non-recurring-service', 'spare-part'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Most lines an agreement holds, so that it and its ledgers are created in one transaction. */
export const MAX_AGREEMENT_LINES = 40;

export interface AgreementLine {
  /** `1`, `2`, … in the agreement. */
  id: string;
  productId: string;
  recordType: RecordType;
  /** Counted lines: units covered over the term. Periodic lines: services per period. */
  quantity: number;
  period?: Period;
  periods?: number;
  /** Whether the line becomes a service product of each new work order for the subject. */
  autoCreate: boolean;
  /** The order line it was generated from. */
  salesOrderLineId?: string;
}

export interface Agreement extends Entity {
  name: string;
  subject: { kind: SubjectKind; accountId: string; deviceId?: string };
  /** First and last day covered (inclusive), as calendar dates of the tenant. */
  startDate: string;
  endDate: string;
  coverage: Coverage;
  status: AgreementStatus;
  lines: AgreementLine[];
  /** Generated from a sales order by a rule; absent for one created directly. */
  origin?: { salesOrderId: string; ruleId: string };
  activatedAt?: string;
  expiredAt?: string;
  terminated?: { at: string; by: string; reason: string };
}

/** The record type a product's line gets. */
export function recordTypeOf(product: Pick<Product, 'kind' | 'serviceType'>): RecordType {
  if (product.kind === 'spare-part') return 'spare-part';
  return product.serviceType === 'recurring' ? 'recurring-service' : 'non-recurring-service';
}

const lineInput = z.strictObject({
  productId: identifier,
  quantity: z.int().check(z.gte(1), z.lte(1_000_000)),
  period: z.optional(z.enum(PERIODS)),
  periods: z.optional(z.int().check(z.gte(1), z.lte(120))),
  autoCreate: z.optional(z.boolean()),
});

export const createAgreementInput = z.strictObject({
  name: text(200),
  subject: z.enum(SUBJECTS),
  accountId: identifier,
  deviceId: z.optional(identifier),
  startDate: z.iso.date(),
  endDate: z.iso.date(),
  coverage: z.enum(COVERAGES),
  lines: z.optional(z.array(lineInput).check(z.maxLength(MAX_AGREEMENT_LINES))),
});
export type CreateAgreementInput = z.infer<typeof createAgreementInput>;

const lineSchema = z.object({
  id: z.string(),
  productId: z.string(),
  recordType: z.enum(RECORD_TYPES),
  quantity: z.int(),
  period: z.optional(z.enum(PERIODS)),
  periods: z.optional(z.int()),
  autoCreate: z.boolean(),
  salesOrderLineId: z.optional(z.string()),
  /** Counted lines only. */
  ledger: z.optional(ledgerSchema),
});

export const agreementSchema = z.object({
  ...entityFields,
  name: z.string(),
  subject: z.object({ kind: z.enum(SUBJECTS), accountId: z.string(), deviceId: z.optional(z.string()) }),
  startDate: z.string(),
  endDate: z.string(),
  coverage: z.enum(COVERAGES),
  status: z.enum(AGREEMENT_STATUSES),
  lines: z.array(lineSchema),
  origin: z.optional(z.object({ salesOrderId: z.string(), ruleId: z.string() })),
  activatedAt: z.optional(z.string()),
  expiredAt: z.optional(z.string()),
  terminated: z.optional(z.object({ at: z.string(), by: z.string(), reason: z.string() })),
});

export const terminateAgreementInput = z.strictObject({
  version: z.int().check(z.gte(1)),
  reason: text(500),
});

/** An agreement as read: every counted line with its ledger. */
export type AgreementView = Omit<Agreement, 'lines'> & {
  lines: (AgreementLine & { ledger?: LineLedger })[];
};

/** The day after the last covered day, when the agreement becomes non-warranty. */
export function expiryDayOf(agreement: Pick<Agreement, 'endDate'>): string {
  const next = new Date(`${agreement.endDate}T00:00:00.000Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return dateOf(next);
}

/** `months` after a date, clamped to the month's last day (31 Jan + 1 month → 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return dateOf(target);
}

/** The last day of a term of `months` starting on `start` (a year from 1 Jan ends on 31 Dec). */
export function termEnd(start: string, months: number): string {
  const end = new Date(`${addMonths(start, months)}T00:00:00.000Z`);
  end.setUTCDate(end.getUTCDate() - 1);
  return dateOf(end);
}

/** The name of an agreement's expiry schedule: unique in the group, within Scheduler's 64 characters. */
export const expiryScheduleNameOf = (agreement: Pick<Agreement, 'id'>) => `agreement-expiry-${agreement.id}`;

/** When an agreement's expiry comes due: the start (UTC) of the day after its last day. */
export const expiryAtOf = (agreement: Pick<Agreement, 'endDate'>) =>
  `${expiryDayOf(agreement)}T00:00:00.000Z`;
