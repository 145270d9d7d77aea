import type { SharingRule, SharingTarget } from '../../../domain/work-orders/sharing-rule';
import type { WorkOrderType } from '../../../domain/work-orders/work-order-type';
import type { Clock } from '../../../shared/clock';
import type { TableContext } from '../client';
import { keys } from '../keys';
import { MasterDataStore, toEntity } from '../master-data-store';
import { queryAll } from '../query';
import { UniqueValueIndex } from '../unique-values';

export class SharingRuleRepository extends MasterDataStore<SharingRule> {
  constructor(table: TableContext, clock: Clock) {
    super(
      table,
      {
        resource: 'SharingRule',
        type: 'SHARING_RULE',
        indexKeys: (rule) => keys.sharingRuleIndexes(rule.tenantId, rule),
      },
      clock,
    );
  }

  /** Every rule sharing with any of these targets: one Query per target, in parallel. */
  async targeting(tenantId: string, targets: SharingTarget[]): Promise<SharingRule[]> {
    const pages = await Promise.all(
      targets.map((target) => queryAll(this.table, keys.sharingRulesTargeting(tenantId, target))),
    );
    return pages.flat().map((item) => toEntity<SharingRule>(item));
  }
}

export class WorkOrderTypeRepository extends MasterDataStore<WorkOrderType> {
  private readonly uniques: UniqueValueIndex;

  constructor(table: TableContext, clock: Clock) {
    super(
      table,
      {
        resource: 'WorkOrderType',
        type: 'WORK_ORDER_TYPE',
        uniqueValues: (type) => [{ scope: 'WORK_ORDER_TYPE_CODE', value: type.code, field: 'code' }],
      },
      clock,
    );
    this.uniques = new UniqueValueIndex(table);
  }

  /** The id of the type with this code: its unique-value guard names it. */
  idByCode(tenantId: string, code: string): Promise<string | undefined> {
    return this.uniques.owner(tenantId, 'WORK_ORDER_TYPE_CODE', code);
  }
}
