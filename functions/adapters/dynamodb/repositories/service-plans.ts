import type { GeneratedOccurrence, PlanProgress } from '../../../domain/service-plans/occurrence';
import type { ServicePlanRepository } from '../../../domain/service-plans/ports';
import type { ServicePlan } from '../../../domain/service-plans/service-plan';
import type { Page, PageRequest } from '../../../domain/shared/entity';
import { ConflictError, VersionConflictError } from '../../../domain/shared/errors';
import type { WriteEffects } from '../../../domain/shared/ports';
import type { Clock } from '../../../shared/clock';
import type { TableContext } from '../client';
import { addEffects } from '../effects';
import { keys } from '../keys';
import { toEntity } from '../master-data-store';
import { batchGet, getConsistent, queryAll, queryPage } from '../query';
import { PLAN_PROGRESS_ENTITY_TYPE } from '../table-definition';
import { Transaction } from '../transaction';

const SERVICE_PLAN = 'ServicePlan';

/** Plans as item collections: the plan, its progress, and a record per generated occurrence. */
export class DynamoServicePlanRepository implements ServicePlanRepository {
  constructor(
    private readonly table: TableContext,
    private readonly clock: Clock,
  ) {}

  async get(tenantId: string, id: string): Promise<ServicePlan | undefined> {
    const item = await getConsistent(this.table, keys.servicePlan(tenantId, id));
    return item ? toEntity<ServicePlan>(item) : undefined;
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<ServicePlan>> {
    const { items, nextCursor } = await queryPage(this.table, keys.servicePlans(tenantId), page);
    return {
      items: items.map((item) => toEntity<ServicePlan>(item)),
      ...(nextCursor ? { nextCursor } : {}),
    };
  }

  async ofAgreement(tenantId: string, agreementId: string): Promise<ServicePlan[]> {
    const items = await queryAll(this.table, keys.plansOfAgreement(tenantId, agreementId));
    return items.map((item) => toEntity<ServicePlan>(item));
  }

  async create(plan: ServicePlan, progress: PlanProgress, effects?: WriteEffects): Promise<void> {
    const tx = new Transaction(this.table.client, this.table.tableName);
    tx.put(
      planItem(plan),
      'attribute_not_exists(pk)',
      () => new ConflictError(`Service plan ${plan.id} already exists`),
    );
    tx.put(progressItem(progress), undefined, () => new Error('unreachable'));
    addEffects(tx, plan.tenantId, effects, this.clock, { resourceType: SERVICE_PLAN, resource: plan });
    await tx.commit();
  }

  async update(
    previous: ServicePlan,
    next: ServicePlan,
    effects?: WriteEffects,
    progress?: PlanProgress,
  ): Promise<void> {
    const tx = new Transaction(this.table.client, this.table.tableName);
    tx.put(
      planItem(next),
      'version = :expected',
      () => new VersionConflictError(SERVICE_PLAN, previous.id, previous.version),
      { ':expected': previous.version },
    );
    if (progress)
      tx.patch(keys.planProgress(progress.tenantId, progress.planId), progressChanges(progress, 0));
    addEffects(tx, next.tenantId, effects, this.clock);
    await tx.commit();
  }

  async delete(plan: ServicePlan, effects?: WriteEffects): Promise<void> {
    const tx = new Transaction(this.table.client, this.table.tableName);
    tx.delete(
      keys.servicePlan(plan.tenantId, plan.id),
      'version = :expected',
      () => new VersionConflictError(SERVICE_PLAN, plan.id, plan.version),
      { ':expected': plan.version },
    );
    tx.delete(keys.planProgress(plan.tenantId, plan.id), undefined, () => new Error('unreachable'));
    addEffects(tx, plan.tenantId, effects, this.clock);
    await tx.commit();
  }

  async progress(tenantId: string, planId: string): Promise<PlanProgress | undefined> {
    const item = await getConsistent(this.table, keys.planProgress(tenantId, planId));
    return item ? toEntity<PlanProgress>(item) : undefined;
  }

  async progressOf(tenantId: string, planIds: readonly string[]): Promise<PlanProgress[]> {
    const items = await batchGet(
      this.table,
      planIds.map((planId) => keys.planProgress(tenantId, planId)),
    );
    return items.map((item) => toEntity<PlanProgress>(item));
  }

  async saveProgress(progress: PlanProgress, added = 0): Promise<boolean> {
    const tx = new Transaction(this.table.client, this.table.tableName);
    tx.patch(keys.planProgress(progress.tenantId, progress.planId), progressChanges(progress, added), {
      // Only for the plan version it was computed for, and never over a plan that is gone.
      expression: 'planVersion = :version',
      values: { ':version': progress.planVersion },
      onFailed: () => new ProgressSupersededError(),
    });
    try {
      await tx.commit();
      return true;
    } catch (error) {
      if (error instanceof ProgressSupersededError) return false;
      throw error;
    }
  }

  async generated(
    tenantId: string,
    planId: string,
    from: string,
    to: string,
  ): Promise<GeneratedOccurrence[]> {
    if (to < from) return [];
    const items = await queryAll(this.table, keys.planOccurrences(tenantId, planId, from, to), {
      consistent: true,
    });
    return items.map((item) => toEntity<GeneratedOccurrence>(item));
  }
}

export function planItem(plan: ServicePlan): Record<string, unknown> {
  return {
    ...plan,
    ...keys.servicePlan(plan.tenantId, plan.id),
    ...keys.servicePlanIndexes(plan.tenantId, plan),
    entityType: SERVICE_PLAN,
  };
}

/** The progress's optional fields: a save that leaves one out removes it. */
const OPTIONAL_PROGRESS = ['through', 'lastGenerated', 'nextDue', 'lastError', 'lastRunAt', 'runAt'] as const;

/**
 * A progress write as attribute changes: every field set or removed as the
 * progress says, except the count of generated work orders, which only ever
 * grows by what the writer itself created (`added`), so overlapping runs
 * never overwrite each other's count.
 */
function progressChanges(progress: PlanProgress, added: number) {
  const { tenantId: _t, planId: _p, generated: _g, ...fields } = progress;
  const present = OPTIONAL_PROGRESS.filter((name) => fields[name] !== undefined);
  return {
    set: {
      ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
      tenantId: progress.tenantId,
      planId: progress.planId,
      entityType: PLAN_PROGRESS_ENTITY_TYPE,
    },
    remove: OPTIONAL_PROGRESS.filter((name) => !present.includes(name)),
    add: { generated: added },
  };
}

/** A progress save refused: the plan was edited or deleted since the progress was read. */
class ProgressSupersededError extends Error {}

function progressItem(progress: PlanProgress): Record<string, unknown> {
  return {
    ...progress,
    ...keys.planProgress(progress.tenantId, progress.planId),
    entityType: PLAN_PROGRESS_ENTITY_TYPE,
  };
}
