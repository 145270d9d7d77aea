import { type Actor, actorIdOf } from '../access/actor';
import type { ServiceContext } from '../shared/master-data-service';
import { servicePlanEvent } from './events';
import type { PlanProgress } from './occurrence';
import type { ServicePlanRepository } from './ports';
import type { EndReason, ServicePlan } from './service-plan';

/** A plan's progress before its first run. */
export const freshProgress = (plan: Pick<ServicePlan, 'tenantId' | 'id' | 'version'>): PlanProgress => ({
  tenantId: plan.tenantId,
  planId: plan.id,
  planVersion: plan.version,
  generated: 0,
});

/** Ends plans: by hand, or every plan of an agreement that expired or was terminated. */
export class PlanEnding {
  constructor(
    private readonly deps: { plans: ServicePlanRepository },
    private readonly context: ServiceContext,
  ) {}

  /** Ends every active plan of an agreement; a repeated call finds them ended and changes nothing. */
  async endForAgreement(tenantId: string, agreementId: string, reason: EndReason): Promise<string[]> {
    const plans = await this.deps.plans.ofAgreement(tenantId, agreementId);
    const actor: Actor = { tenantId, system: 'workflow', id: reason };
    const ended: string[] = [];
    for (const plan of plans.filter((candidate) => candidate.status === 'active')) {
      await this.end(plan, reason, actor);
      ended.push(plan.id);
    }
    return ended;
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
    // No next run: the schedule goes when the progress says so.
    const { runAt: _runAt, ...ended } = progress;
    await this.deps.plans.update(plan, next, { events: [event] }, { ...ended, planVersion: next.version });
    return next;
  }
}
