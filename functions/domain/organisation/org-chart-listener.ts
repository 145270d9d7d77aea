import type { WriteEffects } from '../shared/ports';
import type { OrgFact } from './org-chart';

/**
 * Told of every change of the chart's facts before it is written: what it
 * answers is written in the change's transaction.
 */
export interface OrgChartListener {
  /** `newcomer`: the facts are those of a user or department just created, under which nothing is filed yet. */
  changed(
    tenantId: string,
    facts: readonly OrgFact[],
    options?: { newcomer?: boolean },
  ): Promise<WriteEffects>;
}
