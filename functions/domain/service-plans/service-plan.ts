import type { SubjectKind } from '../agreements/agreement-rule';
import type { Entity } from '../shared/entity';
import type { Priority, TeamAccess } from '../work-orders/work-order';
import type { Recurrence } from './recurrence';

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
  /**
   * What makes its work orders: 1, and one more each time the recurrence,
   * the template or the line changes (not the name or the lead time).
   * Generated work orders keep the revision they were made from.
   */
  revision?: number;
  endedAt?: string;
  endReason?: EndReason;
  /**
   * The first instant the current recurrence applies from: set when the
   * recurrence is edited, so occurrences of the new series that lie before
   * the edit are never generated. Absent: the series applies from its start.
   */
  seriesFrom?: string;
}

/** The service products of each generated work order: the template's, else the plan's line once. */
export function templateProductsOf(
  plan: Pick<ServicePlan, 'template' | 'agreementLineId'>,
): TemplateProduct[] {
  if (plan.template.serviceProducts) return plan.template.serviceProducts;
  return plan.agreementLineId ? [{ lineId: plan.agreementLineId, quantity: 1 }] : [];
}

/** The name of a plan's schedule: unique in the plans' group, within Scheduler's 64 characters. */
export const planScheduleNameOf = (plan: Pick<ServicePlan, 'id'>) => `service-plan-${plan.id}`;
