import type { StateMachineDefinition } from 'aws-local-stepfunctions';

export const WAIT_FOR_TASK_TOKEN = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** What a Task state does locally. */
export type LocalTask =
  /** `Resource` names the function; the state's effective input is its payload. */
  | { kind: 'function'; functionName: string }
  /** Invokes `Parameters.FunctionName` with `Parameters.Payload`, then waits for the task token. */
  | { kind: 'wait-for-task-token'; timeoutSeconds: number | undefined };

/**
 * The longest timer Node keeps: a longer one fires after 1 ms instead, so a
 * timeout above it handed to the interpreter would fail the task at once.
 */
const LONGEST_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * The definition as the interpreter gets it, and what each Task state does.
 * What the interpreter would run differently from AWS is refused here rather
 * than left to diverge at run time.
 */
export function localDefinition(definition: StateMachineDefinition): {
  definition: StateMachineDefinition;
  tasks: Map<string, LocalTask>;
} {
  const copy = structuredClone(definition);
  const tasks = new Map<string, LocalTask>();
  if (copy.TimeoutSeconds !== undefined)
    copy.TimeoutSeconds = Math.min(copy.TimeoutSeconds, LONGEST_TIMER_SECONDS);
  for (const [name, state] of Object.entries(copy.States)) {
    // Nested machines would share the execution's one Context Object, and with it the task token.
    if (state.Type === 'Map' || state.Type === 'Parallel') {
      throw new Error(`${name}: ${state.Type} states are not run locally`);
    }
    if (state.Type !== 'Task') continue;
    if (
      state.TimeoutSecondsPath !== undefined ||
      'HeartbeatSeconds' in state ||
      'HeartbeatSecondsPath' in state
    ) {
      throw new Error(`${name}: TimeoutSecondsPath and heartbeats are not run locally`);
    }
    if (state.Resource === WAIT_FOR_TASK_TOKEN) {
      // The interpreter excludes only its own timeout error from States.TaskFailed, not the one raised here.
      const matchers = [...(state.Retry ?? []), ...(state.Catch ?? [])].flatMap((rule) => rule.ErrorEquals);
      if (matchers.includes('States.TaskFailed')) {
        throw new Error(`${name}: States.TaskFailed is not matched as in AWS on a waiting task locally`);
      }
      tasks.set(name, { kind: 'wait-for-task-token', timeoutSeconds: state.TimeoutSeconds });
      // The clock decides the timeout; the interpreter's real-time timer stays as a backstop, and is
      // set even without TimeoutSeconds, which AWS reads as no limit and the interpreter as 60 s.
      state.TimeoutSeconds = Math.min(state.TimeoutSeconds ?? LONGEST_TIMER_SECONDS, LONGEST_TIMER_SECONDS);
    } else if (state.Resource.startsWith('arn:aws:states:::')) {
      throw new Error(`${name}: the service integration ${state.Resource} is not run locally`);
    } else {
      tasks.set(name, { kind: 'function', functionName: state.Resource });
      if (state.TimeoutSeconds !== undefined) {
        state.TimeoutSeconds = Math.min(state.TimeoutSeconds, LONGEST_TIMER_SECONDS);
      }
    }
  }
  return { definition: copy, tasks };
}
