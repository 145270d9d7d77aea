import type { Account } from '../customers/account';
import type { Agreement, AgreementLine } from './agreement';
import { MAX_AGREEMENT_LINES, termEnd } from './agreement';
import { type AgreementRule, takesLine, takesOrder } from './agreement-rule';
import { MONTHS_PER_PERIOD, type SalesOrder, type SalesOrderLine } from './sales-order';

/** An agreement a rule makes of an order, before it gets an id. */
export type AgreementDraft = Omit<Agreement, 'id' | 'tenantId' | 'version' | 'createdAt' | 'updatedAt'>;

export interface GenerationPlan {
  drafts: { ruleId: string; agreement: AgreementDraft }[];
  /** Rules that took the order but made nothing of it, and why. */
  skipped: { ruleId: string; reason: string }[];
}

/** The scope of the claim that makes an agreement once per order and rule. */
export const GENERATION_CLAIM_SCOPE = 'agreement-generation';
export const generationKeyOf = (salesOrderId: string, ruleId: string) => `${salesOrderId}#${ruleId}`;

/**
 * What the tenant's rules make of an order, in the rules' order: each rule
 * that takes the order and its account gathers the lines it takes that no
 * earlier rule took, so no line is covered twice. Pure: the caller creates
 * the drafts, each under its claim, so planning again creates nothing new.
 */
export function planAgreements(
  order: SalesOrder,
  account: Account,
  rules: readonly AgreementRule[],
): GenerationPlan {
  const plan: GenerationPlan = { drafts: [], skipped: [] };
  const taken = new Set<string>();
  for (const rule of rules) {
    if (!takesOrder(rule, order, account)) continue;
    const lines = order.lines.filter((line) => !taken.has(line.id) && takesLine(rule, line));
    if (lines.length === 0) continue;
    if (rule.subject === 'device' && !order.deviceId) {
      plan.skipped.push({ ruleId: rule.id, reason: 'The rule covers a device and the order names none' });
      continue;
    }
    if (lines.length > MAX_AGREEMENT_LINES) {
      plan.skipped.push({
        ruleId: rule.id,
        reason: `The rule takes ${lines.length} lines; an agreement holds at most ${MAX_AGREEMENT_LINES}`,
      });
      continue;
    }
    for (const line of lines) taken.add(line.id);
    plan.drafts.push({ ruleId: rule.id, agreement: draftOf(order, rule, lines) });
  }
  return plan;
}

function draftOf(order: SalesOrder, rule: AgreementRule, lines: SalesOrderLine[]): AgreementDraft {
  const months = Math.max(
    0,
    ...lines.map((line) => (line.period ? MONTHS_PER_PERIOD[line.period] * (line.periods ?? 1) : 0)),
  );
  return {
    name: `${rule.name} (order ${order.id})`,
    subject: {
      kind: rule.subject,
      accountId: order.accountId,
      ...(rule.subject === 'device' && order.deviceId ? { deviceId: order.deviceId } : {}),
    },
    startDate: order.orderDate,
    endDate: termEnd(order.orderDate, months > 0 ? months : rule.termMonths),
    coverage: rule.coverage,
    status: 'draft',
    lines: lines.map((line, index) => lineOf(line, index, rule.autoCreate)),
    origin: { salesOrderId: order.id, ruleId: rule.id },
  };
}

function lineOf(line: SalesOrderLine, index: number, autoCreate: boolean): AgreementLine {
  const base = { id: String(index + 1), productId: line.productId, autoCreate, salesOrderLineId: line.id };
  if (line.productKind === 'spare-part')
    return { ...base, recordType: 'spare-part', quantity: line.quantity };
  if (line.serviceType === 'recurring' && line.period)
    return {
      ...base,
      recordType: 'recurring-service',
      quantity: line.quantity,
      period: line.period,
      periods: line.periods ?? 1,
    };
  return { ...base, recordType: 'non-recurring-service', quantity: line.quantity };
}
