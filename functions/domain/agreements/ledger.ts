import * as z from 'zod/mini';

/**
 * The count of one counted agreement line. Redeeming adds to `redeemed`,
 * releasing a redemption (a rejected or failed confirmation, a cancellation)
 * adds to `released`; neither ever goes down, so the history adds up:
 * remaining = quantity − redeemed + released, and never below zero.
 */
export interface LineLedger {
  quantity: number;
  redeemed: number;
  released: number;
  remaining: number;
}

export const ledgerSchema = z.object({
  quantity: z.int(),
  redeemed: z.int(),
  released: z.int(),
  remaining: z.int(),
});

/** One redemption or release of a line, kept for ever beside its count. */
export interface LedgerEntry {
  agreementId: string;
  lineId: string;
  kind: 'redemption' | 'release';
  quantity: number;
  workOrderId: string;
  /** The consumption confirmation that redeemed (or released) it. */
  confirmationId: string;
  /** The work order's service product the units were used for. */
  serviceProductId: string;
  at: string;
}

export const ledgerEntrySchema = z.object({
  agreementId: z.string(),
  lineId: z.string(),
  kind: z.enum(['redemption', 'release']),
  quantity: z.int(),
  workOrderId: z.string(),
  confirmationId: z.string(),
  serviceProductId: z.string(),
  at: z.string(),
});

export function ledgerOf({
  quantity,
  redeemed,
  released,
}: {
  quantity: number;
  redeemed: number;
  released: number;
}): LineLedger {
  return { quantity, redeemed, released, remaining: quantity - redeemed + released };
}

/** What a ledger check finds wrong with one line: its counts against its entries. */
export interface LedgerDiscrepancy {
  agreementId: string;
  lineId: string;
  problem: string;
}

/**
 * Checks one line's counts against its entries: every unit redeemed has an
 * entry, every release undoes a redemption of the same confirmation and
 * service product at most once, and nothing is left below zero.
 */
export function checkLedger(
  line: {
    agreementId: string;
    lineId: string;
    quantity: number;
    redeemed: number;
    released: number;
    /** As stored beside the counts: what redemptions are conditional on. */
    remaining?: number;
  },
  entries: readonly LedgerEntry[],
): LedgerDiscrepancy[] {
  const problems: string[] = [];
  const counted = line.quantity - line.redeemed + line.released;
  if (line.remaining !== undefined && line.remaining !== counted)
    problems.push(`remaining ${line.remaining} is stored but the counts make ${counted}`);
  const sum = (kind: LedgerEntry['kind']) =>
    entries.filter((e) => e.kind === kind).reduce((total, e) => total + e.quantity, 0);
  const redeemed = sum('redemption');
  const released = sum('release');
  if (redeemed !== line.redeemed) problems.push(`redeemed ${line.redeemed} but entries redeem ${redeemed}`);
  if (released !== line.released) problems.push(`released ${line.released} but entries release ${released}`);
  const remaining = line.quantity - line.redeemed + line.released;
  if (remaining < 0) problems.push(`remaining ${remaining} is below zero`);
  if (remaining > line.quantity)
    problems.push(`remaining ${remaining} is above the quantity ${line.quantity}`);
  const redemptions = new Map<string, number>();
  for (const entry of entries) {
    const key = `${entry.confirmationId}#${entry.serviceProductId}`;
    if (entry.kind === 'redemption') redemptions.set(key, (redemptions.get(key) ?? 0) + entry.quantity);
  }
  for (const entry of entries.filter((e) => e.kind === 'release')) {
    const key = `${entry.confirmationId}#${entry.serviceProductId}`;
    const left = redemptions.get(key);
    if (left === undefined || left < entry.quantity)
      problems.push(`release of ${key} undoes more than was redeemed`);
    else redemptions.set(key, left - entry.quantity);
  }
  return problems.map((problem) => ({ agreementId: line.agreementId, lineId: line.lineId, problem }));
}
