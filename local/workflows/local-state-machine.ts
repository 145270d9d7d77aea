import {
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import type { Clock } from '../../functions/shared/clock';
import { localDefinition } from './local-definition';
import {
  type ContextTask,
  ExecutionStopped,
  type FunctionInvoker,
  type JSONValue,
  LocalTasks,
} from './local-tasks';
import { namedError, newTaskToken, TaskTokens } from './task-tokens';

export type { FunctionInvoker } from './local-tasks';

/** Step Functions' execution statuses. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** What DescribeExecution tells of an execution. */
export interface ExecutionDescription {
  name: string;
  executionArn: string;
  status: ExecutionStatus;
  input: unknown;
  startDate: Date;
  stopDate?: Date;
  /** When it SUCCEEDED. */
  output?: unknown;
  /** When it FAILED: the Fail state's or the uncaught error's name and cause. */
  error?: string;
  cause?: string;
}

export interface LocalStateMachineOptions {
  /** The ASL, its placeholders already filled with local names. */
  definition: StateMachineDefinition;
  invoke: FunctionInvoker;
  /** Decides when a waiting task times out. */
  clock: Clock;
  /** The state machine's name in execution ARNs. Default `local`. */
  name?: string;
  /** How often waiting tasks read the clock. Default 200 ms. */
  pollIntervalMs?: number;
  /** Replaces every retrier's back-off; none: the ASL's own intervals, jitter included. */
  retryIntervalMs?: number;
  onEnd?: (description: ExecutionDescription) => void;
}

interface Execution {
  description: ExecutionDescription;
  /** The input as compared when the same name is started again. */
  inputKey: string;
  stopping: AbortController;
  abort: () => void;
  ended: Promise<ExecutionDescription>;
}

/** What StartExecution accepts as a name (1 to 80 characters, none of these). */
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;

/**
 * A Standard state machine run by aws-local-stepfunctions: executions by
 * name, every Task calling a local function, `.waitForTaskToken` tasks
 * answered through `resume` and `fail` and timed out by the clock.
 */
export class LocalStateMachine {
  private readonly machine: StateMachine;
  private readonly tasks: LocalTasks;
  private readonly tokens: TaskTokens;
  private readonly runs = new Map<string, Execution>();
  private readonly retryIntervalOverrides: Record<string, number> | undefined;
  private readonly machineName: string;
  private stopped = false;

  constructor(private readonly options: LocalStateMachineOptions) {
    const local = localDefinition(options.definition);
    // Local resources are function names, not ARNs.
    this.machine = new StateMachine(local.definition, { validationOptions: { checkArn: false } });
    this.tokens = new TaskTokens(options.clock, options.pollIntervalMs ?? 200);
    this.tasks = new LocalTasks(local.tasks, options.invoke, options.clock, this.tokens);
    this.machineName = options.name ?? 'local';
    const { retryIntervalMs } = options;
    this.retryIntervalOverrides =
      retryIntervalMs === undefined
        ? undefined
        : Object.fromEntries(Object.keys(local.definition.States).map((name) => [name, retryIntervalMs]));
  }

  /**
   * StartExecution of a Standard workflow: resolves once the execution is
   * running. The same name again with the same input starts nothing; with
   * another input it is refused (ExecutionAlreadyExists).
   */
  async start(name: string, input: unknown): Promise<void> {
    if (!EXECUTION_NAME.test(name)) throw namedError('InvalidName', `Invalid execution name: ${name}`);
    // The input crosses the API as JSON text, so what runs is what that text says.
    const text = JSON.stringify(input ?? {});
    const inputKey = canonicalJson(JSON.parse(text));
    const existing = this.runs.get(name);
    if (existing) {
      if (existing.inputKey === inputKey) return;
      throw namedError('ExecutionAlreadyExists', `Execution ${name} already exists with another input`);
    }
    if (this.stopped) throw new Error('The local state machine is stopped');

    const startDate = this.options.clock.now();
    const executionArn = `arn:aws:states:local:000000000000:execution:${this.machineName}:${name}`;
    const task: ContextTask = { Token: newTaskToken() };
    const stopping = new AbortController();
    const run = this.machine.run(JSON.parse(text) as JSONValue, {
      overrides: {
        taskResourceLocalHandlers: this.tasks.handlers(task, stopping.signal),
        ...(this.retryIntervalOverrides && { retryIntervalOverrides: this.retryIntervalOverrides }),
      },
      context: {
        // The interpreter sets Execution.Input and Execution.StartTime itself, the latter from the real clock.
        Execution: { Id: executionArn, Name: name },
        StateMachine: {
          Id: `arn:aws:states:local:000000000000:stateMachine:${this.machineName}`,
          Name: this.machineName,
        },
        Task: task,
      },
      noThrowOnAbort: true,
    });
    const description: ExecutionDescription = {
      name,
      executionArn,
      status: 'RUNNING',
      input: JSON.parse(text),
      startDate,
    };
    const ended = run.result
      .then(
        // An aborted run resolves with null (noThrowOnAbort); this flow's output is never null.
        (output) =>
          output === null && stopping.signal.aborted
            ? { status: 'ABORTED' as const }
            : { status: 'SUCCEEDED' as const, output },
        (error: unknown) => endOf(error),
      )
      .then((end) => {
        Object.assign(description, end, { stopDate: this.options.clock.now() });
        this.options.onEnd?.({ ...description });
        return { ...description };
      });
    this.runs.set(name, { description, inputKey, stopping, abort: run.abort, ended });
  }

  /**
   * SendTaskSuccess: `resumed` when a task waited on the token and now goes on
   * with `output`; `gone` when nothing waits on it (unknown, answered, timed
   * out, or its execution ended).
   */
  async resume(taskToken: string, output: unknown): Promise<'resumed' | 'gone'> {
    return this.tokens.succeed(taskToken, JSON.parse(JSON.stringify(output ?? null))) ? 'resumed' : 'gone';
  }

  /** SendTaskFailure: the waiting task fails with `error`, which its Retry and Catch match. */
  async fail(taskToken: string, error: string, cause = ''): Promise<'resumed' | 'gone'> {
    return this.tokens.fail(taskToken, namedError(error, cause)) ? 'resumed' : 'gone';
  }

  describe(name: string): ExecutionDescription | undefined {
    const execution = this.runs.get(name);
    return execution && { ...execution.description };
  }

  /** Every execution, in the order they started. */
  executions(): ExecutionDescription[] {
    return [...this.runs.values()].map((execution) => ({ ...execution.description }));
  }

  /** The execution's description once it no longer runs. */
  async whenEnded(name: string): Promise<ExecutionDescription> {
    const execution = this.runs.get(name);
    if (!execution) throw namedError('ExecutionDoesNotExist', `No execution ${name}`);
    return execution.ended;
  }

  /** StopExecution of every running execution; resolves when they have ended and left no timer behind. */
  async stop(): Promise<void> {
    this.stopped = true;
    const running = [...this.runs.values()].filter((execution) => execution.description.status === 'RUNNING');
    for (const execution of running) {
      // The interpreter's abort first, so the result settles as aborted before the tasks unwind.
      execution.abort();
      // The interpreter does not pass its abort on to a running task, whose timer holds until the task settles.
      execution.stopping.abort();
    }
    this.tokens.failAll(new ExecutionStopped());
    await Promise.all(running.map((execution) => execution.ended));
  }
}

/** How an execution that did not succeed ended. */
function endOf(error: unknown): Partial<ExecutionDescription> {
  if (error instanceof ExecutionTimeoutError) return { status: 'TIMED_OUT' };
  const failure = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : error;
  return failure instanceof Error
    ? { status: 'FAILED', error: failure.name, cause: failure.message }
    : { status: 'FAILED', error: 'States.Runtime', cause: String(failure) };
}

/** JSON with the keys of every object sorted, so equal values compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}
