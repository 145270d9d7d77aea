import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type {
  ApprovalDecision,
  ApprovalTasks,
  ConfirmationWorkflow,
  ExecutionInput,
} from '../../domain/consumption/workflow';

/**
 * One execution of the consumption-billing state machine per confirmation,
 * named by the confirmation id. Step Functions keeps a Standard execution's
 * name for 90 days: starting a running execution again with the same input
 * returns it, and starting one that has ended is refused as ExecutionAlreadyExists.
 */
export class StepFunctionsConfirmationWorkflow implements ConfirmationWorkflow {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start({ tenantId, confirmationId }: ExecutionInput): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: confirmationId,
          // Only the two fields, whatever else the caller's object carries: the input is then the same
          // on every start of a confirmation, which is what makes a repeated start idempotent.
          input: JSON.stringify({ tenantId, confirmationId }),
        }),
      );
    } catch (error) {
      // The name is the confirmation's id, unique to it: an execution of that name is this
      // confirmation's, started before (and perhaps ended since).
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }
}

/** Hands a person's decision to the step waiting on its task token. */
export class StepFunctionsApprovalTasks implements ApprovalTasks {
  constructor(private readonly client: SFNClient) {}

  async resume(taskToken: string, decision: ApprovalDecision): Promise<'resumed' | 'gone'> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(decision) }));
      return 'resumed';
    } catch (error) {
      // Answered before, timed out, or its execution ended: nothing waits on the token any more.
      if (
        error instanceof TaskTimedOut ||
        error instanceof InvalidToken ||
        error instanceof TaskDoesNotExist
      ) {
        return 'gone';
      }
      throw error;
    }
  }
}
