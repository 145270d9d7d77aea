import type { Clock, IdGenerator } from '../../shared/clock';
import { movesChart } from '../organisation/org-chart';
import type { OrgChartListener } from '../organisation/org-chart-listener';
import type { WriteEffects } from '../shared/ports';
import { newReindexJob, planReindex } from './scene-reindex';
import { reindexEvent, type SceneIndexStore } from './scene-reindexer';

/**
 * Keeps the chart and starts a re-filing with every organisation change: the
 * chart's new facts, the job, its holds and the event that starts it, all in
 * the change's transaction, planned on the chart the change saw.
 */
export function sceneIndexListener(deps: {
  store: Pick<SceneIndexStore, 'chart'>;
  clock: Clock;
  ids: IdGenerator;
}): OrgChartListener {
  return {
    changed: async (tenantId, facts, options = {}): Promise<WriteEffects> => {
      const before = await deps.store.chart(tenantId);
      const relevant = facts.filter((fact) => movesChart(before, fact));
      if (relevant.length === 0) return {};
      const plan = options.newcomer ? undefined : planReindex(before, relevant);
      if (!plan) return { orgChange: { expectedRevision: before.revision, facts: relevant } };
      const now = deps.clock.now().toISOString();
      const job = newReindexJob(
        { id: deps.ids.next(), tenantId, version: 1, createdAt: now, updatedAt: now },
        relevant,
        plan,
      );
      return {
        orgChange: { expectedRevision: before.revision, facts: relevant, reindex: job },
        events: [reindexEvent(deps, job, 'SceneReindexRequested')],
      };
    },
  };
}
