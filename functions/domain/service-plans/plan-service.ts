import { type Actor, actorIdOf } from '../access/actor';
import { authorize } from '../access/permissions';
import type { AgreementView } from '../agreements/agreement';
import type { AgreementRepository } from '../agreements/ports';
import { type Page, type PageRequest, pageRequest } from '../shared/entity';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../shared/errors';
import { assertVersion, type ServiceContext } from '../shared/master-data-service';
import type { Claim, Unchanged } from '../shared/ports';
import { type ServicePlanEventType, servicePlanEvent } from './events';
import { freshProgress, type PlanProgress } from './occurrence';
import type { PlanChanges } from './plan-changes';
import { checkRecurrence, checkTemplate, type PlanReferences, targetOf } from './plan-checks';
import { PlanEnding } from './plan-ending';
import type { CreateServicePlanInput, UpdateServicePlanInput } from './plan-input';
import { changesOf, forecastOf } from './plan-outlook';
import { lineChosenBy, type PlanRule } from './plan-rule';
import { seriesOf, take, walkStartFor } from './plan-series';
import type { ServicePlanRepository } from './ports';
import type { ServicePlan } from './service-plan';
import { DEFAULT_LEAD_DAYS } from './service-plan';

export interface ServicePlanDependencies extends PlanReferences {
  plans: ServicePlanRepository;
  rules: { all(tenantId: string): Promise<PlanRule[]> };
  agreements: Pick<AgreementRepository, 'get'>;
}

/** A plan as read: with where its generation stands. */
export type ServicePlanView = ServicePlan & {
  progress: Omit<PlanProgress, 'tenantId' | 'planId' | 'planVersion' | 'through'>;
};

/**
 * Service plans: preventive work under an agreement, on an RFC 5545
 * recurrence. Saving a plan sets when it runs next (its progress's `runAt`,
 * which its one schedule follows); the generator does the rest.
 */
export class ServicePlanService {
  private readonly ending: PlanEnding;

  constructor(
    private readonly deps: ServicePlanDependencies,
    private readonly context: ServiceContext,
  ) {
    this.ending = new PlanEnding(deps, context);
  }

  async create(
    actor: Actor,
    input: CreateServicePlanInput,
    claims: readonly Claim[] = [],
  ): Promise<ServicePlanView> {
    authorize(actor, 'service-plan:write');
    const agreement = await this.activeAgreement(actor.tenantId, input.agreementId);
    const errors: FieldError[] = [];
    const target = await targetOf(this.deps, agreement, input, errors);
    const line = await this.lineOf(agreement, input.agreementLineId, errors);
    const template = input.template ?? {};
    checkRecurrence(input.recurrence, agreement, errors);
    await checkTemplate(this.deps, agreement, template, errors);
    if (errors.length > 0) throw new ValidationError('The service plan cannot be created', errors);

    const now = this.now();
    const plan: ServicePlan = {
      id: this.context.ids.next(),
      tenantId: actor.tenantId,
      version: 1,
      createdAt: now,
      updatedAt: now,
      name: input.name,
      agreementId: agreement.id,
      ...line,
      target,
      recurrence: input.recurrence,
      leadDays: input.leadDays ?? DEFAULT_LEAD_DAYS,
      template,
      status: 'active',
      revision: 1,
    };
    const progress: PlanProgress = { ...freshProgress(plan), runAt: firstRunOf(plan, agreement, now) };
    await this.deps.plans.create(plan, progress, {
      claims,
      events: [this.event('ServicePlanCreated', plan, actor)],
      unchanged: [stillActive(agreement)],
    });
    return { ...plan, progress: { generated: 0, runAt: progress.runAt } };
  }

  async get(actor: Actor, id: string): Promise<ServicePlanView> {
    authorize(actor, 'service-plan:read');
    const plan = await this.load(actor.tenantId, id);
    const progress = (await this.deps.plans.progress(actor.tenantId, id)) ?? freshProgress(plan);
    return { ...plan, progress: shown(progress) };
  }

  /** A page of plans, each with its progress (one more read for the page). */
  async list(actor: Actor, page: Partial<PageRequest>): Promise<Page<ServicePlanView>> {
    authorize(actor, 'service-plan:read');
    const plans = await this.deps.plans.list(actor.tenantId, pageRequest(page));
    const found = await this.deps.plans.progressOf(
      actor.tenantId,
      plans.items.map((plan) => plan.id),
    );
    const byPlan = new Map(found.map((progress) => [progress.planId, progress]));
    return {
      ...plans,
      items: plans.items.map((plan) => ({
        ...plan,
        progress: shown(byPlan.get(plan.id) ?? freshProgress(plan)),
      })),
    };
  }

  /**
   * Changes a plan. Only occurrences without a work order change; the
   * answer says which of them were added, removed or moved. A new
   * recurrence applies from now: its occurrences before the edit are never generated.
   */
  async update(
    actor: Actor,
    id: string,
    input: UpdateServicePlanInput,
  ): Promise<{ plan: ServicePlanView; changes: PlanChanges }> {
    authorize(actor, 'service-plan:write');
    const previous = await this.load(actor.tenantId, id);
    assertVersion('ServicePlan', previous, input.version);
    if (previous.status !== 'active')
      throw new ConflictError(`Service plan ${id} has ended`, { planStatus: previous.status });
    const agreement = await this.activeAgreement(actor.tenantId, previous.agreementId);
    const errors: FieldError[] = [];
    const line =
      input.agreementLineId === undefined
        ? pick(previous)
        : input.agreementLineId === null
          ? {}
          : await this.lineOf(agreement, input.agreementLineId, errors);
    const template = input.template ?? previous.template;
    if (input.recurrence) checkRecurrence(input.recurrence, agreement, errors);
    if (input.template) await checkTemplate(this.deps, agreement, template, errors);
    if (errors.length > 0) throw new ValidationError('The service plan cannot be changed', errors);

    const now = this.now();
    const { agreementLineId: _line, lineRuleId: _rule, ...rest } = previous;
    const next: ServicePlan = {
      ...rest,
      ...line,
      name: input.name ?? previous.name,
      recurrence: input.recurrence ?? previous.recurrence,
      leadDays: input.leadDays ?? previous.leadDays,
      template,
      ...(input.recurrence ? { seriesFrom: now } : {}),
      version: previous.version + 1,
      updatedAt: now,
    };
    // What makes the work orders changed: a new revision (work orders keep the one they were made from).
    const remade =
      input.recurrence !== undefined ||
      input.template !== undefined ||
      next.agreementLineId !== previous.agreementLineId;
    if (remade) next.revision = (previous.revision ?? 1) + 1;
    const changes = await changesOf(this.deps.plans, previous, next, agreement, now);
    const progress = (await this.deps.plans.progress(actor.tenantId, id)) ?? freshProgress(previous);
    // Run at once: occurrences the edit brought into the lead window are due now. A new recurrence walks
    // again from its start (passing over what lies before the edit); a new template or line from two days
    // back. The records of what was generated keep either walk from repeating anything.
    const nextProgress: PlanProgress = { ...progress, planVersion: next.version, runAt: now };
    if (input.recurrence) delete nextProgress.through;
    else if (remade && nextProgress.through && nextProgress.through >= walkStartFor(now))
      // Only occurrences from now on are made again.
      nextProgress.through = walkStartFor(now);
    await this.deps.plans.update(
      previous,
      next,
      { events: [this.event('ServicePlanChanged', next, actor)], unchanged: [stillActive(agreement)] },
      nextProgress,
    );
    return { plan: { ...next, progress: shown(nextProgress) }, changes };
  }

  /** Ends a plan by hand: nothing more is generated, what was generated stays. */
  async end(actor: Actor, id: string, expectedVersion: number): Promise<ServicePlan> {
    authorize(actor, 'service-plan:write');
    const plan = await this.load(actor.tenantId, id);
    assertVersion('ServicePlan', plan, expectedVersion);
    if (plan.status !== 'active')
      throw new ConflictError(`Service plan ${id} has ended`, { planStatus: plan.status });
    return this.ending.end(plan, 'ended', actor);
  }

  /** Deletes a plan and its schedule; its work orders and the records of what was generated stay. */
  async delete(actor: Actor, id: string, expectedVersion: number): Promise<void> {
    authorize(actor, 'service-plan:write');
    const plan = await this.load(actor.tenantId, id);
    assertVersion('ServicePlan', plan, expectedVersion);
    // Its progress goes with it, and its schedule with the progress.
    await this.deps.plans.delete(plan, { events: [this.event('ServicePlanDeleted', plan, actor)] });
  }

  /** The next `count` occurrences from today, each with the work order it has or would get; creates nothing. */
  async forecast(actor: Actor, id: string, count: number) {
    authorize(actor, 'service-plan:read');
    const plan = await this.load(actor.tenantId, id);
    const agreement = await this.deps.agreements.get(actor.tenantId, plan.agreementId);
    if (!agreement) throw new NotFoundError('ServiceAgreement', plan.agreementId);
    return forecastOf(this.deps.plans, plan, agreement, this.now(), count);
  }

  /** The occurrences that have their work order, by local date. */
  async occurrences(actor: Actor, id: string, range: { from?: string; to?: string }) {
    authorize(actor, 'service-plan:read');
    await this.load(actor.tenantId, id);
    const items = await this.deps.plans.generated(
      actor.tenantId,
      id,
      range.from ?? '0000-01-01',
      range.to ?? '9999-12-31',
    );
    return { items };
  }

  /**
   * Asks for a run now: the plan's schedule fires within a minute (at once
   * locally) and the generator creates what is due, as at any other run; the
   * plan's progress shows what it did.
   */
  async generateNow(actor: Actor, id: string): Promise<{ planId: string; runAt: string }> {
    authorize(actor, 'service-plan:write');
    const plan = await this.load(actor.tenantId, id);
    if (plan.status !== 'active')
      throw new ConflictError(`Service plan ${id} has ended`, { planStatus: plan.status });
    const progress = (await this.deps.plans.progress(actor.tenantId, id)) ?? freshProgress(plan);
    const runAt = this.now();
    if (!(await this.deps.plans.saveProgress({ ...progress, planVersion: plan.version, runAt })))
      throw new ConflictError(`Service plan ${id} was changed meanwhile; ask again`);
    return { planId: id, runAt };
  }

  private async lineOf(
    agreement: AgreementView,
    lineId: string | undefined,
    errors: FieldError[],
  ): Promise<Pick<ServicePlan, 'agreementLineId' | 'lineRuleId'>> {
    if (lineId) {
      if (!agreement.lines.some((line) => line.id === lineId))
        errors.push({ field: 'agreementLineId', message: `Agreement ${agreement.id} has no line ${lineId}` });
      return { agreementLineId: lineId };
    }
    const chosen = lineChosenBy(await this.deps.rules.all(agreement.tenantId), agreement.lines);
    return chosen ? { agreementLineId: chosen.line.id, lineRuleId: chosen.rule.id } : {};
  }

  private async activeAgreement(tenantId: string, agreementId: string): Promise<AgreementView> {
    const agreement = await this.deps.agreements.get(tenantId, agreementId);
    if (!agreement)
      throw new ValidationError('The service plan cannot be saved', [
        { field: 'agreementId', message: `No agreement ${agreementId}` },
      ]);
    if (agreement.status !== 'active')
      throw new ConflictError(
        `Agreement ${agreementId} is ${agreement.status}: plans belong to active agreements`,
        {
          agreementStatus: agreement.status,
        },
      );
    return agreement;
  }

  private async load(tenantId: string, id: string): Promise<ServicePlan> {
    const plan = await this.deps.plans.get(tenantId, id);
    if (!plan) throw new NotFoundError('ServicePlan', id);
    return plan;
  }

  private event(type: ServicePlanEventType, plan: ServicePlan, actor: Actor) {
    return servicePlanEvent(type, plan, {
      id: this.context.ids.next(),
      occurredAt: this.now(),
      actorId: actorIdOf(actor),
    });
  }

  private now(): string {
    return this.context.clock.now().toISOString();
  }
}

/** What a plan's progress shows: where its walk stands is storage detail. */
function shown(progress: PlanProgress): ServicePlanView['progress'] {
  const { tenantId: _t, planId: _p, planVersion: _v, through: _through, ...rest } = progress;
  return rest;
}

/** The agreement a plan is saved under must still be active when the save commits (not terminated meanwhile). */
const stillActive = (agreement: AgreementView): Unchanged => ({
  aggregate: 'service-agreement',
  tenantId: agreement.tenantId,
  id: agreement.id,
  status: 'active',
});

/** When a new plan first runs: at the lead time of its first occurrence, or now if that has passed. */
function firstRunOf(plan: ServicePlan, agreement: AgreementView, now: string): string | undefined {
  const [first] = take(seriesOf(plan, agreement), 1);
  if (!first) return undefined;
  return first.generateAt > now ? first.generateAt : now;
}

const pick = (plan: ServicePlan): Pick<ServicePlan, 'agreementLineId' | 'lineRuleId'> => ({
  ...(plan.agreementLineId ? { agreementLineId: plan.agreementLineId } : {}),
  ...(plan.lineRuleId ? { lineRuleId: plan.lineRuleId } : {}),
});
