import type { Actor } from '../access/actor';
import { authorize } from '../access/permissions';
import type { Account } from '../customers/account';
import { ClaimTakenError, NotFoundError } from '../shared/errors';
import type { Repository } from '../shared/ports';
import type { AgreementView } from './agreement';
import type { AgreementRule } from './agreement-rule';
import type { AgreementService } from './agreement-service';
import { GENERATION_CLAIM_SCOPE, generationKeyOf, planAgreements } from './generate-agreements';
import type { ClaimLookup } from './ports';
import type { SalesOrder } from './sales-order';

export interface GenerationResult {
  salesOrderId: string;
  /** Agreements this call created. */
  created: AgreementView[];
  /** Agreements an earlier generation from the same order and rule created. */
  existing: { ruleId: string; agreementId: string }[];
  skipped: { ruleId: string; reason: string }[];
}

export interface GenerationPorts {
  orders: Pick<Repository<SalesOrder>, 'get'>;
  accounts: Pick<Repository<Account>, 'get'>;
  /** Every rule of the tenant, in the order they were made. */
  rules: { all(tenantId: string): Promise<AgreementRule[]> };
  claims: ClaimLookup;
}

/**
 * Agreements from a sales order, by the tenant's rules: once per order and
 * rule, however often it is asked (the `SalesOrderCreated` event, a retry of
 * it, a person's request), because each agreement is created under a claim of
 * its order and rule in the same transaction.
 */
export class AgreementGeneration {
  constructor(
    private readonly ports: GenerationPorts,
    private readonly agreements: AgreementService,
  ) {}

  async generate(actor: Actor, salesOrderId: string): Promise<GenerationResult> {
    authorize(actor, 'agreement:generate');
    const { tenantId } = actor;
    const order = await this.ports.orders.get(tenantId, salesOrderId);
    if (!order) throw new NotFoundError('SalesOrder', salesOrderId);
    const [account, rules] = await Promise.all([
      this.ports.accounts.get(tenantId, order.accountId),
      this.ports.rules.all(tenantId),
    ]);
    const result: GenerationResult = { salesOrderId, created: [], existing: [], skipped: [] };
    if (!account) {
      result.skipped.push({ ruleId: '', reason: `The order's account ${order.accountId} no longer exists` });
      return result;
    }
    const plan = planAgreements(order, account, rules);
    result.skipped.push(...plan.skipped);
    for (const { ruleId, agreement } of plan.drafts) {
      const key = generationKeyOf(order.id, ruleId);
      const earlier = await this.ports.claims.claimed(tenantId, GENERATION_CLAIM_SCOPE, key);
      if (earlier !== undefined) {
        result.existing.push({ ruleId, agreementId: earlier });
        continue;
      }
      try {
        result.created.push(
          await this.agreements.add(actor, agreement, [{ kind: 'once', scope: GENERATION_CLAIM_SCOPE, key }]),
        );
      } catch (error) {
        // A concurrent generation from the same order made it between our read and our write.
        if (!(error instanceof ClaimTakenError)) throw error;
        const agreementId = (await this.ports.claims.claimed(tenantId, GENERATION_CLAIM_SCOPE, key)) ?? '';
        result.existing.push({ ruleId, agreementId });
      }
    }
    return result;
  }
}
