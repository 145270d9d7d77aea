import type { SalesOrder, SalesOrderLine } from '../agreements/sales-order';
import type { ConfirmationLine, ConsumptionConfirmation } from '../consumption/confirmation';
import type { Money } from '../shared/schema';
import type { WorkOrder } from '../work-orders/work-order';
import { type BillingRule, billingDecision } from './billing-rule';

/**
 * The billed part of each line: non-warranty units the rules bill, at most
 * the quantity to bill less the covered units (covered units come off what
 * would have been billed first), at the unit price.
 */
export function applyBillingRules(
  lines: readonly ConfirmationLine[],
  rules: readonly BillingRule[],
  workOrder: Pick<WorkOrder, 'typeId' | 'priority' | 'channel' | 'accountId'>,
): ConfirmationLine[] {
  return lines.map((line) => {
    const nonWarranty = line.nonWarranty ?? line.quantityUsed;
    const covered = line.covered ?? 0;
    const decision =
      nonWarranty > 0
        ? billingDecision(rules, workOrder, line)
        : { billable: false as boolean, ruleId: undefined };
    const billedQuantity = decision.billable
      ? Math.min(nonWarranty, Math.max(0, line.quantityToBill - covered))
      : 0;
    return {
      ...line,
      billable: decision.billable,
      ...(decision.ruleId ? { billingRuleId: decision.ruleId } : {}),
      billedQuantity,
      total: { amount: billedQuantity * line.unitPrice.amount, currency: line.unitPrice.currency },
    };
  });
}

/** Why a billing order cannot be made, in words for the confirmation's record. */
export class BillingRefusal extends Error {
  override readonly name = 'BillingRefusal';
}

/** The value of the covered units at their price: what the agreement saved the customer. */
export function totalsOf(lines: readonly ConfirmationLine[]): { warrantyValue: Money; billed: Money } {
  const currency = lines[0]?.unitPrice.currency ?? 'EUR';
  const sum = (value: (line: ConfirmationLine) => number) =>
    lines.reduce((total, line) => total + value(line), 0);
  return {
    warrantyValue: { amount: sum((l) => (l.covered ?? 0) * l.unitPrice.amount), currency },
    billed: { amount: sum((l) => l.total?.amount ?? 0), currency },
  };
}

/**
 * The service-billing order of an approved confirmation: one line per billed
 * service product, in one currency. None when nothing is billed (warranty
 * work costs the customer nothing). Its id is the confirmation's, so one
 * confirmation can never make two orders.
 */
export function billingOrderOf(
  confirmation: ConsumptionConfirmation,
  workOrder: Pick<WorkOrder, 'accountId' | 'deviceId'>,
  at: string,
): SalesOrder | undefined {
  const billed = confirmation.lines.filter((line) => (line.billedQuantity ?? 0) > 0);
  if (billed.length === 0) return undefined;
  if (!workOrder.accountId) throw new BillingRefusal('A work order without an account cannot be billed');
  const currencies = [...new Set(billed.map((line) => line.unitPrice.currency))];
  if (currencies.length > 1)
    throw new BillingRefusal(
      `The billed products are priced in ${currencies.join(' and ')}: one order has one currency`,
    );
  const currency = currencies[0] as string;
  const lines = billed.map(
    (line, index): SalesOrderLine => ({
      id: String(index + 1),
      productId: line.productId,
      productCode: line.productCode,
      productName: line.productName,
      productKind: line.productKind,
      ...(line.serviceType ? { serviceType: line.serviceType } : {}),
      quantity: line.billedQuantity ?? 0,
      unitPrice: line.unitPrice,
      total: line.total ?? { amount: 0, currency },
    }),
  );
  return {
    id: confirmation.id,
    tenantId: confirmation.tenantId,
    version: 1,
    createdAt: at,
    updatedAt: at,
    origin: 'service-billing',
    accountId: workOrder.accountId,
    ...(workOrder.deviceId ? { deviceId: workOrder.deviceId } : {}),
    orderDate: confirmation.serviceDate,
    lines,
    total: { amount: lines.reduce((sum, line) => sum + line.total.amount, 0), currency },
    billing: {
      workOrderId: confirmation.workOrderId,
      workOrderNumber: confirmation.workOrderNumber,
      confirmationId: confirmation.id,
    },
  };
}
