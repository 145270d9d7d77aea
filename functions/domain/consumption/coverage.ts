import type { AgreementView } from '../agreements/agreement';
import { isCounted } from '../agreements/agreement-terms';
import type { Channel } from '../work-orders/work-order';
import type { ConfirmationLine } from './confirmation';

/** Units of one counted agreement line that one confirmation redeems, by service product. */
export interface Redemption {
  agreementId: string;
  lineId: string;
  /** The sum of the entries: one count update per line, however many service products use it. */
  quantity: number;
  entries: { serviceProductId: string; quantity: number }[];
}

/**
 * Prices a confirmation's lines against the agreement that covers the work:
 * - full coverage: every unit is covered and nothing is counted;
 * - partial coverage: a counted line of the product covers up to what it has
 *   remaining (a line partly covered splits into covered and non-warranty
 *   units); a recurring line covers its product on the preventive work orders
 *   its service plans generate (channel `plan`), one per period, and counts nothing;
 * - no agreement (or none covering the service date): nothing is covered.
 * Lines are covered in their order, so the first service products use the remaining units first.
 */
export function priceLines(
  lines: readonly ConfirmationLine[],
  agreement: AgreementView | undefined,
  channel: Channel,
): { lines: ConfirmationLine[]; redemptions: Redemption[] } {
  const remaining = new Map<string, number>();
  const redemptions = new Map<string, Redemption>();
  for (const line of agreement?.lines ?? []) {
    if (line.ledger) remaining.set(line.id, line.ledger.remaining);
  }
  const priced = lines.map((line): ConfirmationLine => {
    const uncovered = { ...line, covered: 0, nonWarranty: line.quantityUsed };
    if (!agreement) return uncovered;
    if (agreement.coverage === 'full')
      return {
        ...line,
        covered: line.quantityUsed,
        nonWarranty: 0,
        coveredBy: { agreementId: agreement.id, kind: 'full' },
      };
    const matching = agreement.lines.filter((l) => l.productId === line.productId);
    let left = line.quantityUsed;
    let result: ConfirmationLine = uncovered;
    for (const agreementLine of matching) {
      if (left === 0) break;
      if (!isCounted(agreementLine)) {
        if (channel !== 'plan') continue;
        return {
          ...line,
          covered: line.quantityUsed,
          nonWarranty: 0,
          coveredBy: { agreementId: agreement.id, lineId: agreementLine.id, kind: 'recurring-line' },
        };
      }
      const available = remaining.get(agreementLine.id) ?? 0;
      const take = Math.min(available, left);
      if (take === 0) continue;
      remaining.set(agreementLine.id, available - take);
      left -= take;
      const redemption = redemptions.get(agreementLine.id) ?? {
        agreementId: agreement.id,
        lineId: agreementLine.id,
        quantity: 0,
        entries: [],
      };
      redemption.quantity += take;
      redemption.entries.push({ serviceProductId: line.serviceProductId, quantity: take });
      redemptions.set(agreementLine.id, redemption);
      // A service product redeems one line: what that line cannot cover is non-warranty.
      result = {
        ...line,
        covered: take,
        nonWarranty: line.quantityUsed - take,
        coveredBy: { agreementId: agreement.id, lineId: agreementLine.id, kind: 'counted-line' },
      };
      break;
    }
    return result;
  });
  return { lines: priced, redemptions: [...redemptions.values()] };
}

/** What a confirmation's redemptions were, read back from its priced lines (for the release). */
export function redemptionsOf(lines: readonly ConfirmationLine[]): Redemption[] {
  const byLine = new Map<string, Redemption>();
  for (const line of lines) {
    const by = line.coveredBy;
    if (by?.kind !== 'counted-line' || !by.lineId || !line.covered) continue;
    const redemption = byLine.get(by.lineId) ?? {
      agreementId: by.agreementId,
      lineId: by.lineId,
      quantity: 0,
      entries: [],
    };
    redemption.quantity += line.covered;
    redemption.entries.push({ serviceProductId: line.serviceProductId, quantity: line.covered });
    byLine.set(by.lineId, redemption);
  }
  return [...byLine.values()];
}
