import * as z from 'zod/mini';
import { SUBJECTS, type SubjectKind } from '../agreements/agreement-rule';
import type { Entity } from '../shared/entity';
import {
  entityFields,
  expectedVersion,
  identifier,
  multiLineText,
  singleLineText,
  text,
} from '../shared/schema';
import { MAX_TEAM_SIZE, PRIORITIES, type Priority, type TeamAccess } from '../work-orders/work-order';
import { type Recurrence, recurrenceInput } from './recurrence';

export const PLAN_STATUSES = ['active', 'ended'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** Why a plan stopped generating. */
export const END_REASONS = ['ended', 'agreement-expired', 'agreement-terminated'] as const;
export type EndReason = (typeof END_REASONS)[number];

/** Most service products a generated work order gets, so it and they are created in one transaction. */
export const MAX_TEMPLATE_PRODUCTS = 20;
/** Longest lead time: a work order is created at most a year before it is due. */
export const MAX_LEAD_DAYS = 365;
export const DEFAULT_LEAD_DAYS = 14;

/** A service product of each generated work order: one of the agreement's lines, so coverage is redeemed from it. */
export interface TemplateProduct {
  lineId: string;
  quantity: number;
}

/** What each generated work order is made of. */
export interface WorkOrderTemplate {
  /** Default: the plan's name. The occurrence's date is added to it. */
  title?: string;
  description?: string;
  typeId?: string;
  priority?: Priority;
  ownerId?: string;
  team?: { userId: string; access: TeamAccess }[];
  /** Default: the plan's line, quantity 1 (none when the plan has no line). */
  serviceProducts?: TemplateProduct[];
}

export interface ServicePlan extends Entity {
  name: string;
  agreementId: string;
  /** The agreement line whose coverage the plan consumes; chosen by the plan rules when not named. */
  agreementLineId?: string;
  /** Which rule chose the line, when one did. */
  lineRuleId?: string;
  target: { kind: SubjectKind; accountId: string; deviceId?: string };
  recurrence: Recurrence;
  leadDays: number;
  template: WorkOrderTemplate;
  status: PlanStatus;
  endedAt?: string;
  endReason?: EndReason;
  /**
   * The first instant the current recurrence applies from: set when the
   * recurrence is edited, so occurrences of the new series that lie before
   * the edit are never generated. Absent: the series applies from its start.
   */
  seriesFrom?: string;
}

const templateProduct = z.strictObject({
  lineId: identifier,
  quantity: z.int().check(z.gte(1), z.lte(1000)),
});

const templateInput = z.strictObject({
  title: z.optional(singleLineText(150)),
  description: z.optional(multiLineText(10_000)),
  typeId: z.optional(identifier),
  priority: z.optional(z.enum(PRIORITIES)),
  ownerId: z.optional(identifier),
  team: z.optional(
    z
      .array(z.strictObject({ userId: identifier, access: z.enum(['read-only', 'read-write']) }))
      .check(z.maxLength(MAX_TEAM_SIZE)),
  ),
  serviceProducts: z.optional(z.array(templateProduct).check(z.maxLength(MAX_TEMPLATE_PRODUCTS))),
});

const leadDays = z.int().check(z.gte(0), z.lte(MAX_LEAD_DAYS));

export const createServicePlanInput = z.strictObject({
  name: text(200),
  agreementId: identifier,
  agreementLineId: z.optional(identifier),
  /** Default: the agreement's subject. A device plan of an account agreement names one of its devices. */
  target: z.optional(z.enum(SUBJECTS)),
  deviceId: z.optional(identifier),
  recurrence: recurrenceInput,
  leadDays: z.optional(leadDays),
  template: z.optional(templateInput),
});
export type CreateServicePlanInput = z.infer<typeof createServicePlanInput>;

export const updateServicePlanInput = z.strictObject({
  name: z.optional(text(200)),
  agreementLineId: z.optional(z.nullable(identifier)),
  recurrence: z.optional(recurrenceInput),
  leadDays: z.optional(leadDays),
  template: z.optional(templateInput),
  version: expectedVersion,
});
export type UpdateServicePlanInput = z.infer<typeof updateServicePlanInput>;

export const endServicePlanInput = z.strictObject({ version: expectedVersion });

export const servicePlanSchema = z.object({
  ...entityFields,
  name: z.string(),
  agreementId: z.string(),
  agreementLineId: z.optional(z.string()),
  lineRuleId: z.optional(z.string()),
  target: z.object({ kind: z.enum(SUBJECTS), accountId: z.string(), deviceId: z.optional(z.string()) }),
  recurrence: z.object({
    rrule: z.string(),
    timeZone: z.string(),
    start: z.string(),
    until: z.optional(z.string()),
    exdates: z.optional(z.array(z.string())),
  }),
  leadDays: z.int(),
  template: z.object({
    title: z.optional(z.string()),
    description: z.optional(z.string()),
    typeId: z.optional(z.string()),
    priority: z.optional(z.enum(PRIORITIES)),
    ownerId: z.optional(z.string()),
    team: z.optional(z.array(z.object({ userId: z.string(), access: z.enum(['read-only', 'read-write']) }))),
    serviceProducts: z.optional(z.array(z.object({ lineId: z.string(), quantity: z.int() }))),
  }),
  status: z.enum(PLAN_STATUSES),
  endedAt: z.optional(z.string()),
  endReason: z.optional(z.enum(END_REASONS)),
  seriesFrom: z.optional(z.string()),
});

/** The service products of each generated work order: the template's, else the plan's line once. */
export function templateProductsOf(
  plan: Pick<ServicePlan, 'template' | 'agreementLineId'>,
): TemplateProduct[] {
  if (plan.template.serviceProducts) return plan.template.serviceProducts;
  return plan.agreementLineId ? [{ lineId: plan.agreementLineId, quantity: 1 }] : [];
}

/** The name of a plan's schedule: unique in the plans' group, within Scheduler's 64 characters. */
export const planScheduleNameOf = (plan: Pick<ServicePlan, 'id'>) => `service-plan-${plan.id}`;
