import { authorize, can } from '../access/permissions';
import type { Principal } from '../access/principal';
import { type Page, type PageRequest, pageRequest } from '../shared/entity';
import { ConflictError, NotFoundError, ValidationError, VersionConflictError } from '../shared/errors';
import type { Claim } from '../shared/ports';
import { assertCanHandle } from '../work-orders/access';
import type { WorkOrderReader } from '../work-orders/find-work-orders';
import { assertHandleable } from '../work-orders/work-order';
import type { ConfirmationLine, ConsumptionConfirmation, StartConfirmationInput } from './confirmation';
import type { ConsumptionContext } from './consumption-context';
import { ConsumptionLockedError } from './errors';
import type { StoredConfirmation } from './ports';
import { MAX_SERVICE_PRODUCTS, type ServiceProduct } from './service-product';
import { serviceProductOf } from './spare-part';
import type { ApprovalTasks, ConfirmationWorkflow } from './workflow';

/** What a confirmation is shown as: never with the token its flow waits on. */
export function withoutToken({
  taskToken: _token,
  ...confirmation
}: StoredConfirmation): ConsumptionConfirmation {
  return confirmation;
}

const lineOf = (product: ServiceProduct): ConfirmationLine => ({
  serviceProductId: product.id,
  productId: product.productId,
  productCode: product.productCode,
  productName: product.productName,
  productKind: product.productKind,
  ...(product.serviceType ? { serviceType: product.serviceType } : {}),
  source: product.source,
  quantityUsed: product.quantityUsed,
  quantityToBill: product.quantityToBill,
  unitPrice: product.unitPrice,
});

/**
 * Confirming what was consumed on a work order: a person starts it, the
 * state machine prices and redeems it, a service manager approves or rejects
 * it with a signed-in POST (never a link: mail scanners open links before
 * people do), and approval bills it.
 */
export class ConsumptionConfirmations {
  constructor(
    private readonly ctx: ConsumptionContext,
    private readonly reader: WorkOrderReader,
    private readonly workflow: ConfirmationWorkflow,
    private readonly approvals: ApprovalTasks,
  ) {}

  /**
   * Snapshots the work order's unconfirmed service products (its recorded
   * spare parts become service products now), takes its consumption lock and
   * starts the flow under the confirmation's id. One open confirmation per
   * work order; a started one whose flow did not start is started again.
   */
  async start(
    principal: Principal,
    workOrderId: string,
    input: StartConfirmationInput,
    claims: readonly Claim[] = [],
  ): Promise<ConsumptionConfirmation> {
    authorize(principal, 'consumption:confirm');
    const workOrder = await this.reader.get(principal, workOrderId);
    await assertCanHandle(workOrder, this.reader.viewer(principal));
    assertHandleable(workOrder);
    const open = await this.ctx.serviceProducts.openConfirmation(principal.tenantId, workOrder.id);
    if (open) return this.resumeStart(principal, workOrder.id, open);
    if (!workOrder.accountId)
      throw new ConflictError(
        `Work order ${workOrder.number} has no account: there is nobody to bill or cover`,
        {
          reason: 'no-account',
        },
      );
    const serviceDate = input.serviceDate ?? this.ctx.today();
    if (serviceDate > this.ctx.today())
      throw new ValidationError('The work cannot have been done in the future', [
        { field: 'serviceDate', message: `${serviceDate} is after today (${this.ctx.today()})` },
      ]);
    const [products, parts] = await Promise.all([
      this.ctx.serviceProducts.serviceProducts(principal.tenantId, workOrder.id),
      this.ctx.serviceProducts.spareParts(principal.tenantId, workOrder.id),
    ]);
    const unconfirmed = products.filter((p) => !p.confirmedBy);
    const now = this.ctx.now();
    const conversions = parts
      .filter((use) => !use.serviceProductId)
      .map((use) => ({ use, product: serviceProductOf(use, now) }));
    const lines = [...unconfirmed, ...conversions.map((c) => c.product)].map(lineOf);
    if (lines.length === 0)
      throw new ConflictError(
        `Work order ${workOrder.number} has no unconfirmed service products or spare parts`,
        {
          reason: 'nothing-consumed',
        },
      );
    if (lines.length > MAX_SERVICE_PRODUCTS)
      throw new ConflictError(`A confirmation takes at most ${MAX_SERVICE_PRODUCTS} service products`, {
        limit: MAX_SERVICE_PRODUCTS,
      });
    const confirmation: ConsumptionConfirmation = {
      id: this.ctx.service.ids.next(),
      tenantId: principal.tenantId,
      version: 1,
      createdAt: now,
      updatedAt: now,
      workOrderId: workOrder.id,
      workOrderNumber: workOrder.number,
      serviceDate,
      requestedBy: principal.userId,
      status: 'started',
      lines,
      steps: [{ step: 'start', at: now, note: `${lines.length} service products to confirm` }],
    };
    await this.ctx.confirmations.startConfirmation(
      confirmation,
      { products: unconfirmed, conversions },
      {
        claims,
        record: this.ctx.record(
          workOrder.id,
          'consumption',
          principal,
          `Consumption confirmation ${confirmation.id} started`,
          { confirmationId: confirmation.id },
        ),
      },
    );
    await this.workflow.start({ tenantId: principal.tenantId, confirmationId: confirmation.id });
    return confirmation;
  }

  async get(principal: Principal, id: string): Promise<ConsumptionConfirmation> {
    const stored = await this.ctx.confirmations.confirmation(principal.tenantId, id);
    if (!stored) throw new NotFoundError('ConsumptionConfirmation', id);
    // Whoever may not read the work order does not see its confirmations either; those who approve see all.
    if (!can(principal, 'consumption:approve'))
      await this.reader.get(principal, stored.workOrderId).catch((error: unknown) => {
        throw error instanceof NotFoundError ? new NotFoundError('ConsumptionConfirmation', id) : error;
      });
    return withoutToken(stored);
  }

  async listForWorkOrder(
    principal: Principal,
    workOrderId: string,
    page: Partial<PageRequest>,
  ): Promise<Page<ConsumptionConfirmation>> {
    const workOrder = await this.reader.get(principal, workOrderId);
    return this.ctx.confirmations.confirmationsOf(principal.tenantId, workOrder.id, pageRequest(page));
  }

  approve(principal: Principal, id: string, reason?: string) {
    return this.decide(principal, id, 'approved', reason);
  }

  reject(principal: Principal, id: string, reason?: string) {
    return this.decide(principal, id, 'rejected', reason);
  }

  /**
   * Records a service manager's decision, then hands it to the waiting flow.
   * Approving is the tenant's service managers' back-office work: they
   * decide on every confirmation of the tenant, whoever's work order it is.
   * The same decision again hands it again (the first hand-over may have
   * been lost) and changes nothing else; the other decision is a 409.
   */
  private async decide(
    principal: Principal,
    id: string,
    decision: 'approved' | 'rejected',
    reason: string | undefined,
  ): Promise<ConsumptionConfirmation> {
    authorize(principal, 'consumption:approve');
    const stored = await this.ctx.confirmations.confirmation(principal.tenantId, id);
    if (!stored) throw new NotFoundError('ConsumptionConfirmation', id);
    if (stored.decision) {
      if (stored.decision.decision !== decision)
        throw new ConflictError(`Confirmation ${id} was ${stored.decision.decision} already`, {
          decision: stored.decision.decision,
        });
      if (stored.taskToken && stored.status === decision)
        await this.approvals.resume(stored.taskToken, stored.decision);
      return withoutToken(stored);
    }
    if (stored.status !== 'awaiting-approval' || !stored.taskToken)
      throw new ConflictError(
        `Confirmation ${id} is ${stored.status}: it can be approved or rejected once it awaits approval`,
        { status: stored.status },
      );
    const at = this.ctx.now();
    const made = { decision, by: principal.userId, at, ...(reason ? { reason } : {}) };
    const previous = withoutToken(stored);
    const next: ConsumptionConfirmation = {
      ...previous,
      status: decision,
      decision: made,
      version: previous.version + 1,
      updatedAt: at,
      steps: [
        ...previous.steps,
        { step: decision === 'approved' ? 'approve' : 'reject', at, note: reason ?? '' },
      ],
    };
    try {
      await this.ctx.confirmations.saveStep(previous, next, {
        taskToken: stored.taskToken,
        record: this.ctx.record(
          stored.workOrderId,
          'consumption',
          principal,
          `Consumption ${decision}${reason ? `: ${reason}` : ''}`,
          { confirmationId: id },
        ),
      });
    } catch (error) {
      // Two people (or one person twice) at the same moment: the same decision made by the other is this one.
      const now =
        error instanceof VersionConflictError
          ? await this.ctx.confirmations.confirmation(principal.tenantId, id)
          : undefined;
      if (now?.decision?.decision !== decision) throw error;
      return withoutToken(now);
    }
    const handed = await this.approvals.resume(stored.taskToken, made);
    if (handed === 'gone')
      throw new ConflictError(`Confirmation ${id} no longer waits for a decision (its wait ended)`, {
        reason: 'wait-ended',
      });
    return next;
  }

  /** The open confirmation asked for again: its flow is started again if it never began, and it is answered. */
  private async resumeStart(principal: Principal, workOrderId: string, id: string) {
    const stored = await this.ctx.confirmations.confirmation(principal.tenantId, id);
    if (stored?.status !== 'started') throw new ConsumptionLockedError(workOrderId, id);
    await this.workflow.start({ tenantId: principal.tenantId, confirmationId: id });
    return withoutToken(stored);
  }
}
