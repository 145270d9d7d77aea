import type { PlanScheduler } from './ports';

/** A plan's progress as it changed: when it is to run next, or nothing (ended, done, or deleted). */
export interface ProgressChange {
  tenantId: string;
  planId: string;
  runAt?: string;
}

/**
 * Keeps each plan's schedule where its progress says, change by change and in
 * the order they were made (a table stream keeps the order of one item's
 * changes), so the last change always wins. Only the last change of a plan
 * in a batch is applied: the ones before it are overtaken.
 */
export class PlanSchedules {
  constructor(private readonly scheduler: PlanScheduler) {}

  /**
   * Applies the changes; on the first that fails, stops and answers its index
   * with the error, so the changes from there on are tried again, in order.
   */
  async follow(
    changes: readonly ProgressChange[],
  ): Promise<{ applied: number; failedAt?: number; error?: unknown }> {
    const last = new Map(changes.map((change, index) => [`${change.tenantId}/${change.planId}`, index]));
    let applied = 0;
    for (const [index, change] of changes.entries()) {
      if (last.get(`${change.tenantId}/${change.planId}`) !== index) continue;
      const plan = { tenantId: change.tenantId, id: change.planId };
      try {
        if (change.runAt) await this.scheduler.schedule(plan, change.runAt);
        else await this.scheduler.remove(plan);
        applied += 1;
      } catch (error) {
        return { applied, failedAt: index, error };
      }
    }
    return { applied };
  }
}
