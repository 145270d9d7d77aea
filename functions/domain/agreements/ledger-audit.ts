import type { Page, PageRequest } from '../shared/entity';
import type { Agreement } from './agreement';
import { checkLedger, type LedgerDiscrepancy } from './ledger';
import type { AgreementRepository } from './ports';

export interface LedgerAuditReport {
  tenantId: string;
  agreements: number;
  countedLines: number;
  discrepancies: LedgerDiscrepancy[];
}

/**
 * Checks every counted line of a tenant's agreements against its ledger
 * entries (`npm run ledger:check`): remaining = quantity − redeemed +
 * released, never below zero, every count backed by its entries. Reads
 * only; an operator decides what to do with what it finds.
 */
export class LedgerAudit {
  constructor(private readonly agreements: AgreementRepository) {}

  async check(tenantId: string, pageSize = 50): Promise<LedgerAuditReport> {
    const report: LedgerAuditReport = { tenantId, agreements: 0, countedLines: 0, discrepancies: [] };
    let cursor: string | undefined;
    do {
      const request: PageRequest = { limit: pageSize, ...(cursor ? { cursor } : {}) };
      const page: Page<Agreement> = await this.agreements.list(tenantId, request);
      for (const { id } of page.items) {
        const agreement = await this.agreements.get(tenantId, id);
        if (!agreement) continue;
        report.agreements += 1;
        for (const line of agreement.lines) {
          if (!line.ledger) continue;
          report.countedLines += 1;
          const entries = await this.agreements.entries(tenantId, id, line.id);
          report.discrepancies.push(
            ...checkLedger({ agreementId: id, lineId: line.id, ...line.ledger }, entries),
          );
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
    return report;
  }
}
