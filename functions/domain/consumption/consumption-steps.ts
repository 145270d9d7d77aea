import type { SystemActor } from '../access/actor';
import { salesOrderCreated } from '../agreements/events';
import { applyBillingRules, BillingRefusal, billingOrderOf, totalsOf } from '../billing/billing-order';
import type { BillingRule } from '../billing/billing-rule';
import { TransactionConflictError } from '../shared/errors';
import { assertHandleable, type WorkOrder } from '../work-orders/work-order';
import { withoutToken } from './confirm-consumption';
import type { ConfirmationStatus, ConsumptionConfirmation } from './confirmation';
import type { ConsumptionContext } from './consumption-context';
import { priceLines, redemptionsOf } from './coverage';
import { RedemptionRefusedError, StepRefusal } from './errors';
import { billingOrderCreated, consumptionConfirmed } from './events';
import type { StepEvent } from './workflow';

/** How often the redeem step prices again when a counted line ran short under it before giving up to a retry. */
const REDEEM_ATTEMPTS = 12;

export interface BillingRules {
  all(tenantId: string): Promise<BillingRule[]>;
}

type Step<S extends StepEvent['step']> = Extract<StepEvent, { step: S }>;

/**
 * The steps of the consumption-then-billing state machine. Each reads the
 * confirmation, does its part only if the confirmation is where that step
 * starts, and writes its result with the confirmation's next status in one
 * conditional write: a retried or repeated step finds its work done and
 * answers as the first did.
 */
export class ConsumptionSteps {
  constructor(
    private readonly ctx: ConsumptionContext,
    private readonly billingRules: BillingRules,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async run(event: StepEvent): Promise<{ status: ConfirmationStatus }> {
    switch (event.step) {
      case 'validate':
        return this.validate(event);
      case 'redeem':
        return this.redeem(event);
      case 'await-approval':
        return this.awaitApproval(event);
      case 'apply-billing-rules':
        return this.applyBillingRules(event);
      case 'create-order':
        return this.createOrder(event);
      case 'release':
        return this.release(event);
    }
  }

  /** The work order can still be handled; the agreement covering it on the service date is chosen (or none). */
  private async validate(event: Step<'validate'>) {
    const { confirmation, workOrder } = await this.load(event);
    if (confirmation.status !== 'started') return { status: confirmation.status };
    try {
      assertHandleable(workOrder);
    } catch (error) {
      throw new StepRefusal(error instanceof Error ? error.message : String(error));
    }
    if (workOrder.status === 'cancelled')
      throw new StepRefusal(`Work order ${workOrder.number} was cancelled`);
    const agreement = await this.ctx.agreementFor(workOrder, confirmation.serviceDate);
    const note = agreement
      ? `Agreement ${agreement.name} (${agreement.coverage} coverage) covers ${confirmation.serviceDate}`
      : `No agreement covers ${confirmation.serviceDate}: everything is non-warranty`;
    return this.advance(confirmation, 'validated', 'validate', note, {
      ...(agreement ? { agreementId: agreement.id } : {}),
    });
  }

  /**
   * Covered units redeem the agreement's counted lines in one transaction,
   * each conditional on what the line has left; when another confirmation
   * took units first, the lines are priced again from the fresh counts, so
   * a line never goes below zero and what it cannot cover is non-warranty.
   */
  private async redeem(event: Step<'redeem'>) {
    for (let attempt = 1; ; attempt++) {
      const { confirmation, workOrder } = await this.load(event);
      if (confirmation.status !== 'validated') return { status: confirmation.status };
      const agreement = confirmation.agreementId
        ? await this.ctx.agreements.get(event.tenantId, confirmation.agreementId)
        : undefined;
      // An agreement that ended (or was turned non-warranty) since it was chosen covers nothing.
      const covering =
        agreement?.status === 'active' &&
        agreement.startDate <= confirmation.serviceDate &&
        confirmation.serviceDate <= agreement.endDate
          ? agreement
          : undefined;
      const { lines, redemptions } = priceLines(confirmation.lines, covering, workOrder.channel);
      const covered = lines.reduce((sum, line) => sum + (line.covered ?? 0), 0);
      const next = this.next(confirmation, 'redeemed', 'redeem', `${covered} units covered`, { lines });
      try {
        await this.ctx.confirmations.redeem(confirmation, next, redemptions, {
          record: this.record(confirmation, `Priced: ${covered} units covered by the agreement`),
        });
        return { status: next.status };
      } catch (error) {
        const contended =
          error instanceof RedemptionRefusedError || error instanceof TransactionConflictError;
        if (!contended || attempt >= REDEEM_ATTEMPTS) throw error;
        await this.pause(Math.random() * 20 * attempt);
      }
    }
  }

  /** Parks the flow's task token on the confirmation, where the approve and reject API finds it. */
  private async awaitApproval(event: Step<'await-approval'>) {
    const confirmation = await this.confirmationOf(event);
    if (confirmation.status !== 'redeemed') return { status: confirmation.status };
    const next = this.next(
      confirmation,
      'awaiting-approval',
      'await-approval',
      'Waiting for a service manager',
    );
    await this.ctx.confirmations.saveStep(confirmation, next, {
      taskToken: event.taskToken,
      record: this.record(confirmation, 'Waiting for a service manager to approve or reject'),
    });
    return { status: next.status };
  }

  private async applyBillingRules(event: Step<'apply-billing-rules'>) {
    const { confirmation, workOrder } = await this.load(event);
    if (confirmation.status !== 'approved' || confirmation.totals) return { status: confirmation.status };
    const rules = await this.billingRules.all(event.tenantId);
    const lines = applyBillingRules(confirmation.lines, rules, workOrder);
    const totals = totalsOf(lines);
    const next = this.next(
      confirmation,
      'approved',
      'apply-billing-rules',
      `${totals.billed.amount} to bill`,
      {
        lines,
        totals,
      },
    );
    await this.ctx.confirmations.saveStep(confirmation, next, {
      record: this.record(
        confirmation,
        `Billing rules applied: ${totals.billed.amount} ${totals.billed.currency} to bill`,
      ),
    });
    return { status: next.status };
  }

  /** The order (if anything is billed), the service products final, the events: one transaction. */
  private async createOrder(event: Step<'create-order'>) {
    const { confirmation, workOrder } = await this.load(event);
    if (confirmation.status !== 'approved') return { status: confirmation.status };
    const now = this.ctx.now();
    let order: ReturnType<typeof billingOrderOf>;
    try {
      order = billingOrderOf(confirmation, workOrder, now);
    } catch (error) {
      if (error instanceof BillingRefusal) throw new StepRefusal(error.message);
      throw error;
    }
    const next = this.next(
      confirmation,
      'confirmed',
      'create-order',
      order ? `Order ${order.id} for ${order.total.amount} ${order.total.currency}` : 'Nothing to bill',
      { outcome: 'confirmed', ...(order ? { orderId: order.id } : {}) },
    );
    const actor = this.actor(event);
    await this.ctx.confirmations.confirm(confirmation, next, order, {
      events: [
        consumptionConfirmed(next, this.ctx.eventBase(actor)),
        ...(order
          ? [
              billingOrderCreated(order, this.ctx.eventBase(actor)),
              salesOrderCreated(order, this.ctx.eventBase(actor)),
            ]
          : []),
      ],
      record: this.record(confirmation, order ? `Billed: order ${order.id}` : 'Confirmed: nothing to bill'),
    });
    return { status: next.status };
  }

  /**
   * Compensation after a rejection, a timeout or a failed step: every unit
   * redeemed is released (each release once), the lock freed. A confirmed
   * confirmation is never released: it was billed.
   */
  private async release(event: Step<'release'>) {
    const confirmation = await this.confirmationOf(event);
    if (confirmation.status === 'confirmed' || confirmation.status === 'released')
      return { status: confirmation.status };
    const redemptions = redemptionsOf(confirmation.lines);
    const released = redemptions.reduce((sum, r) => sum + r.quantity, 0);
    const why =
      event.outcome === 'failed'
        ? `failed: ${event.failure?.Error ?? 'unknown error'}${event.failure?.Cause ? ` (${causeText(event.failure.Cause)})` : ''}`
        : event.outcome;
    const next = this.next(confirmation, 'released', 'release', `${released} units released; ${why}`, {
      outcome: event.outcome,
      ...(event.failure
        ? {
            failure: {
              error: event.failure.Error,
              ...(event.failure.Cause ? { cause: causeText(event.failure.Cause) } : {}),
            },
          }
        : {}),
    });
    await this.ctx.confirmations.release(confirmation, next, redemptions, {
      record: this.record(
        confirmation,
        `Released (${why}): ${released} covered units returned to the agreement`,
      ),
    });
    return { status: next.status };
  }

  /** The confirmation a step works on (without the token its flow may wait on). */
  private async confirmationOf(event: { tenantId: string; confirmationId: string }) {
    const stored = await this.ctx.confirmations.confirmation(event.tenantId, event.confirmationId);
    if (!stored) throw new StepRefusal(`No confirmation ${event.confirmationId}`);
    return withoutToken(stored);
  }

  /** The confirmation and its work order, for the steps that look at the work order as it is now. */
  private async load(event: { tenantId: string; confirmationId: string }): Promise<{
    confirmation: ConsumptionConfirmation;
    workOrder: WorkOrder;
  }> {
    const confirmation = await this.confirmationOf(event);
    const workOrder = await this.ctx.workOrders.get(event.tenantId, confirmation.workOrderId);
    if (!workOrder) throw new StepRefusal(`Work order ${confirmation.workOrderId} no longer exists`);
    return { confirmation, workOrder };
  }

  private next(
    confirmation: ConsumptionConfirmation,
    status: ConfirmationStatus,
    step: string,
    note: string,
    changes: Partial<ConsumptionConfirmation> = {},
  ): ConsumptionConfirmation {
    const at = this.ctx.now();
    return {
      ...confirmation,
      ...changes,
      status,
      version: confirmation.version + 1,
      updatedAt: at,
      steps: [...confirmation.steps, { step, at, note }],
    };
  }

  private async advance(
    confirmation: ConsumptionConfirmation,
    status: ConfirmationStatus,
    step: string,
    note: string,
    changes: Partial<ConsumptionConfirmation>,
  ) {
    const next = this.next(confirmation, status, step, note, changes);
    await this.ctx.confirmations.saveStep(confirmation, next, { record: this.record(confirmation, note) });
    return { status: next.status };
  }

  private record(confirmation: ConsumptionConfirmation, text: string) {
    return this.ctx.record(confirmation.workOrderId, 'consumption', this.actor(confirmation), text, {
      confirmationId: confirmation.id,
    });
  }

  private actor(of: { tenantId: string }): SystemActor {
    return { tenantId: of.tenantId, system: 'workflow', id: 'consumption-billing' };
  }
}

/** A Lambda error's cause as Step Functions gives it (a JSON of errorType and errorMessage), in words. */
function causeText(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage.slice(0, 500);
  } catch {
    // Not JSON: the cause as it came.
  }
  return cause.slice(0, 500);
}
