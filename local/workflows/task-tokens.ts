import { randomBytes } from 'node:crypto';
import type { Clock } from '../../functions/shared/clock';

/** As opaque and unguessable as a Step Functions task token: whoever holds it can answer the task. */
export function newTaskToken(): string {
  return randomBytes(48).toString('base64url');
}

/** An error that `Retry` and `Catch` match by its name, as Step Functions matches error names. */
export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

interface Wait {
  /** Epoch ms on the clock after which the wait times out; none: it waits until answered. */
  deadline: number | undefined;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

/**
 * The tokens `.waitForTaskToken` tasks wait on, answered as SendTaskSuccess and
 * SendTaskFailure answer them. Deadlines are read off the injected clock by
 * polling, not set as timers: moving a MovableClock past one times the task
 * out, as days passing would in AWS.
 */
export class TaskTokens {
  private readonly waits = new Map<string, Wait>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly pollIntervalMs: number,
  ) {}

  /** Resolves with the output the token is answered with; rejects with States.Timeout once the clock passes `deadline`. */
  wait(token: string, deadline: Date | undefined): Promise<unknown> {
    if (this.waits.has(token)) throw new Error('A task token is waited on once at a time');
    return new Promise((resolve, reject) => {
      this.waits.set(token, { deadline: deadline?.getTime(), resolve, reject });
      this.timer ??= setInterval(() => this.timeOut(), this.pollIntervalMs);
      // The task's own timer in the interpreter is what keeps a waiting execution alive, not this poll.
      this.timer.unref();
    });
  }

  /** False when nothing waits on the token (never issued, answered, timed out, or its execution ended). */
  succeed(token: string, output: unknown): boolean {
    const wait = this.take(token);
    wait?.resolve(output);
    return wait !== undefined;
  }

  fail(token: string, error: Error): boolean {
    const wait = this.take(token);
    wait?.reject(error);
    return wait !== undefined;
  }

  /** Forgets the token, leaving its wait unanswered; false when nothing waited on it. */
  cancel(token: string): boolean {
    return this.take(token) !== undefined;
  }

  /** Ends every wait with `error` and the polling with them. */
  failAll(error: Error): void {
    for (const token of [...this.waits.keys()]) this.fail(token, error);
  }

  private take(token: string): Wait | undefined {
    const wait = this.waits.get(token);
    this.waits.delete(token);
    if (this.waits.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    return wait;
  }

  private timeOut(): void {
    const now = this.clock.now().getTime();
    for (const [token, wait] of [...this.waits]) {
      if (wait.deadline !== undefined && now >= wait.deadline) {
        this.fail(
          token,
          namedError('States.Timeout', 'The task did not get an answer within its TimeoutSeconds'),
        );
      }
    }
  }
}
