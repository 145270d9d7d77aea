import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addMonths, coversDay, expiryAtOf, termEnd } from '../../functions/domain/agreements/agreement';
import type { AgreementGeneration } from '../../functions/domain/agreements/agreement-generation';
import type { AgreementRule } from '../../functions/domain/agreements/agreement-rule';
import type { AgreementService } from '../../functions/domain/agreements/agreement-service';
import { planAgreements } from '../../functions/domain/agreements/generate-agreements';
import { checkLedger, type LedgerEntry, ledgerOf } from '../../functions/domain/agreements/ledger';
import type { SalesOrder, SalesOrderLine } from '../../functions/domain/agreements/sales-order';
import type { Account } from '../../functions/domain/customers/account';
import { createAgreementGenerator } from '../../functions/handlers/events/agreement-generator';
import { createAgreementExpiryHandler } from '../../functions/handlers/schedules/agreement-expiry';
import { createLogger } from '../../functions/shared/logger';

const base = {
  tenantId: 't',
  version: 1,
  createdAt: '2030-01-01T00:00:00Z',
  updatedAt: '2030-01-01T00:00:00Z',
};
const account: Account = { ...base, id: 'a1', name: 'Acme', kind: 'company', address: { country: 'DE' } };
const line = (id: string, over: Partial<SalesOrderLine>): SalesOrderLine => ({
  id,
  productId: `p${id}`,
  productCode: `P${id}`,
  productName: `Product ${id}`,
  productKind: 'service',
  serviceType: 'non-recurring',
  quantity: 1,
  unitPrice: { amount: 100, currency: 'EUR' },
  total: { amount: 100, currency: 'EUR' },
  ...over,
});
const order = (lines: SalesOrderLine[], over: Partial<SalesOrder> = {}): SalesOrder => ({
  ...base,
  id: 'o1',
  origin: 'sales',
  accountId: 'a1',
  deviceId: 'd1',
  orderDate: '2030-03-31',
  lines,
  total: { amount: 0, currency: 'EUR' },
  ...over,
});
const rule = (id: string, over: Partial<AgreementRule> = {}): AgreementRule => ({
  ...base,
  id,
  name: `Rule ${id}`,
  enabled: true,
  subject: 'account',
  coverage: 'partial',
  autoCreate: true,
  termMonths: 12,
  ...over,
});

describe('agreement terms', () => {
  it('end the day before the same date months later, clamped to short months', () => {
    expect(termEnd('2030-01-01', 12)).toBe('2030-12-31');
    expect(termEnd('2030-03-31', 3)).toBe('2030-06-29');
    expect(addMonths('2030-01-31', 1)).toBe('2030-02-28');
    expect(addMonths('2032-01-31', 1)).toBe('2032-02-29');
    expect(addMonths('2030-11-15', 3)).toBe('2031-02-15');
  });

  it('cover their days only while active, and expire at the start of the day after', () => {
    const agreement = {
      ...base,
      id: 'g',
      status: 'active' as const,
      startDate: '2030-01-01',
      endDate: '2030-12-31',
    };
    const covers = (day: string, status: 'active' | 'draft' = 'active') =>
      coversDay(
        {
          ...agreement,
          status,
          name: 'n',
          subject: { kind: 'account', accountId: 'a' },
          coverage: 'full',
          lines: [],
        },
        day,
      );
    expect([covers('2029-12-31'), covers('2030-01-01'), covers('2030-12-31'), covers('2031-01-01')]).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(covers('2030-06-01', 'draft')).toBe(false);
    expect(expiryAtOf({ endDate: '2030-12-31' })).toBe('2031-01-01T00:00:00.000Z');
  });
});

describe('planAgreements', () => {
  it('gives each line to the first rule that takes it and maps lines by record type', () => {
    const plan = planAgreements(
      order([
        line('1', { serviceType: 'recurring', period: 'half-yearly', periods: 3, quantity: 2 }),
        line('2', { quantity: 4 }),
        line('3', { productKind: 'spare-part', serviceType: undefined, quantity: 7 }),
      ]),
      account,
      [rule('r1', { conditions: { serviceTypes: ['recurring'] } }), rule('r2', { autoCreate: false })],
    );
    expect(plan.skipped).toEqual([]);
    expect(plan.drafts.map((d) => d.ruleId)).toEqual(['r1', 'r2']);
    const [first, second] = plan.drafts.map((d) => d.agreement);
    expect(first?.lines).toEqual([
      {
        id: '1',
        productId: 'p1',
        recordType: 'recurring-service',
        quantity: 2,
        period: 'half-yearly',
        periods: 3,
        autoCreate: true,
        salesOrderLineId: '1',
      },
    ]);
    // 3 half-years from 31 March.
    expect(first?.endDate).toBe('2031-09-29');
    expect(second?.lines.map((l) => [l.recordType, l.quantity, l.autoCreate])).toEqual([
      ['non-recurring-service', 4, false],
      ['spare-part', 7, false],
    ]);
    expect(second?.endDate).toBe('2031-03-30');
    expect(second?.origin).toEqual({ salesOrderId: 'o1', ruleId: 'r2' });
  });

  it('takes no order of another origin, account kind or country, and no disabled rule', () => {
    const lines = [line('1', {})];
    const plan = (r: AgreementRule, o = order(lines)) => planAgreements(o, account, [r]).drafts.length;
    expect(plan(rule('r'))).toBe(1);
    expect(plan(rule('r'), order(lines, { origin: 'service-billing' }))).toBe(0);
    expect(
      plan(
        rule('r', { conditions: { origins: ['service-billing'] } }),
        order(lines, { origin: 'service-billing' }),
      ),
    ).toBe(1);
    expect(plan(rule('r', { enabled: false }))).toBe(0);
    expect(plan(rule('r', { conditions: { accountKinds: ['person'] } }))).toBe(0);
    expect(plan(rule('r', { conditions: { accountCountries: ['AT'] } }))).toBe(0);
    expect(plan(rule('r', { conditions: { productIds: ['p2'] } }))).toBe(0);
    expect(plan(rule('r', { conditions: { productKinds: ['spare-part'] } }))).toBe(0);
    expect(plan(rule('r', { conditions: { serviceTypes: ['recurring'] } }))).toBe(0);
  });

  it('names a device only for device rules', () => {
    const [device] = planAgreements(order([line('1', {})]), account, [
      rule('r', { subject: 'device' }),
    ]).drafts;
    expect(device?.agreement.subject).toEqual({ kind: 'device', accountId: 'a1', deviceId: 'd1' });
    const [acct] = planAgreements(order([line('1', {})]), account, [rule('r')]).drafts;
    expect(acct?.agreement.subject).toEqual({ kind: 'account', accountId: 'a1' });
  });
});

describe('the ledger of a counted line', () => {
  const entry = (kind: LedgerEntry['kind'], quantity: number, confirmationId = 'c1'): LedgerEntry => ({
    agreementId: 'g',
    lineId: '1',
    kind,
    quantity,
    workOrderId: 'w',
    confirmationId,
    serviceProductId: 's',
    at: '2030-01-01T00:00:00Z',
  });
  const line = (redeemed: number, released: number) => ({
    agreementId: 'g',
    lineId: '1',
    quantity: 5,
    redeemed,
    released,
  });

  it('keeps remaining = quantity − redeemed + released', () => {
    expect(ledgerOf({ quantity: 5, redeemed: 4, released: 1 })).toEqual({
      quantity: 5,
      redeemed: 4,
      released: 1,
      remaining: 2,
    });
  });

  it('finds a stored remaining that drifted from its counts', () => {
    expect(
      checkLedger({ ...line(3, 1), remaining: 3 }, [entry('redemption', 3), entry('release', 1)]),
    ).toEqual([]);
    expect(
      checkLedger({ ...line(3, 1), remaining: 2 }, [entry('redemption', 3), entry('release', 1)]).map(
        (d) => d.problem,
      ),
    ).toEqual(['remaining 2 is stored but the counts make 3']);
  });

  it('agrees with its entries, or says where it does not', () => {
    expect(checkLedger(line(3, 1), [entry('redemption', 3), entry('release', 1)])).toEqual([]);
    expect(checkLedger(line(3, 0), [entry('redemption', 2)]).map((d) => d.problem)).toEqual([
      'redeemed 3 but entries redeem 2',
    ]);
    expect(checkLedger(line(6, 0), [entry('redemption', 6)]).map((d) => d.problem)).toEqual([
      'remaining -1 is below zero',
    ]);
    expect(
      checkLedger(line(2, 2), [entry('redemption', 2, 'c1'), entry('release', 2, 'c2')]).map(
        (d) => d.problem,
      ),
    ).toEqual(['release of c2#s undoes more than was redeemed']);
  });
});

describe('the example events of the agreement functions (npm run invoke)', () => {
  const example = (path: string) =>
    JSON.parse(readFileSync(new URL(`../../events/${path}`, import.meta.url), 'utf8'));
  const quiet = createLogger({}, () => undefined);

  it('reach the generator as a SalesOrderCreated event naming its order', async () => {
    const asked: string[] = [];
    const generation = {
      generate: async (actor: { tenantId: string; system?: string }, orderId: string) => {
        asked.push(`${actor.tenantId}/${actor.system}/${orderId}`);
        return { salesOrderId: orderId, created: [], existing: [], skipped: [] };
      },
    } as unknown as AgreementGeneration;
    await createAgreementGenerator(generation, quiet)(
      example('eventbridge/sales-order-created.json'),
      {} as never,
    );
    expect(asked).toEqual(['demo/workflow/01KQ0000000000000000000S01']);
  });

  it('reach the expiry as the schedule input it is given', async () => {
    const due: unknown[] = [];
    const agreements = {
      expire: async (input: unknown) => {
        due.push(input);
        return 'unknown';
      },
    } as unknown as AgreementService;
    await createAgreementExpiryHandler(agreements, quiet)(
      example('scheduler/agreement-expiry-due.json'),
      {} as never,
    );
    expect(due).toEqual([{ tenantId: 'demo', agreementId: '01KQ0000000000000000000A01' }]);
    await expect(
      createAgreementExpiryHandler(agreements, quiet)({ tenantId: 'demo' }, {} as never),
    ).rejects.toThrow('Not an agreement expiry');
  });
});
