import type { Actor } from '../access/actor';
import type { AgreementRepository } from '../agreements/ports';
import type { Product } from '../catalog/product';
import {
  ClaimTakenError,
  DomainError,
  TransactionConflictError,
  VersionConflictError,
} from '../shared/errors';
import type { ServiceContext } from '../shared/master-data-service';
import type { Claim, Repository } from '../shared/ports';
import type { CreateOptions } from '../work-orders/create-work-order';
import type { CreateWorkOrderInput, WorkOrder } from '../work-orders/work-order';
import { freshProgress, type PlanProgress } from './occurrence';
import { type PlanOccurrence, seriesOf } from './plan-series';
import {
  occurrenceWrite,
  type PlannedProduct,
  planActor,
  plannedProducts,
  workOrderInputOf,
} from './plan-work-order';
import type { PlanDue, ServicePlanRepository } from './ports';
import type { ServicePlan } from './service-plan';
import { type Withdrawals, withdrawStale } from './withdraw-unstarted';

/** Occurrences handled between two saves of the progress: a run that stops resumes from the last save. */
export const GENERATION_PAGE = 25;
/** How soon a plan whose template cannot be generated is tried again (a person fixes it, or the edit reschedules). */
const RETRY_AFTER_MS = 3600 * 1000;
/** When a run that stopped unseen halfway is resumed by its schedule. */
const RESUME_AFTER_MS = 15 * 60 * 1000;
const MAX_CONFLICT_ATTEMPTS = 5;
const CONFLICT_PAUSE_MS = 40;

export interface GeneratorDependencies {
  plans: ServicePlanRepository;
  agreements: Pick<AgreementRepository, 'get'>;
  products: Pick<Repository<Product>, 'get'>;
  /** Takes back unstarted work orders of an older revision, when the tenant wants them generated again. */
  withdrawals: Withdrawals;
  /** Creates one work order, with what its occurrence writes beside it (`createWorkOrder` over its context). */
  workOrders: {
    create(
      actor: Actor,
      input: CreateWorkOrderInput,
      claims: readonly Claim[],
      options: CreateOptions,
    ): Promise<WorkOrder>;
  };
}

/** What one run did. */
export interface GenerationReport {
  planId: string;
  outcome: 'generated' | 'no-plan' | 'ended' | 'agreement-inactive' | 'superseded' | 'failed' | 'continues';
  generated: { date: string; workOrderId: string; workOrderNumber: string }[];
  /** Occurrences found with their work order already (an earlier or concurrent run). */
  existing: number;
  /** Local dates whose unstarted work orders were taken back to be made again (tenant setting). */
  withdrawn?: string[];
  nextDue?: PlanProgress['nextDue'];
  error?: string;
}

/**
 * Creates the work order of every occurrence of a plan whose lead window has
 * opened and that has none yet, then sets the plan's next run to the lead
 * time of the next one (its schedule follows). Each occurrence is claimed in the transaction that creates its work
 * order, so reruns, retries and overlapping runs create nothing twice; there
 * is no cap: a run pages through whatever is due, saving its progress after
 * each page, and hands over to a fresh run when its time is up.
 */
export class PlanGenerator {
  constructor(
    private readonly deps: GeneratorDependencies,
    private readonly context: ServiceContext,
  ) {}

  private now(): string {
    return this.context.clock.now().toISOString();
  }

  private later(ms: number): string {
    return new Date(this.context.clock.now().getTime() + ms).toISOString();
  }

  async run(due: PlanDue, options: { deadline?: Date } = {}): Promise<GenerationReport> {
    const report: GenerationReport = { planId: due.planId, outcome: 'generated', generated: [], existing: 0 };
    const plan = await this.deps.plans.get(due.tenantId, due.planId);
    // An ended plan's progress has no next run; a deleted plan's is gone: either way its schedule went with it.
    if (plan?.status !== 'active') return { ...report, outcome: plan ? 'ended' : 'no-plan' };
    const progress = (await this.deps.plans.progress(plan.tenantId, plan.id)) ?? freshProgress(plan);
    if (progress.planVersion !== plan.version) return { ...report, outcome: 'superseded' };
    const now = this.now();
    const agreement = await this.deps.agreements.get(plan.tenantId, plan.agreementId);
    if (agreement?.status !== 'active') {
      // Nothing is generated for an agreement that no longer covers anything; its end ends the plan.
      return this.save({ ...progress, lastRunAt: now }, 0, {}, { ...report, outcome: 'agreement-inactive' });
    }
    let planned: PlannedProduct[];
    try {
      planned = await plannedProducts(plan, agreement, (id) => this.deps.products.get(plan.tenantId, id));
      const withdrawn = await withdrawStale(this.deps.withdrawals, this.deps.plans, plan, now);
      if (withdrawn.length > 0) {
        report.withdrawn = withdrawn;
        // The walk goes back to the first of them, so each is made again (or not, if the series dropped it).
        progress.through = earlier(progress.through, dayBefore(withdrawn[0] as string));
      }
    } catch (error) {
      return this.failed(progress, 0, report, error, undefined);
    }

    const series = seriesOf(plan, agreement, progress.through);
    let next: PlanOccurrence | undefined;
    let leased = false;
    /** Work orders this run created since it last saved: what its next save adds to the count. */
    let unsaved = 0;
    for (;;) {
      const page: PlanOccurrence[] = [];
      for (let item = series.next(); !item.done; item = series.next()) {
        if (item.value.generateAt > now) {
          next = item.value;
          break;
        }
        page.push(item.value);
        if (page.length === GENERATION_PAGE) break;
      }
      if (page.length === 0) break;
      if (!leased) {
        // Work is due: should this run stop unseen (its function timed out), its schedule resumes it.
        if (
          !(await this.deps.plans.saveProgress({
            ...progress,
            lastRunAt: now,
            runAt: this.later(RESUME_AFTER_MS),
          }))
        )
          return { ...report, outcome: 'superseded' };
        leased = true;
      }
      const outcome = await this.generatePage(plan, planned, page, report);
      progress.generated += outcome.created;
      unsaved += outcome.created;
      if (outcome.last) progress.lastGenerated = outcome.last;
      if (outcome.error) return this.failed(progress, unsaved, report, outcome.error, outcome.failedAt);
      Object.assign(progress, {
        through: page.at(-1)?.date,
        lastRunAt: now,
        runAt: this.later(RESUME_AFTER_MS),
      });
      delete progress.lastError;
      if (next) break;
      if (options.deadline && this.context.clock.now() >= options.deadline) {
        // Out of time with more due: a fresh run takes over from the saved progress at once.
        const { nextDue } = progress;
        return this.save(
          progress,
          unsaved,
          { runAt: this.now(), ...(nextDue ? { nextDue } : {}) },
          {
            ...report,
            outcome: 'continues',
          },
        );
      }
      if (!(await this.deps.plans.saveProgress(progress, unsaved)))
        return { ...report, outcome: 'superseded' };
      unsaved = 0;
    }
    const nextDue = next ? { date: next.date, at: next.at, generateAt: next.generateAt } : undefined;
    return this.save(
      { ...progress, lastRunAt: now },
      unsaved,
      nextDue ? { nextDue, runAt: nextDue.generateAt } : {},
      {
        ...report,
        ...(nextDue ? { nextDue } : {}),
      },
    );
  }

  /**
   * Creates the missing work orders of one page of due occurrences, one after
   * the other (in date order, so their numbers are too; and one plan's
   * transactions never contend with each other), up to the first that fails.
   */
  private async generatePage(
    plan: ServicePlan,
    planned: readonly PlannedProduct[],
    page: readonly PlanOccurrence[],
    report: GenerationReport,
  ): Promise<{ created: number; last?: PlanProgress['lastGenerated']; error?: unknown; failedAt?: string }> {
    const first = page[0]?.date ?? '';
    const last = page.at(-1)?.date ?? '';
    const records = await this.deps.plans.generated(plan.tenantId, plan.id, first, last);
    // A withdrawn record no longer claims its day: that occurrence is generated again.
    const existing = new Set(records.filter((record) => !record.withdrawnAt).map((record) => record.date));
    let created = 0;
    let lastGenerated: PlanProgress['lastGenerated'];
    for (const occurrence of page) {
      if (existing.has(occurrence.date)) {
        report.existing += 1;
        continue;
      }
      let made: Awaited<ReturnType<PlanGenerator['generateOne']>>;
      try {
        made = await this.generateOne(plan, planned, occurrence);
      } catch (error) {
        return {
          created,
          ...(lastGenerated ? { last: lastGenerated } : {}),
          error,
          failedAt: occurrence.date,
        };
      }
      if (!made) {
        report.existing += 1;
        continue;
      }
      created += 1;
      lastGenerated = { date: occurrence.date, at: occurrence.at, ...made };
      report.generated.push({ date: occurrence.date, ...made });
    }
    return { created, ...(lastGenerated ? { last: lastGenerated } : {}) };
  }

  /** One occurrence's work order, or undefined when another run created it first. */
  private async generateOne(
    plan: ServicePlan,
    planned: readonly PlannedProduct[],
    occurrence: PlanOccurrence,
  ): Promise<{ workOrderId: string; workOrderNumber: string } | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const workOrder = await this.deps.workOrders.create(
          planActor(plan),
          workOrderInputOf(plan, occurrence),
          [],
          occurrenceWrite(plan, occurrence, planned, { ids: this.context.ids, now: this.now() }),
        );
        return { workOrderId: workOrder.id, workOrderNumber: workOrder.number };
      } catch (error) {
        if (error instanceof ClaimTakenError) return undefined;
        if (!(error instanceof TransactionConflictError) || attempt >= MAX_CONFLICT_ATTEMPTS) throw error;
        // Another run holds the same items this moment: wait a little, longer each time, and try again.
        await pause(attempt * CONFLICT_PAUSE_MS * (1 + Math.random()));
      }
    }
  }

  /** Saves where the run ended and names the next run (none: the schedule goes). Refused when the plan was edited. */
  private async save(
    progress: PlanProgress,
    added: number,
    next: { nextDue?: PlanProgress['nextDue']; runAt?: string },
    report: GenerationReport,
  ): Promise<GenerationReport> {
    const { nextDue: _due, runAt: _run, ...rest } = progress;
    const saved: PlanProgress = {
      ...rest,
      ...(next.nextDue ? { nextDue: next.nextDue } : {}),
      ...(next.runAt ? { runAt: next.runAt } : {}),
    };
    if (!(await this.deps.plans.saveProgress(saved, added))) return { ...report, outcome: 'superseded' };
    return report;
  }

  /**
   * A work order the plan cannot make as it stands (its person in charge
   * disabled, a product gone): the error is kept on the plan for whoever
   * looks, the occurrence is not passed over, and the plan is tried again
   * later. The plan changed under the run: the change named the next run.
   * Anything else (the table unreachable) is thrown, for the retries and the
   * dead-letter queue.
   */
  private async failed(
    progress: PlanProgress,
    added: number,
    report: GenerationReport,
    error: unknown,
    date: string | undefined,
  ): Promise<GenerationReport> {
    if (error instanceof VersionConflictError) return { ...report, outcome: 'superseded' };
    if (!(error instanceof DomainError) || error instanceof TransactionConflictError) throw error;
    const now = this.now();
    const message = error.message;
    const saved = await this.deps.plans.saveProgress(
      {
        ...progress,
        lastError: { at: now, message, ...(date ? { date } : {}) },
        lastRunAt: now,
        runAt: this.later(RETRY_AFTER_MS),
      },
      added,
    );
    return { ...report, outcome: saved ? 'failed' : 'superseded', error: message };
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The calendar day before a local date (`YYYY-MM-DD`), whatever the zone: date arithmetic only. */
const dayBefore = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - 24 * 3600 * 1000).toISOString().slice(0, 10);

/** The earlier of a walk's position and a date; a walk from the start stays one. */
const earlier = (through: string | undefined, date: string) =>
  through === undefined || through <= date ? through : date;
