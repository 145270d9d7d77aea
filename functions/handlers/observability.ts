import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { createLogger, type FunctionLogger } from '../shared/logger';
import { createMetrics, type FunctionMetrics } from '../shared/metrics';

/** A function's logger and metrics, made once per container. */
export interface Observability {
  logger: FunctionLogger;
  metrics: FunctionMetrics;
}

export function observability(service: string, given: Partial<Observability> = {}): Observability {
  return {
    logger: given.logger ?? createLogger({ service }),
    metrics: given.metrics ?? createMetrics(service),
  };
}

/**
 * What every handler does around an invocation: the Lambda context (request
 * id, cold start) on every log line, a ColdStart metric once, and, however the
 * invocation ends, the metrics it counted published and its keys (the
 * correlation id) cleared for the next one. Locally and in tests there may be
 * no context: then the lines carry none.
 */
export function observe<E, R>({ logger, metrics }: Observability): MiddlewareObj<E, R, Error, Context> {
  const end = () => {
    metrics.publish();
    logger.powertools.resetKeys();
  };
  return {
    before: ({ context }) => {
      if (context?.awsRequestId) logger.powertools.addContext(context);
      metrics.captureColdStart();
    },
    after: end,
    onError: end,
  };
}
