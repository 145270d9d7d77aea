import {
  ExecutionAlreadyExists,
  ExecutionLimitExceeded,
  InvalidOutput,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  StepFunctionsApprovalTasks,
  StepFunctionsConfirmationWorkflow,
} from '../../functions/adapters/stepfunctions/confirmation-workflow';
import type { ApprovalDecision } from '../../functions/domain/consumption/workflow';

const sfn = mockClient(SFNClient);

const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:ConsumptionBilling';
const confirmation = { tenantId: 'acme', confirmationId: '01KQ0000000000000000000042' };
const decision: ApprovalDecision = {
  decision: 'approved',
  by: 'manager1',
  at: '2026-12-01T09:00:00.000Z',
  reason: 'Checked on site',
};
const metadata = { $metadata: {} };

const workflow = () =>
  new StepFunctionsConfirmationWorkflow(new SFNClient({ region: 'eu-west-1' }), STATE_MACHINE_ARN);
const approvals = () => new StepFunctionsApprovalTasks(new SFNClient({ region: 'eu-west-1' }));

beforeEach(() => sfn.reset());

describe('StepFunctionsConfirmationWorkflow', () => {
  it('starts an execution of the state machine named by the confirmation, with the confirmation as input', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution', startDate: new Date() });

    // Act
    await workflow().start(confirmation);

    // Assess
    const calls = sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.stateMachineArn).toBe(STATE_MACHINE_ARN);
    expect(input?.name).toBe(confirmation.confirmationId);
    expect(JSON.parse(input?.input ?? 'null')).toEqual(confirmation);
  });

  it('sends the same input for the same confirmation, whatever else the object it is given carries', async () => {
    // Prepare
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution', startDate: new Date() });
    const carrying = { ...confirmation, workOrderId: 'wo-7' };

    // Act
    await workflow().start(carrying);
    await workflow().start({ confirmationId: confirmation.confirmationId, tenantId: confirmation.tenantId });

    // Assess
    const inputs = sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.input);
    expect(inputs[0]).toBe(JSON.stringify(confirmation));
    expect(inputs[1]).toBe(inputs[0]);
  });

  it('takes an execution that already exists for the confirmation as started', async () => {
    // Prepare
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', ...metadata }));

    // Act / Assess
    await expect(workflow().start(confirmation)).resolves.toBeUndefined();
  });

  it.each([
    [
      'a missing state machine',
      new StateMachineDoesNotExist({ message: 'State Machine Does Not Exist', ...metadata }),
    ],
    [
      'too many running executions',
      new ExecutionLimitExceeded({ message: 'Execution Limit Exceeded', ...metadata }),
    ],
    ['any other failure', new Error('socket hang up')],
  ])('throws on %s', async (_case, error) => {
    // Prepare
    sfn.on(StartExecutionCommand).rejects(error);

    // Act / Assess
    await expect(workflow().start(confirmation)).rejects.toBe(error);
  });
});

describe('StepFunctionsApprovalTasks', () => {
  it('hands the decision to the waiting step as its output', async () => {
    // Prepare
    sfn.on(SendTaskSuccessCommand).resolves({});

    // Act
    const outcome = await approvals().resume('token-1', decision);

    // Assess
    expect(outcome).toBe('resumed');
    const calls = sfn.commandCalls(SendTaskSuccessCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.taskToken).toBe('token-1');
    expect(JSON.parse(calls[0]?.args[0].input.output ?? 'null')).toEqual(decision);
  });

  it.each([
    ['timed out (or answered before)', new TaskTimedOut({ message: 'Task Timed Out', ...metadata })],
    ['not a token Step Functions knows', new InvalidToken({ message: 'Invalid Token', ...metadata })],
    [
      'of a task that no longer exists',
      new TaskDoesNotExist({ message: 'Task Does Not Exist', ...metadata }),
    ],
  ])('answers gone when the token is %s', async (_case, error) => {
    // Prepare
    sfn.on(SendTaskSuccessCommand).rejects(error);

    // Act / Assess
    await expect(approvals().resume('token-1', decision)).resolves.toBe('gone');
  });

  it.each([
    ['an output Step Functions refuses', new InvalidOutput({ message: 'Invalid Output', ...metadata })],
    ['any other failure', new Error('socket hang up')],
  ])('throws on %s', async (_case, error) => {
    // Prepare
    sfn.on(SendTaskSuccessCommand).rejects(error);

    // Act / Assess
    await expect(approvals().resume('token-1', decision)).rejects.toBe(error);
  });
});
