import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod/mini';
import { ValidationError } from '../domain/shared/errors';
import type { Logger } from '../shared/logger';
import type { Metrics } from '../shared/metrics';
import { type Observability, observe } from './observability';

/** What the core of a non-HTTP handler gets besides its event. */
export interface EventTools {
  logger: Logger;
  metrics: Metrics;
}

export interface EventHandlerDefinition<S extends z.ZodMiniType, R> {
  /** What the handler takes, for the error when an event is not one. */
  accepts: string;
  /** The event as the trigger delivers it; the core gets it parsed. */
  schema: S;
  /** The id that follows the event through the logs, e.g. the domain event's id. */
  correlationId(event: z.output<S>): string | undefined;
  handle(event: z.output<S>, tools: EventTools): Promise<R>;
}

export type EventHandler<R> = (event: unknown, context?: Context) => Promise<R>;

/**
 * Every handler not behind the API (EventBridge rules, Scheduler, the table
 * stream, SES, state-machine tasks): parses the event with its schema, logs
 * with the Lambda context and the correlation id, publishes the invocation's
 * metrics, and logs an error once, here, before rethrowing it so the trigger
 * retries (and finally keeps the event in its dead-letter queue). A result
 * with `batchItemFailures` (stream and queue triggers) reports only those
 * records as failed; they are logged as a warning.
 */
export function eventHandler<S extends z.ZodMiniType, R>(
  definition: EventHandlerDefinition<S, R>,
  tools: Observability,
): EventHandler<R> {
  const { logger, metrics } = tools;
  const core = async (event: unknown): Promise<R> => {
    const parsed = definition.schema.safeParse(event);
    if (!parsed.success) {
      const error = new ValidationError(`Not ${definition.accepts}`);
      logger.error('event refused', {
        error,
        issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      });
      throw error;
    }
    const correlationId = definition.correlationId(parsed.data);
    if (correlationId) logger.powertools.setCorrelationId(correlationId);
    try {
      const result = await definition.handle(parsed.data, { logger, metrics });
      const failures = batchItemFailures(result);
      if (failures > 0) logger.warn('batch items failed, the trigger retries them', { failures });
      return result;
    } catch (error) {
      logger.error('event failed', { error });
      throw error;
    }
  };
  const handler = middy<unknown, R, Error, Context>().use(observe(tools)).handler(core);
  return (event, context) => handler(event, context ?? ({} as Context));
}

function batchItemFailures(result: unknown): number {
  if (typeof result !== 'object' || result === null || !('batchItemFailures' in result)) return 0;
  const failures = (result as { batchItemFailures: unknown }).batchItemFailures;
  return Array.isArray(failures) ? failures.length : 0;
}
