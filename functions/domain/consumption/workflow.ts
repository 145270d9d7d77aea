import * as z from 'zod/mini';

/**
 * The consumption-then-billing flow as the state machine runs it
 * (lib/state-machines/consumption-billing.asl.json): every step is one call
 * of the steps function with the confirmation it works on; the steps keep
 * their state on the confirmation, so the flow's own payload stays small and
 * a retried step finds what its first try did.
 */
export const CONSUMPTION_STEPS = [
  'validate',
  'redeem',
  'await-approval',
  'apply-billing-rules',
  'create-order',
  'release',
] as const;
export type ConsumptionStep = (typeof CONSUMPTION_STEPS)[number];

/** What a release follows: a person's rejection, no decision in time, or a failed step. */
export const RELEASE_OUTCOMES = ['rejected', 'timed-out', 'failed'] as const;
export type ReleaseOutcome = (typeof RELEASE_OUTCOMES)[number];

/**
 * The name of the error a step throws when the flow cannot go on for a
 * reason retrying does not change (the work order was voided, a billing
 * order cannot be made): the state machine retries every other error and
 * never this one.
 */
export const STEP_REFUSED = 'ConsumptionRefused';

/** The execution's input: which confirmation it runs. */
export const executionInput = z.object({ tenantId: z.string(), confirmationId: z.string() });
export type ExecutionInput = z.infer<typeof executionInput>;

/** What a person decided, as the waiting step hands it to the flow. */
export const approvalDecision = z.object({
  decision: z.enum(['approved', 'rejected']),
  by: z.string(),
  at: z.string(),
  reason: z.optional(z.string()),
});
export type ApprovalDecision = z.infer<typeof approvalDecision>;

/** The error a caught step left on the execution's state (`Catch` with `ResultPath: $.failure`). */
export const stepFailure = z.object({ Error: z.string(), Cause: z.optional(z.string()) });

/** One call of the steps function: the step, the confirmation, and what that step is handed. */
export const stepEvent = z.discriminatedUnion('step', [
  z.extend(executionInput, { step: z.literal('validate') }),
  z.extend(executionInput, { step: z.literal('redeem') }),
  z.extend(executionInput, {
    step: z.literal('await-approval'),
    taskToken: z.string().check(z.minLength(1)),
  }),
  z.extend(executionInput, { step: z.literal('apply-billing-rules') }),
  z.extend(executionInput, { step: z.literal('create-order') }),
  z.extend(executionInput, {
    step: z.literal('release'),
    outcome: z.enum(RELEASE_OUTCOMES),
    failure: z.optional(stepFailure),
  }),
]);
export type StepEvent = z.infer<typeof stepEvent>;

/** Starts the flow of a confirmation: Step Functions in AWS, the local interpreter locally. */
export interface ConfirmationWorkflow {
  /**
   * The confirmation id is the execution name: starting the same confirmation
   * again starts nothing new and is not an error.
   */
  start(input: ExecutionInput): Promise<void>;
}

/** Hands a person's decision to the flow waiting on a task token. */
export interface ApprovalTasks {
  /**
   * `resumed` when the waiting step took it; `gone` when nothing waits on the
   * token any more (it was answered before, it timed out, or the execution ended).
   */
  resume(taskToken: string, decision: ApprovalDecision): Promise<'resumed' | 'gone'>;
}
