import { describe, expect, it } from 'vitest';
import type { Agreement, AgreementView } from '../../functions/domain/agreements/agreement';
import {
  applyBillingRules,
  BillingRefusal,
  billingOrderOf,
  totalsOf,
} from '../../functions/domain/billing/billing-order';
import { type BillingRule, billingDecision } from '../../functions/domain/billing/billing-rule';
import { matchAgreement } from '../../functions/domain/consumption/agreement-match';
import type {
  ConfirmationLine,
  ConsumptionConfirmation,
} from '../../functions/domain/consumption/confirmation';
import { priceLines, redemptionsOf } from '../../functions/domain/consumption/coverage';

const line = (
  id: string,
  productId: string,
  quantityUsed: number,
  extra: Partial<ConfirmationLine> = {},
): ConfirmationLine => ({
  serviceProductId: id,
  productId,
  productCode: productId.toUpperCase(),
  productName: productId,
  productKind: 'service',
  source: 'manual',
  quantityUsed,
  quantityToBill: quantityUsed,
  unitPrice: { amount: 1000, currency: 'EUR' },
  ...extra,
});

const base = {
  tenantId: 't',
  version: 1,
  createdAt: '2030-01-01T00:00:00Z',
  updatedAt: '2030-01-01T00:00:00Z',
  name: 'Care',
  startDate: '2030-01-01',
  endDate: '2030-12-31',
  status: 'active' as const,
};

const partial = (lines: AgreementView['lines']): AgreementView => ({
  ...base,
  id: 'g',
  subject: { kind: 'account', accountId: 'a' },
  coverage: 'partial',
  lines,
});

const counted = (id: string, productId: string, remaining: number): AgreementView['lines'][number] => ({
  id,
  productId,
  recordType: 'non-recurring-service',
  quantity: 10,
  autoCreate: true,
  ledger: { quantity: 10, redeemed: 10 - remaining, released: 0, remaining },
});

describe('pricing a confirmation against its agreement', () => {
  it('covers nothing without an agreement', () => {
    const { lines, redemptions } = priceLines([line('s1', 'repair', 2)], undefined, 'staff');
    expect(lines[0]).toMatchObject({ covered: 0, nonWarranty: 2 });
    expect(lines[0]?.coveredBy).toBeUndefined();
    expect(redemptions).toEqual([]);
  });

  it('covers every unit under full coverage and counts none', () => {
    const full: AgreementView = { ...partial([]), coverage: 'full' };
    const { lines, redemptions } = priceLines(
      [line('s1', 'repair', 3), line('s2', 'filter', 1)],
      full,
      'staff',
    );
    expect(lines.map((l) => [l.covered, l.nonWarranty, l.coveredBy?.kind])).toEqual([
      [3, 0, 'full'],
      [1, 0, 'full'],
    ]);
    expect(redemptions).toEqual([]);
  });

  it('splits a line a counted line covers only in part, and redeems what it covers', () => {
    const { lines, redemptions } = priceLines(
      [line('s1', 'repair', 5)],
      partial([counted('1', 'repair', 3)]),
      'staff',
    );
    expect(lines[0]).toMatchObject({
      covered: 3,
      nonWarranty: 2,
      coveredBy: { lineId: '1', kind: 'counted-line' },
    });
    expect(redemptions).toEqual([
      { agreementId: 'g', lineId: '1', quantity: 3, entries: [{ serviceProductId: 's1', quantity: 3 }] },
    ]);
  });

  it('uses the remaining units in the order of the lines, and makes one count change per agreement line', () => {
    const { lines, redemptions } = priceLines(
      [line('s1', 'repair', 2), line('s2', 'repair', 2), line('s3', 'repair', 1)],
      partial([counted('1', 'repair', 3)]),
      'staff',
    );
    expect(lines.map((l) => [l.covered, l.nonWarranty])).toEqual([
      [2, 0],
      [1, 1],
      [0, 1],
    ]);
    expect(redemptions).toHaveLength(1);
    expect(redemptions[0]).toMatchObject({ quantity: 3, entries: [{ quantity: 2 }, { quantity: 1 }] });
    // The release undoes exactly that, read back from the priced lines.
    expect(redemptionsOf(lines)).toEqual(redemptions);
  });

  it('covers nothing of a product the agreement has no line for, and nothing from a used-up line', () => {
    const { lines } = priceLines(
      [line('s1', 'filter', 1), line('s2', 'repair', 1)],
      partial([counted('1', 'repair', 0)]),
      'staff',
    );
    expect(lines.map((l) => l.covered)).toEqual([0, 0]);
  });

  it('covers a recurring line only on the preventive work orders of its plans, counting nothing', () => {
    const recurring = partial([
      {
        id: '1',
        productId: 'inspection',
        recordType: 'recurring-service',
        quantity: 1,
        period: 'quarterly',
        periods: 4,
        autoCreate: true,
      },
    ]);
    const onPlan = priceLines([line('s1', 'inspection', 1)], recurring, 'plan');
    const byHand = priceLines([line('s1', 'inspection', 1)], recurring, 'staff');
    expect(onPlan.lines[0]).toMatchObject({ covered: 1, coveredBy: { kind: 'recurring-line' } });
    expect(onPlan.redemptions).toEqual([]);
    expect(byHand.lines[0]).toMatchObject({ covered: 0, nonWarranty: 1 });
  });
});

describe('billing what is not covered', () => {
  const workOrder = {
    typeId: 'goodwill',
    priority: 'normal' as const,
    channel: 'staff' as const,
    accountId: 'a',
  };
  const rule = (id: string, billable: boolean, extra: Partial<BillingRule> = {}): BillingRule => ({
    ...base,
    id,
    name: id,
    enabled: true,
    billable,
    ...extra,
  });

  it('bills non-warranty units unless the first matching enabled rule says otherwise', () => {
    const spare = { productId: 'filter', productKind: 'spare-part' as const, source: 'manual' as const };
    expect(billingDecision([], workOrder, spare)).toEqual({ billable: true });
    const rules = [
      rule('disabled', false, { enabled: false }),
      rule('other-type', false, { workOrder: { typeIds: ['install'] } }),
      rule('goodwill-parts', false, {
        workOrder: { typeIds: ['goodwill'] },
        serviceProduct: { productKinds: ['spare-part'] },
      }),
      rule('later', true),
    ];
    expect(billingDecision(rules, workOrder, spare)).toEqual({ billable: false, ruleId: 'goodwill-parts' });
    expect(billingDecision(rules, workOrder, { ...spare, productKind: 'service' })).toEqual({
      billable: true,
      ruleId: 'later',
    });
    // A condition on a field the work order lacks does not hold.
    expect(
      billingDecision(
        [rule('typed', false, { workOrder: { typeIds: ['goodwill'] } })],
        { ...workOrder, typeId: undefined },
        spare,
      ),
    ).toEqual({
      billable: true,
    });
  });

  it('bills at most the quantity to bill less the covered units, never a warranty unit', () => {
    const lines = applyBillingRules(
      [
        line('s1', 'repair', 5, { covered: 3, nonWarranty: 2, quantityToBill: 4 }),
        line('s2', 'repair', 2, { covered: 2, nonWarranty: 0 }),
        line('s3', 'repair', 3, { covered: 0, nonWarranty: 3, quantityToBill: 1 }),
      ],
      [],
      workOrder,
    );
    expect(lines.map((l) => [l.billedQuantity, l.total?.amount, l.billable])).toEqual([
      [1, 1000, true],
      [0, 0, false],
      [1, 1000, true],
    ]);
    expect(totalsOf(lines)).toEqual({
      warrantyValue: { amount: 5000, currency: 'EUR' },
      billed: { amount: 2000, currency: 'EUR' },
    });
  });

  const confirmation = (lines: ConfirmationLine[]): ConsumptionConfirmation => ({
    ...base,
    id: 'c1',
    workOrderId: 'w1',
    workOrderNumber: 'WO-2030-000001',
    serviceDate: '2030-05-01',
    requestedBy: 'tech',
    status: 'approved',
    lines,
    steps: [],
  });

  it('makes one order, in one currency, of the billed lines only; none when nothing is billed', () => {
    const billed = applyBillingRules(
      [
        line('s1', 'repair', 2, { covered: 0, nonWarranty: 2 }),
        line('s2', 'filter', 1, { covered: 1, nonWarranty: 0 }),
      ],
      [],
      workOrder,
    );
    const order = billingOrderOf(confirmation(billed), { accountId: 'a' }, '2030-05-02T10:00:00Z');
    expect(order).toMatchObject({
      id: 'c1',
      origin: 'service-billing',
      accountId: 'a',
      orderDate: '2030-05-01',
      lines: [{ id: '1', productId: 'repair', quantity: 2, total: { amount: 2000 } }],
      total: { amount: 2000, currency: 'EUR' },
      billing: { workOrderId: 'w1', confirmationId: 'c1' },
    });
    const warranty = applyBillingRules(
      [line('s1', 'repair', 1, { covered: 1, nonWarranty: 0 })],
      [],
      workOrder,
    );
    expect(
      billingOrderOf(confirmation(warranty), { accountId: 'a' }, '2030-05-02T10:00:00Z'),
    ).toBeUndefined();
  });

  it('refuses an order of two currencies, and one without an account', () => {
    const mixed = applyBillingRules(
      [
        line('s1', 'repair', 1, { covered: 0, nonWarranty: 1 }),
        line('s2', 'pump', 1, { covered: 0, nonWarranty: 1, unitPrice: { amount: 9900, currency: 'CHF' } }),
      ],
      [],
      workOrder,
    );
    expect(() => billingOrderOf(confirmation(mixed), { accountId: 'a' }, 'now')).toThrow(BillingRefusal);
    expect(() => billingOrderOf(confirmation(mixed.slice(0, 1)), {}, 'now')).toThrow('without an account');
  });
});

describe('which agreement covers a work order', () => {
  const agreement = (id: string, extra: Partial<Agreement>): Agreement => ({
    ...base,
    id,
    subject: { kind: 'account', accountId: 'a' },
    coverage: 'partial',
    lines: [],
    ...extra,
  });
  const ofDevice = agreement('dev', {
    subject: { kind: 'device', accountId: 'a', deviceId: 'd' },
    endDate: '2030-12-31',
  });
  const early = agreement('early', { endDate: '2030-06-30' });
  const late = agreement('late', { startDate: '2030-03-01', endDate: '2031-02-28' });
  const draft = agreement('draft', { status: 'draft', endDate: '2030-02-01' });

  it("takes the device's agreement before the account's, then the one that ends first", () => {
    const all = [early, late, ofDevice, draft];
    expect(matchAgreement(all, { accountId: 'a', deviceId: 'd' }, '2030-05-01')?.id).toBe('dev');
    expect(matchAgreement(all, { accountId: 'a', deviceId: 'other' }, '2030-05-01')?.id).toBe('early');
    expect(matchAgreement(all, { accountId: 'a' }, '2030-05-01', 'newest-first')?.id).toBe('late');
  });

  it('takes only agreements active on the day', () => {
    expect(matchAgreement([early, late, draft], { accountId: 'a' }, '2030-02-01')?.id).toBe('early');
    expect(matchAgreement([early, late], { accountId: 'a' }, '2030-07-01')?.id).toBe('late');
    expect(matchAgreement([early], { accountId: 'a' }, '2031-01-01')).toBeUndefined();
    expect(matchAgreement([early], { accountId: 'b' }, '2030-05-01')).toBeUndefined();
  });
});
