import type { Page, PageRequest } from '../shared/entity';
import type { WriteEffects } from '../shared/ports';
import type { GeneratedOccurrence, PlanProgress } from './occurrence';
import type { ServicePlan } from './service-plan';

/** Service plans, each with its progress and the record of every occurrence generated. */
export interface ServicePlanRepository {
  get(tenantId: string, id: string): Promise<ServicePlan | undefined>;
  /** The tenant's plans, oldest first. */
  list(tenantId: string, page: PageRequest): Promise<Page<ServicePlan>>;
  /** Every plan of one agreement (a handful). */
  ofAgreement(tenantId: string, agreementId: string): Promise<ServicePlan[]>;
  /** Creates the plan and its progress in one transaction. */
  create(plan: ServicePlan, progress: PlanProgress, effects?: WriteEffects): Promise<void>;
  /** Changes the plan if it is still at `previous.version`; `progress` is written with it when given. */
  update(
    previous: ServicePlan,
    next: ServicePlan,
    effects?: WriteEffects,
    progress?: PlanProgress,
  ): Promise<void>;
  /** Deletes the plan and its progress if it is still at `plan.version`; generated records stay. */
  delete(plan: ServicePlan, effects?: WriteEffects): Promise<void>;
  progress(tenantId: string, planId: string): Promise<PlanProgress | undefined>;
  /** The progress of several plans in one read; plans without one are left out. */
  progressOf(tenantId: string, planIds: readonly string[]): Promise<PlanProgress[]>;
  /**
   * Moves the progress forward for the plan version it was computed for:
   * refused (false) when the plan has been edited since, so a run working
   * from an old version never overwrites the walk of the new one. The count
   * of generated work orders is not written but grows by `added` (those the
   * writer created since it last saved), so overlapping runs both count.
   */
  saveProgress(progress: PlanProgress, added?: number): Promise<boolean>;
  /** Generated occurrences with local dates in [from, to], in date order. */
  generated(tenantId: string, planId: string, from: string, to: string): Promise<GeneratedOccurrence[]>;
}

/**
 * A plan's one schedule: EventBridge Scheduler in AWS, the local scheduler
 * locally. Only the follower of the plans' progress moves it (plan-schedules.ts).
 */
export interface PlanScheduler {
  /** Creates or moves the plan's schedule to fire at `at` (never earlier than now). */
  schedule(plan: Pick<ServicePlan, 'tenantId' | 'id'>, at: string): Promise<void>;
  /** Removes it; nothing when there is none. */
  remove(plan: Pick<ServicePlan, 'tenantId' | 'id'>): Promise<void>;
}

/** What the schedule hands the generator: which plan to look at. */
export interface PlanDue {
  tenantId: string;
  planId: string;
}
