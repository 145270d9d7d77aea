import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { eventHandler } from '../../functions/handlers/event-handler';
import { createLogger } from '../../functions/shared/logger';
import { createMetrics } from '../../functions/shared/metrics';

const payload = z.object({ id: z.string(), items: z.array(z.string()) });

function setup(
  handle: (event: z.output<typeof payload>) => Promise<unknown> = async () => ({ ok: true }),
  level = 'debug',
) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ service: 'test-service' }, (line) => lines.push(JSON.parse(line)), level);
  const metrics = createMetrics('test-service');
  const handler = eventHandler(
    {
      accepts: 'a test event',
      schema: payload,
      correlationId: (event) => event.id,
      handle: async (event, tools) => {
        tools.metrics.count('EventsPublished', event.items.length);
        tools.logger.info('handled', { items: event.items.length });
        return handle(event);
      },
    },
    { logger, metrics },
  );
  return { handler, lines };
}

const context = {
  awsRequestId: 'req-1',
  functionName: 'fn',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:fn',
  memoryLimitInMB: '512',
} as Context;

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('eventHandler', () => {
  it('hands the parsed event to the core and logs with the correlation id and the Lambda context', async () => {
    const { handler, lines } = setup();

    const result = await handler({ id: 'evt-1', items: ['a', 'b'], extra: true }, context);

    expect(result).toEqual({ ok: true });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'handled',
        service: 'test-service',
        correlation_id: 'evt-1',
        function_request_id: 'req-1',
        cold_start: expect.any(Boolean),
        items: 2,
      }),
    ]);
  });

  it('keeps no correlation id from one invocation for the next', async () => {
    const { handler, lines } = setup();
    await handler({ id: 'evt-1', items: [] }, context);
    await handler({ id: 'evt-2', items: [] }, { ...context, awsRequestId: 'req-2' });
    expect(lines.map((line) => line.correlation_id)).toEqual(['evt-1', 'evt-2']);
  });

  it('refuses an event its schema does not accept, logging the issues once', async () => {
    const { handler, lines } = setup();

    await expect(handler({ id: 7 }, context)).rejects.toThrow('Not a test event');

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'ERROR', message: 'event refused' });
    expect(JSON.stringify(lines[0]?.issues)).toContain('items');
  });

  it('logs a failure once with its error, and rethrows it so the trigger retries', async () => {
    const { handler, lines } = setup(async () => {
      throw new Error('bus unreachable');
    });

    await expect(handler({ id: 'evt-1', items: [] }, context)).rejects.toThrow('bus unreachable');

    const errors = lines.filter((line) => line.level === 'ERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ message: 'event failed', correlation_id: 'evt-1' });
    expect(JSON.stringify(errors[0]?.error)).toContain('bus unreachable');
  });

  it('warns about the records of a batch it reports as failed', async () => {
    const { handler, lines } = setup(async () => ({ batchItemFailures: [{ itemIdentifier: '1' }] }), 'warn');

    const result = await handler({ id: 'evt-1', items: [] });

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }] });
    expect(lines).toEqual([expect.objectContaining({ level: 'WARN', failures: 1, correlation_id: 'evt-1' })]);
  });

  it('publishes the metrics an invocation counted, in the embedded metric format, at its end', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const { handler } = setup();

    await handler({ id: 'evt-1', items: ['a', 'b', 'c'] }, context);

    const emf = written.map((line) => JSON.parse(line)).find((entry) => 'EventsPublished' in entry);
    expect(emf).toMatchObject({ EventsPublished: 3, service: 'test-service' });
    expect(emf._aws.CloudWatchMetrics[0].Namespace).toBe('FieldService/test-service');
  });

  it('takes the log level from the environment, written in either case', () => {
    const lines: string[] = [];
    vi.stubEnv('LOG_LEVEL', 'warn');
    const logger = createLogger({ service: 'test-service' }, (line) => lines.push(line));
    logger.info('dropped');
    logger.warn('kept');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'error');
    createLogger({}, (line) => lines.push(line)).warn('dropped too');
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(['kept']);
  });
});
