import { type Actor, actorIdOf } from '../access/actor';
import type { ServiceContext } from '../shared/master-data-service';
import { servicePlanEvent } from './events';
import { freshProgress } from './occurrence';
import type { ServicePlanRepository } from './ports';
import type { EndReason, ServicePlan } from './service-plan';
import { type Withdrawals, withdrawUnstarted } from './withdraw-unstarted';

/** Ends plans: by hand, or every plan of an agreement that expired or was terminated. */
export class PlanEnding {
  constructor(
    private readonly deps: { plans: ServicePlanRepository; withdrawals?: Withdrawals },
    private readonly context: ServiceContext,
  ) {}

  /** Ends every active plan of an agreement; a repeated call finds them ended and changes nothing. */
  async endForAgreement(tenantId: string, agreementId: string, reason: EndReason): Promise<string[]> {
    const plans = await this.deps.plans.ofAgreement(tenantId, agreementId);
    const actor: Actor = { tenantId, system: 'workflow', id: reason };
    const ended: string[] = [];
    const cancel = this.deps.withdrawals
      ? (await this.deps.withdrawals.settings(tenantId))?.unstartedOnAgreementEnd === 'cancel'
      : false;
    for (const plan of plans) {
      const active = plan.status === 'active';
      const current = active ? await this.end(plan, reason, actor) : plan;
      if (active) ended.push(plan.id);
      // Also for a plan this agreement's end ended before: a delivery that stopped halfway is finished.
      if (cancel && this.deps.withdrawals && current.endReason?.startsWith('agreement-'))
        await this.withdrawAll(current, this.deps.withdrawals, reason);
    }
    return ended;
  }

  /** Every unstarted work order the plan generated is cancelled; what is cancelled or started already is left alone. */
  private async withdrawAll(plan: ServicePlan, withdrawals: Withdrawals, reason: EndReason): Promise<void> {
    const records = await this.deps.plans.generated(plan.tenantId, plan.id, '0000-01-01', '9999-12-31');
    const because =
      reason === 'agreement-terminated' ? 'its agreement was terminated' : 'its agreement expired';
    await withdrawUnstarted(
      withdrawals,
      plan,
      records,
      `Service plan ${plan.name} ended: ${because}`,
      this.context.clock.now().toISOString(),
    );
  }

  /** Nothing more is generated; what was generated stays. */
  async end(plan: ServicePlan, reason: EndReason, actor: Actor): Promise<ServicePlan> {
    const now = this.context.clock.now().toISOString();
    const next: ServicePlan = {
      ...plan,
      status: 'ended',
      endReason: reason,
      endedAt: now,
      version: plan.version + 1,
      updatedAt: now,
    };
    const progress = (await this.deps.plans.progress(plan.tenantId, plan.id)) ?? freshProgress(plan);
    const event = servicePlanEvent('ServicePlanEnded', next, {
      id: this.context.ids.next(),
      occurredAt: now,
      actorId: actorIdOf(actor),
    });
    // No next run and nothing due: the schedule goes when the progress says so.
    const { runAt: _runAt, nextDue: _nextDue, ...ended } = progress;
    await this.deps.plans.update(plan, next, { events: [event] }, { ...ended, planVersion: next.version });
    return next;
  }
}
