import { ConflictError } from '../shared/errors';

/** A work order's consumption is being confirmed: its service products and spare parts wait for the outcome. */
export class ConsumptionLockedError extends ConflictError {
  constructor(
    readonly workOrderId: string,
    readonly confirmationId: string | undefined,
  ) {
    super(
      `The consumption of work order ${workOrderId} is being confirmed${confirmationId ? ` (${confirmationId})` : ''}: wait for it to be confirmed or released`,
      { confirmationId },
    );
  }
}

/** A counted line had fewer units left than a redemption asked for: priced again from the fresh count. */
export class RedemptionRefusedError extends ConflictError {
  constructor(
    readonly agreementId: string,
    readonly lineId: string,
  ) {
    super(`Line ${lineId} of agreement ${agreementId} has fewer units left than asked`, {
      agreementId,
      lineId,
    });
  }
}

/**
 * A step that cannot go on for a reason that retrying does not change (the
 * work order was voided, the order would have two currencies): the flow
 * releases what it redeemed and ends failed, naming this reason.
 */
export class StepRefusal extends ConflictError {}
