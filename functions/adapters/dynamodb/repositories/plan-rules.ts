import type { PlanRule } from '../../../domain/service-plans/plan-rule';
import type { Clock } from '../../../shared/clock';
import type { TableContext } from '../client';
import { keys } from '../keys';
import { MasterDataStore, toEntity } from '../master-data-store';
import { queryAll } from '../query';

export class PlanRuleRepository extends MasterDataStore<PlanRule> {
  constructor(table: TableContext, clock: Clock) {
    super(table, { resource: 'PlanRule', type: 'PLAN_RULE' }, clock);
  }

  /** Every rule: a plan that names no line is matched against all of them, in their order. */
  async all(tenantId: string): Promise<PlanRule[]> {
    const items = await queryAll(this.table, keys.masterDataList(tenantId, 'PLAN_RULE'), {
      consistent: true,
    });
    return items.map((item) => toEntity<PlanRule>(item));
  }
}
