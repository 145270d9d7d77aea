import type { Agreement, AgreementView } from '../../../domain/agreements/agreement';
import type { AgreementRule } from '../../../domain/agreements/agreement-rule';
import { isCounted } from '../../../domain/agreements/agreement-terms';
import { type LedgerEntry, ledgerOf } from '../../../domain/agreements/ledger';
import type { AgreementRepository } from '../../../domain/agreements/ports';
import type { SalesOrder } from '../../../domain/agreements/sales-order';
import type { BillingRule } from '../../../domain/billing/billing-rule';
import type { Page, PageRequest } from '../../../domain/shared/entity';
import { ConflictError, VersionConflictError } from '../../../domain/shared/errors';
import type { WriteEffects } from '../../../domain/shared/ports';
import type { Clock } from '../../../shared/clock';
import type { TableContext } from '../client';
import { addEffects } from '../effects';
import { keys } from '../keys';
import { MasterDataStore, toEntity } from '../master-data-store';
import { queryAll, queryPage } from '../query';
import { Transaction } from '../transaction';

export class SalesOrderRepository extends MasterDataStore<SalesOrder> {
  constructor(table: TableContext, clock: Clock) {
    super(table, { resource: 'SalesOrder', type: 'SALES_ORDER' }, clock);
  }
}

export class AgreementRuleRepository extends MasterDataStore<AgreementRule> {
  constructor(table: TableContext, clock: Clock) {
    super(table, { resource: 'AgreementRule', type: 'AGREEMENT_RULE' }, clock);
  }

  /** Every rule, in the order they were made (ids are ULIDs): each order is matched against all of them. */
  async all(tenantId: string): Promise<AgreementRule[]> {
    const items = await queryAll(this.table, keys.masterDataList(tenantId, 'AGREEMENT_RULE'), {
      consistent: true,
    });
    return items.map((item) => toEntity<AgreementRule>(item));
  }
}

const AGREEMENT = 'ServiceAgreement';
const LINE_LEDGER = 'AgreementLineLedger';

/**
 * Agreements as item collections: the agreement, one count item per counted
 * line (created with it, moved only by redemptions and releases), and the
 * ledger entries.
 */
export class DynamoAgreementRepository implements AgreementRepository {
  constructor(
    private readonly table: TableContext,
    private readonly clock: Clock,
  ) {}

  async get(tenantId: string, id: string): Promise<AgreementView | undefined> {
    const items = await queryAll(this.table, keys.agreementWithLines(tenantId, id), { consistent: true });
    const header = items.find((item) => item.entityType === AGREEMENT);
    if (!header) return undefined;
    const agreement = toEntity<Agreement>(header);
    const counts = new Map(
      items
        .filter((item) => item.entityType === LINE_LEDGER)
        .map((item) => [
          String(item.lineId),
          item as { quantity: number; redeemed: number; released: number; remaining?: number },
        ]),
    );
    return {
      ...agreement,
      lines: agreement.lines.map((line) => {
        const count = counts.get(line.id);
        // The stored remaining is what redemptions are conditional on: shown as stored, so a drift shows.
        return count
          ? {
              ...line,
              ledger: { ...ledgerOf(count), remaining: count.remaining ?? ledgerOf(count).remaining },
            }
          : line;
      }),
    };
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<Agreement>> {
    return this.page(keys.agreements(tenantId), page);
  }

  /** Every agreement of an account and its devices (a bounded list: an account has a handful). */
  async allForAccount(tenantId: string, accountId: string): Promise<Agreement[]> {
    const items = await queryAll(this.table, keys.agreementsOfAccount(tenantId, accountId));
    return items.map((item) => toEntity<Agreement>(item));
  }

  async listForAccount(tenantId: string, accountId: string, page: PageRequest): Promise<Page<Agreement>> {
    return this.page(keys.agreementsOfAccount(tenantId, accountId), page);
  }

  async create(agreement: Agreement, effects?: WriteEffects): Promise<void> {
    const tx = new Transaction(this.table.client, this.table.tableName);
    tx.put(
      this.toItem(agreement),
      'attribute_not_exists(pk)',
      () => new ConflictError(`Agreement ${agreement.id} already exists`),
    );
    for (const line of agreement.lines.filter(isCounted)) {
      tx.put(
        {
          ...keys.agreementLine(agreement.tenantId, agreement.id, line.id),
          entityType: LINE_LEDGER,
          agreementId: agreement.id,
          lineId: line.id,
          quantity: line.quantity,
          redeemed: 0,
          released: 0,
          // Kept beside the counts so a redemption can be conditional on it (remaining >= quantity).
          remaining: line.quantity,
        },
        'attribute_not_exists(pk)',
        () => new ConflictError(`Line ${line.id} of agreement ${agreement.id} already exists`),
      );
    }
    addEffects(tx, agreement.tenantId, effects, this.clock, { resourceType: AGREEMENT, resource: agreement });
    await tx.commit();
  }

  async update(previous: Agreement, next: Agreement, effects?: WriteEffects): Promise<void> {
    const tx = new Transaction(this.table.client, this.table.tableName);
    tx.put(
      this.toItem(next),
      'version = :expected',
      () => new VersionConflictError(AGREEMENT, previous.id, previous.version),
      { ':expected': previous.version },
    );
    addEffects(tx, next.tenantId, effects, this.clock);
    await tx.commit();
  }

  async entries(tenantId: string, agreementId: string, lineId: string): Promise<LedgerEntry[]> {
    const items = await queryAll(this.table, keys.ledgerEntries(tenantId, agreementId, lineId), {
      consistent: true,
    });
    return items.map((item) => toEntity<LedgerEntry>(item)).sort((a, b) => a.at.localeCompare(b.at));
  }

  private async page(query: Parameters<typeof queryPage>[1], page: PageRequest): Promise<Page<Agreement>> {
    const { items, nextCursor } = await queryPage(this.table, query, page);
    return { items: items.map((item) => toEntity<Agreement>(item)), ...(nextCursor ? { nextCursor } : {}) };
  }

  private toItem(agreement: Agreement): Record<string, unknown> {
    return {
      ...agreement,
      ...keys.agreement(agreement.tenantId, agreement.id),
      ...keys.agreementIndexes(agreement.tenantId, agreement),
      entityType: AGREEMENT,
    };
  }
}

export class BillingRuleRepository extends MasterDataStore<BillingRule> {
  constructor(table: TableContext, clock: Clock) {
    super(table, { resource: 'BillingRule', type: 'BILLING_RULE' }, clock);
  }

  /** Every rule, in the order they were made: the first that matches a service product decides. */
  async all(tenantId: string): Promise<BillingRule[]> {
    const items = await queryAll(this.table, keys.masterDataList(tenantId, 'BILLING_RULE'), {
      consistent: true,
    });
    return items.map((item) => toEntity<BillingRule>(item));
  }
}
