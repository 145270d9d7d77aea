import * as z from 'zod/mini';
import type { Occurrence } from './recurrence';

const DAY_MS = 24 * 3600 * 1000;

/** When an occurrence's work order is created: `leadDays` whole days before it is due. */
export const generateAtOf = (occurrence: Pick<Occurrence, 'at'>, leadDays: number): string =>
  new Date(new Date(occurrence.at).getTime() - leadDays * DAY_MS).toISOString();

/**
 * One occurrence that has its work order: the record is the occurrence's
 * claim (plan + local date, created once, in the work order's transaction).
 */
export interface GeneratedOccurrence {
  tenantId: string;
  planId: string;
  /** The occurrence's local date: with the plan, its key. */
  date: string;
  local: string;
  at: string;
  workOrderId: string;
  workOrderNumber: string;
  /** The plan version it was generated from, and the plan's revision (what makes its work orders) then. */
  planVersion: number;
  revision?: number;
  generatedAt: string;
  /** Its work order was taken back (cancelled while nobody had started it): the day may be generated again. */
  withdrawnAt?: string;
  withdrawnBecause?: string;
}

/** Where a plan's generation stands: kept apart from the plan, so a run never moves the plan's version. */
export interface PlanProgress {
  tenantId: string;
  planId: string;
  /**
   * Every occurrence of the plan's current version up to this local date
   * (inclusive) has its work order or was passed over (before `seriesFrom`).
   */
  through?: string;
  /** The plan version `through` was reached for; an edit starts the walk again from its `seriesFrom`. */
  planVersion: number;
  lastGenerated?: { date: string; at: string; workOrderId: string; workOrderNumber: string };
  nextDue?: { date: string; at: string; generateAt: string };
  lastError?: { at: string; message: string; date?: string };
  generated: number;
  lastRunAt?: string;
  /**
   * When the plan's schedule is to fire next; absent: it has none (ended, or
   * nothing left to generate). The schedule follows this through the table
   * stream, so whoever writes the progress decides the next run.
   */
  runAt?: string;
}

/** A plan's progress before its first run. */
export const freshProgress = (plan: { tenantId: string; id: string; version: number }): PlanProgress => ({
  tenantId: plan.tenantId,
  planId: plan.id,
  planVersion: plan.version,
  generated: 0,
});

export const generatedOccurrenceSchema = z.object({
  date: z.string(),
  local: z.string(),
  at: z.string(),
  workOrderId: z.string(),
  workOrderNumber: z.string(),
  planVersion: z.int(),
  revision: z.optional(z.int()),
  generatedAt: z.string(),
  withdrawnAt: z.optional(z.string()),
  withdrawnBecause: z.optional(z.string()),
});

export const planProgressSchema = z.object({
  through: z.optional(z.string()),
  lastGenerated: z.optional(
    z.object({ date: z.string(), at: z.string(), workOrderId: z.string(), workOrderNumber: z.string() }),
  ),
  nextDue: z.optional(z.object({ date: z.string(), at: z.string(), generateAt: z.string() })),
  lastError: z.optional(z.object({ at: z.string(), message: z.string(), date: z.optional(z.string()) })),
  generated: z.int(),
  lastRunAt: z.optional(z.string()),
  runAt: z.optional(z.string()),
});
