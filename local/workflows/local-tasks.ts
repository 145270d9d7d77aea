import type { RunOptions, StateMachine } from 'aws-local-stepfunctions';
import type { Clock } from '../../functions/shared/clock';
import type { LocalTask } from './local-definition';
import { namedError, newTaskToken, type TaskTokens } from './task-tokens';

/** Calls a function by its local name, as Lambda's Invoke would: resolves with its result, rejects with its error. */
export type FunctionInvoker = (functionName: string, payload: unknown) => Promise<unknown>;

export type JSONValue = Parameters<StateMachine['run']>[0];
export type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

/** The Context Object's `Task` of one execution: the interpreter reads `$$.Task.Token` from this very object. */
export interface ContextTask {
  Token: string;
}

/** Ends a stopped execution's task: neither retried nor caught, as nothing runs after StopExecution. */
export class ExecutionStopped extends Error {
  override readonly name = 'ExecutionStopped';
  readonly isRetryable = false;
  readonly isCatchable = false;
}

/**
 * What the interpreter runs for each Task state of one execution: a call of
 * the state's function, or for `.waitForTaskToken` a call that parks the
 * token and then the wait for its answer. Every one ends when the execution
 * is stopped.
 */
export class LocalTasks {
  constructor(
    private readonly tasks: ReadonlyMap<string, LocalTask>,
    private readonly invoke: FunctionInvoker,
    private readonly clock: Clock,
    private readonly tokens: TaskTokens,
  ) {}

  handlers(task: ContextTask, stopping: AbortSignal): TaskHandlers {
    return Object.fromEntries(
      [...this.tasks].map(([stateName, local]) => [
        stateName,
        local.kind === 'function'
          ? (input: JSONValue) => this.call(local.functionName, input, stopping)
          : (input: JSONValue) => this.waitForTaskToken(local.timeoutSeconds, input, task, stopping),
      ]),
    );
  }

  /**
   * A function's result as Lambda hands it over (JSON), its error as Step
   * Functions reports it: named by the error, Lambda's JSON of it as the cause.
   */
  private async call(functionName: string, payload: unknown, stopping: AbortSignal): Promise<JSONValue> {
    // A retry after a stop would otherwise invoke again: the interpreter's back-off ends early on abort.
    if (stopping.aborted) throw new ExecutionStopped();
    const invoked = (async () => this.invoke(functionName, payload))().catch((error: unknown) => {
      throw functionError(error);
    });
    const result = await unlessStopped(invoked, stopping);
    return JSON.parse(JSON.stringify(result ?? null)) as JSONValue;
  }

  /** `lambda:invoke.waitForTaskToken`: the function parks the token; the answer to it is the task's result. */
  private async waitForTaskToken(
    timeoutSeconds: number | undefined,
    input: JSONValue,
    task: ContextTask,
    stopping: AbortSignal,
  ): Promise<JSONValue> {
    const token = task.Token;
    const { FunctionName, Payload } = (input ?? {}) as { FunctionName?: unknown; Payload?: unknown };
    if (typeof FunctionName !== 'string') {
      throw namedError('States.Runtime', 'Parameters.FunctionName is not a string');
    }
    // The timeout runs from when the task starts, the invocation included.
    const deadline =
      timeoutSeconds === undefined ? undefined : new Date(this.clock.now().getTime() + timeoutSeconds * 1000);
    try {
      // Waiting before invoking: the answer may come while the function still runs.
      const answered = this.tokens.wait(token, deadline);
      const invoked = this.call(FunctionName, Payload ?? null, stopping).then(
        () => answered,
        (error: unknown) => {
          // A failed invocation fails the task, unless the token was answered first.
          if (this.tokens.cancel(token)) throw error;
          return answered;
        },
      );
      return (await Promise.race([answered, invoked])) as JSONValue;
    } finally {
      // Each task attempt gets its own token in AWS: an answer to this one never reaches a later one.
      task.Token = newTaskToken();
    }
  }
}

function functionError(error: unknown): Error {
  const thrown = error instanceof Error ? error : new Error(String(error));
  const cause = {
    errorType: thrown.name,
    errorMessage: thrown.message,
    trace: thrown.stack?.split('\n') ?? [],
  };
  return namedError(thrown.name, JSON.stringify(cause));
}

function unlessStopped<T>(promise: Promise<T>, stopping: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const stop = () => reject(new ExecutionStopped());
    if (stopping.aborted) {
      stop();
      return;
    }
    stopping.addEventListener('abort', stop, { once: true });
    promise.then(resolve, reject).finally(() => stopping.removeEventListener('abort', stop));
  });
}
