import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type ApprovalDecision,
  type ApprovalTasks,
  type ConsumptionStep,
  type StepEvent,
  stepEvent,
} from '../../functions/domain/consumption/workflow';
import { MovableClock } from '../../local/scheduler/local-scheduler';
import {
  CONSUMPTION_STEPS_FUNCTION,
  consumptionBillingLocally,
  localConfirmationWorkflow,
} from '../../local/workflows/consumption-billing-locally';
import type { LocalStateMachine, LocalStateMachineOptions } from '../../local/workflows/local-state-machine';

/**
 * The real consumption-billing ASL run by the local runner, its steps
 * function replaced by fakes that record every call: each path through the
 * flow, and what the runner owes the callers of Step Functions.
 */

const input = { tenantId: 'acme', confirmationId: '01KQ00000000000000000000C1' };
const approved: ApprovalDecision = { decision: 'approved', by: 'manager', at: '2026-12-01T09:00:00.000Z' };
const rejected: ApprovalDecision = {
  decision: 'rejected',
  by: 'manager',
  at: '2026-12-01T09:00:00.000Z',
  reason: 'Not done yet',
};
const SEVEN_DAYS_MS = 7 * 24 * 3600 * 1000;

type Fake = (event: StepEvent) => unknown;

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

const machines: LocalStateMachine[] = [];
afterEach(async () => {
  await Promise.all(machines.splice(0).map((machine) => machine.stop()));
  vi.restoreAllMocks();
});

/** From now on, the timers and intervals set and neither cleared nor fired, as `kind delay` (long timeouts only). */
function pendingTimers(): () => string[] {
  const setTimer = vi.spyOn(globalThis, 'setTimeout');
  const clearTimer = vi.spyOn(globalThis, 'clearTimeout');
  const setRepeat = vi.spyOn(globalThis, 'setInterval');
  const clearRepeat = vi.spyOn(globalThis, 'clearInterval');
  return () => {
    const cleared = new Set([...clearTimer.mock.calls, ...clearRepeat.mock.calls].map(([handle]) => handle));
    // Shorter timeouts may have fired; a timeout of a minute or more has not, in a unit test.
    const timeouts = setTimer.mock.calls.flatMap(([, delay = 0], i) =>
      delay >= 60_000 && !cleared.has(setTimer.mock.results[i]?.value) ? [`timeout ${delay}`] : [],
    );
    const intervals = setRepeat.mock.calls.flatMap(([, delay = 0], i) =>
      cleared.has(setRepeat.mock.results[i]?.value) ? [] : [`interval ${delay}`],
    );
    return [...timeouts, ...intervals];
  };
}

/** The machine with fake steps: `fakes` say what a step does (nothing, by default). */
function flow(
  fakes: Partial<Record<ConsumptionStep, Fake>> = {},
  options: Partial<Omit<LocalStateMachineOptions, 'definition' | 'invoke'>> = {},
) {
  const calls: { functionName: string; event: StepEvent }[] = [];
  const machine = consumptionBillingLocally({
    clock: new MovableClock(),
    pollIntervalMs: 5,
    ...options,
    invoke: async (functionName, payload) => {
      // Parsing is the contract check: a payload the ASL builds wrongly fails the step.
      const event = stepEvent.parse(payload);
      calls.push({ functionName, event });
      return fakes[event.step]?.(event);
    },
  });
  machines.push(machine);
  const steps = () => calls.map((call) => call.event.step);
  const parked = async () =>
    vi.waitFor(() => {
      const event = calls.find((call) => call.event.step === 'await-approval')?.event;
      if (event?.step !== 'await-approval') throw new Error('Not parked yet');
      return event.taskToken;
    });
  const release = () => calls.find((call) => call.event.step === 'release')?.event;
  return { machine, calls, steps, parked, release };
}

describe('the consumption-billing flow run locally', () => {
  it('bills an approved consumption: validate, redeem, park, apply the billing rules, create the order', async () => {
    // Prepare
    const { machine, calls, steps, parked } = flow();
    await machine.start(input.confirmationId, input);
    const token = await parked();

    // Act
    const resumed = await machine.resume(token, approved);
    const end = await machine.whenEnded(input.confirmationId);

    // Assess
    expect(resumed).toBe('resumed');
    expect(steps()).toEqual(['validate', 'redeem', 'await-approval', 'apply-billing-rules', 'create-order']);
    expect(calls.every((call) => call.functionName === CONSUMPTION_STEPS_FUNCTION)).toBe(true);
    expect(calls.map((call) => call.event)).toContainEqual({ ...input, step: 'create-order' });
    expect(end).toMatchObject({ status: 'SUCCEEDED', output: { ...input, decision: approved } });
    expect(machine.describe(input.confirmationId)?.status).toBe('SUCCEEDED');
  });

  it('releases a rejected consumption and ends as Rejected, a success with nothing billed', async () => {
    // Prepare
    const { machine, steps, parked, release } = flow();
    await machine.start(input.confirmationId, input);

    // Act
    await machine.resume(await parked(), rejected);
    const end = await machine.whenEnded(input.confirmationId);

    // Assess
    expect(steps()).toEqual(['validate', 'redeem', 'await-approval', 'release']);
    expect(release()).toEqual({ ...input, step: 'release', outcome: 'rejected' });
    expect(end.status).toBe('SUCCEEDED');
  });

  it('times the approval out on the local clock after seven days, releases, and fails as ApprovalTimedOut', async () => {
    // Prepare: count the clock's reads, to know the waiting task has looked at it since it was moved
    const movable = new MovableClock();
    let reads = 0;
    const clock = {
      now: () => {
        reads++;
        return movable.now();
      },
    };
    const { machine, steps, parked, release } = flow({}, { clock });
    await machine.start(input.confirmationId, input);
    const token = await parked();
    const startedAt = movable.now().getTime();

    // Act: a minute short of seven days, then past them
    movable.moveTo(new Date(startedAt + SEVEN_DAYS_MS - 60_000));
    const readsBefore = reads;
    await vi.waitFor(() => {
      if (machine.describe(input.confirmationId)?.status === 'RUNNING') {
        expect(reads).toBeGreaterThan(readsBefore + 2);
      }
    });
    const stillWaiting = machine.describe(input.confirmationId)?.status;
    movable.moveTo(new Date(startedAt + SEVEN_DAYS_MS + 1000));
    const end = await machine.whenEnded(input.confirmationId);

    // Assess
    expect(stillWaiting).toBe('RUNNING');
    expect(steps()).toEqual(['validate', 'redeem', 'await-approval', 'release']);
    expect(release()).toMatchObject({
      ...input,
      step: 'release',
      outcome: 'timed-out',
      failure: { Error: 'States.Timeout' },
    });
    expect(end).toMatchObject({ status: 'FAILED', error: 'ApprovalTimedOut' });
    expect(await machine.resume(token, approved)).toBe('gone');
  });

  it('does not retry a refused step, releases, and fails as ConsumptionFailed naming the refusal', async () => {
    // Prepare: retries without back-off, so a retry of the refusal would show as a second call
    const { machine, steps, release } = flow(
      {
        redeem: () => {
          throw named('ConsumptionRefused', 'The work order was voided');
        },
      },
      { retryIntervalMs: 0 },
    );

    // Act
    await machine.start(input.confirmationId, input);
    const end = await machine.whenEnded(input.confirmationId);

    // Assess
    expect(steps()).toEqual(['validate', 'redeem', 'release']);
    const released = release();
    expect(released).toMatchObject({ outcome: 'failed', failure: { Error: 'ConsumptionRefused' } });
    // The cause is Lambda's report of the function error, as in AWS
    const cause = released?.step === 'release' ? released.failure?.Cause : undefined;
    expect(JSON.parse(cause ?? '{}')).toMatchObject({
      errorType: 'ConsumptionRefused',
      errorMessage: 'The work order was voided',
    });
    expect(end).toMatchObject({ status: 'FAILED', error: 'ConsumptionFailed' });
  });

  it('retries a step that failed on a transient error and goes on with the flow', async () => {
    // Prepare
    let failures = 1;
    const { machine, steps, parked } = flow(
      {
        'apply-billing-rules': () => {
          if (failures-- > 0) throw named('ProvisionedThroughputExceededException', 'Throttled');
        },
      },
      { retryIntervalMs: 1 },
    );
    await machine.start(input.confirmationId, input);

    // Act
    await machine.resume(await parked(), approved);
    const end = await machine.whenEnded(input.confirmationId);

    // Assess
    expect(steps()).toEqual([
      'validate',
      'redeem',
      'await-approval',
      'apply-billing-rules',
      'apply-billing-rules',
      'create-order',
    ]);
    expect(end.status).toBe('SUCCEEDED');
  });

  it('fails the execution with the error of a release that keeps failing once its retries are spent', async () => {
    // Prepare
    const { machine, steps } = flow(
      {
        validate: () => {
          throw named('ConsumptionRefused', 'No service products');
        },
        release: () => {
          throw named('ReleaseBroken', 'The table is gone');
        },
      },
      { retryIntervalMs: 0 },
    );

    // Act
    await machine.start(input.confirmationId, input);
    const end = await machine.whenEnded(input.confirmationId);

    // Assess: the first try and its eight retries
    expect(steps()).toEqual(['validate', ...Array(9).fill('release')]);
    expect(end).toMatchObject({ status: 'FAILED', error: 'ReleaseBroken' });
    expect(JSON.parse(end.cause ?? '{}')).toMatchObject({ errorMessage: 'The table is gone' });
  });

  it('parks again with a new token when invoking the parking step was throttled, the old token gone', async () => {
    // Prepare
    let throttles = 1;
    const { machine, calls, steps } = flow(
      {
        'await-approval': () => {
          if (throttles-- > 0) throw named('Lambda.TooManyRequestsException', 'Rate exceeded');
        },
      },
      { retryIntervalMs: 0 },
    );
    await machine.start(input.confirmationId, input);
    const [first, second] = await vi.waitFor(() => {
      const tokens = calls.flatMap((call) =>
        call.event.step === 'await-approval' ? [call.event.taskToken] : [],
      );
      expect(tokens).toHaveLength(2);
      return tokens;
    });

    // Act
    const answers = [
      await machine.resume(first ?? '', approved),
      await machine.resume(second ?? '', approved),
    ];
    const end = await machine.whenEnded(input.confirmationId);

    // Assess
    expect(first).not.toBe(second);
    expect(answers).toEqual(['gone', 'resumed']);
    expect(steps()).toEqual([
      'validate',
      'redeem',
      'await-approval',
      'await-approval',
      'apply-billing-rules',
      'create-order',
    ]);
    expect(end.status).toBe('SUCCEEDED');
  });

  it('releases after a refusal sent for the token, as SendTaskFailure would, without parking again', async () => {
    // Prepare
    const { machine, steps, parked, release } = flow();
    await machine.start(input.confirmationId, input);

    // Act
    // Any other error of the wait is the parking call's, and retried: a refusal ends the wait at once.
    const answer = await machine.fail(await parked(), 'ConsumptionRefused', 'The confirmation was withdrawn');
    const end = await machine.whenEnded(input.confirmationId);

    // Assess
    expect(answer).toBe('resumed');
    expect(steps()).toEqual(['validate', 'redeem', 'await-approval', 'release']);
    expect(release()).toMatchObject({
      outcome: 'failed',
      failure: { Error: 'ConsumptionRefused', Cause: 'The confirmation was withdrawn' },
    });
    expect(end).toMatchObject({ status: 'FAILED', error: 'ConsumptionFailed' });
  });
});

describe('starting and answering executions locally', () => {
  it('runs one execution per name: the same input again starts nothing, while it runs or after', async () => {
    // Prepare
    const { machine, steps, parked } = flow();
    const workflow = localConfirmationWorkflow(machine);

    // Act
    await workflow.start(input);
    await machine.start(input.confirmationId, {
      confirmationId: input.confirmationId,
      tenantId: input.tenantId,
    });
    await machine.resume(await parked(), approved);
    await machine.whenEnded(input.confirmationId);
    await workflow.start(input);

    // Assess
    expect(steps().filter((step) => step === 'validate')).toHaveLength(1);
    expect(machine.executions().map((execution) => execution.name)).toEqual([input.confirmationId]);
  });

  it('refuses another input under a name that ran already, and leaves that execution be', async () => {
    // Prepare
    const { machine, steps } = flow();
    await machine.start(input.confirmationId, input);

    // Act
    const refusal = machine.start(input.confirmationId, { ...input, tenantId: 'globex' });

    // Assess
    await expect(refusal).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    await vi.waitFor(() => expect(steps()).toContain('await-approval'));
    expect(machine.executions()).toHaveLength(1);
    expect(machine.describe(input.confirmationId)).toMatchObject({ status: 'RUNNING', input });
  });

  it('refuses a name Step Functions would refuse', async () => {
    // Prepare
    const { machine } = flow();

    // Act
    const refusal = machine.start('acme/01KQ00000000000000000000C1', input);

    // Assess
    await expect(refusal).rejects.toMatchObject({ name: 'InvalidName' });
    expect(machine.describe('acme/01KQ00000000000000000000C1')).toBeUndefined();
  });

  it('tells a token nothing waits on as gone: unknown, or answered already', async () => {
    // Prepare
    const { machine, steps, parked } = flow();
    const tasks: ApprovalTasks = machine;
    await machine.start(input.confirmationId, input);
    const token = await parked();

    // Act
    const unknown = await tasks.resume('not-a-token', approved);
    const first = await tasks.resume(token, approved);
    const second = await tasks.resume(token, rejected);
    const end = await machine.whenEnded(input.confirmationId);

    // Assess
    expect([unknown, first, second]).toEqual(['gone', 'resumed', 'gone']);
    expect(end).toMatchObject({ status: 'SUCCEEDED', output: { decision: approved } });
    expect(steps().filter((step) => step === 'apply-billing-rules')).toHaveLength(1);
  });

  it('gives each execution a token of its own, answering one leaves the other waiting', async () => {
    // Prepare
    const { machine, calls } = flow();
    const other = { ...input, confirmationId: '01KQ00000000000000000000C2' };
    await machine.start(input.confirmationId, input);
    await machine.start(other.confirmationId, other);
    const tokens = await vi.waitFor(() => {
      const parkedTokens = calls.flatMap((call) =>
        call.event.step === 'await-approval' ? [call.event] : [],
      );
      expect(parkedTokens).toHaveLength(2);
      return parkedTokens;
    });
    const first = tokens.find((event) => event.confirmationId === input.confirmationId);

    // Act
    await machine.resume(first?.taskToken ?? '', rejected);
    await machine.whenEnded(input.confirmationId);

    // Assess
    expect(new Set(tokens.map((event) => event.taskToken)).size).toBe(2);
    expect(machine.describe(other.confirmationId)?.status).toBe('RUNNING');
  });

  it('stops every execution, a waiting one and one backing off a retry, and leaves no timer behind', async () => {
    // Prepare: the ASL's own back-off (no override) for the validation that keeps failing
    const timers = pendingTimers();
    const failing = { ...input, confirmationId: '01KQ00000000000000000000C3' };
    const ended: string[] = [];
    const { machine, steps, parked } = flow(
      {
        validate: (event) => {
          if (event.confirmationId === failing.confirmationId) throw named('Throttled', 'Try later');
        },
      },
      { onEnd: (description) => ended.push(`${description.name} ${description.status}`) },
    );
    await machine.start(input.confirmationId, input);
    await machine.start(failing.confirmationId, failing);
    const token = await parked();
    const callsBefore = steps().length;
    const timersWhileWaiting = timers();

    // Act
    await machine.stop();
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect(machine.executions().map((execution) => execution.status)).toEqual(['ABORTED', 'ABORTED']);
    expect(ended.sort()).toEqual([`${input.confirmationId} ABORTED`, `${failing.confirmationId} ABORTED`]);
    expect(await machine.resume(token, approved)).toBe('gone');
    await expect(machine.start('01KQ00000000000000000000C4', input)).rejects.toThrow(/stopped/);
    expect(steps()).toHaveLength(callsBefore);
    // The interpreter's seven-day timer of the waiting task, and the runner's poll of the clock
    expect(timersWhileWaiting).toEqual(expect.arrayContaining([`timeout ${SEVEN_DAYS_MS}`, 'interval 5']));
    expect(timers()).toEqual([]);
  });
});
