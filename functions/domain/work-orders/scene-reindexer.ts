import type { Clock, IdGenerator } from '../../shared/clock';
import type { OrgChart } from '../organisation/org-chart';
import type { Page, PageRequest } from '../shared/entity';
import { VersionConflictError } from '../shared/errors';
import type { DomainEvent } from '../shared/events';
import type { WriteEffects } from '../shared/ports';
import type { ReindexProgress, SceneReindexJob } from './scene-reindex';
import type { View } from './scenes';

export const REINDEX_EVENTS = {
  source: 'fieldservice.work-orders',
  types: ['SceneReindexRequested', 'SceneReindexContinued'],
} as const;

/** The organisation's chart and the re-filings it started. */
export interface SceneIndexStore {
  chart(tenantId: string): Promise<OrgChart>;
  job(tenantId: string, id: string): Promise<SceneReindexJob | undefined>;
  jobs(tenantId: string, page: PageRequest): Promise<Page<SceneReindexJob>>;
  /** Saves the job if it is still at `previous.version` (VersionConflictError otherwise). */
  save(previous: SceneReindexJob, next: SceneReindexJob, effects?: WriteEffects): Promise<void>;
  /** Saves the job as done and releases the scenes it held, if it is still at `previous.version`. */
  finish(previous: SceneReindexJob, next: SceneReindexJob): Promise<void>;
}

/** The work orders' side of a re-filing: walk a list, and file work orders again by the chart. */
export interface SceneFiling {
  /** A page of the ids of the work orders in one list. */
  filedUnder(
    tenantId: string,
    view: View,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ ids: string[]; nextCursor?: string }>;
  /** Files the work orders by the chart: writes the entries they lack, deletes those they no longer belong in. */
  refile(
    tenantId: string,
    ids: string[],
    chart: OrgChart,
  ): Promise<{ refiled: number; written: number; deleted: number }>;
}

export interface SceneReindexerDeps {
  store: SceneIndexStore;
  filing: SceneFiling;
  clock: Clock;
  ids: IdGenerator;
  /** Work orders per page of a list, and per invocation before it hands over to the next. */
  pageSize?: number;
  ordersPerStep?: number;
  /**
   * How long after the change the lists are walked: by then every write that
   * filed a work order by the chart before the change has ended (functions
   * time out), and the indexes walked have caught up. Held viewers read live
   * meanwhile.
   */
  graceMs?: number;
  /** Waits (the function sleeps through what is left of the grace). */
  wait?: (ms: number) => Promise<void>;
}

export type StepOutcome = 'done' | 'continued' | 'superseded' | 'unknown';

/**
 * Re-files, in steps, what an organisation change moved. Each page's
 * progress is saved, so a step that fails resumes where it stopped; each
 * step ends by saving its progress with the event that starts the next, in
 * one transaction. A step that finds the job moved on by another (the same
 * event delivered twice) stops. Refiling a work order twice files it the same.
 */
export class SceneReindexer {
  private readonly pageSize: number;
  private readonly ordersPerStep: number;

  constructor(private readonly deps: SceneReindexerDeps) {
    this.pageSize = deps.pageSize ?? 100;
    this.ordersPerStep = deps.ordersPerStep ?? 2_000;
  }

  async step(tenantId: string, jobId: string): Promise<StepOutcome> {
    const { store, filing } = this.deps;
    let job = await store.job(tenantId, jobId);
    if (!job) return 'unknown';
    if (job.status === 'done') return 'done';
    const left = Date.parse(job.createdAt) + (this.deps.graceMs ?? 0) - this.deps.clock.now().getTime();
    if (left > 0) await (this.deps.wait ?? sleep)(left);
    const chart = await store.chart(tenantId);
    let done = 0;
    try {
      while (job.progress.target < job.targets.length) {
        if (done >= this.ordersPerStep) {
          await this.save(job, job.progress, [this.event(job, 'SceneReindexContinued')]);
          return 'continued';
        }
        const target = job.targets[job.progress.target] as View;
        const page = await filing.filedUnder(tenantId, target, job.progress.cursor, this.pageSize);
        const result =
          page.ids.length > 0
            ? await filing.refile(tenantId, page.ids, chart)
            : { refiled: 0, written: 0, deleted: 0 };
        done += page.ids.length;
        const { cursor: _, ...rest } = job.progress;
        job = await this.save(job, {
          ...rest,
          ...(page.nextCursor ? { cursor: page.nextCursor } : { target: job.progress.target + 1 }),
          ordersSeen: job.progress.ordersSeen + page.ids.length,
          ordersRefiled: job.progress.ordersRefiled + result.refiled,
          entriesWritten: job.progress.entriesWritten + result.written,
          entriesDeleted: job.progress.entriesDeleted + result.deleted,
        });
      }
      const now = this.deps.clock.now().toISOString();
      const last = job;
      await this.superseding(() =>
        store.finish(last, {
          ...last,
          version: last.version + 1,
          updatedAt: now,
          status: 'done',
          finishedAt: now,
        }),
      );
      return 'done';
    } catch (error) {
      // Only the job's own saves say another step took over; a work order that kept changing is a failure.
      if (error instanceof Superseded) return 'superseded';
      throw error;
    }
  }

  private async save(
    job: SceneReindexJob,
    progress: ReindexProgress,
    events: DomainEvent[] = [],
  ): Promise<SceneReindexJob> {
    const next: SceneReindexJob = {
      ...job,
      version: job.version + 1,
      updatedAt: this.deps.clock.now().toISOString(),
      progress,
    };
    await this.superseding(() => this.deps.store.save(job, next, { events }));
    return next;
  }

  /** A save of the job refused for its version: another step moved it on. */
  private async superseding(save: () => Promise<void>): Promise<void> {
    try {
      await save();
    } catch (error) {
      throw error instanceof VersionConflictError ? new Superseded() : error;
    }
  }

  private event(job: SceneReindexJob, type: (typeof REINDEX_EVENTS.types)[number]): DomainEvent {
    return reindexEvent(this.deps, job, type);
  }
}

class Superseded extends Error {}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function reindexEvent(
  deps: { clock: Clock; ids: IdGenerator },
  job: SceneReindexJob,
  type: (typeof REINDEX_EVENTS.types)[number],
): DomainEvent {
  return {
    id: deps.ids.next(),
    type,
    source: REINDEX_EVENTS.source,
    tenantId: job.tenantId,
    occurredAt: deps.clock.now().toISOString(),
    actorId: 'system:scene-index',
    detail: { jobId: job.id },
  };
}
