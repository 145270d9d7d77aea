import { type LogItem, Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What code outside the handlers' edge may log with: no Lambda, no Powertools. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger whose every line also carries these fields. */
  child(fields: Record<string, unknown>): Logger;
}

export type LogSink = (line: string) => void;

/**
 * A function's logger: Powertools Logger, JSON lines with the service, the
 * Lambda context (request id, cold start) and the correlation id, as
 * CloudWatch Logs Insights reads them. The handlers' edge reaches the
 * Powertools instance through `powertools`; everything else sees `Logger`.
 */
export class FunctionLogger implements Logger {
  constructor(
    readonly powertools: PowertoolsLogger,
    private readonly fields: Record<string, unknown> = {},
  ) {}

  debug(message: string, fields?: Record<string, unknown>): void {
    this.powertools.debug(message, { ...this.fields, ...fields });
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.powertools.info(message, { ...this.fields, ...fields });
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.powertools.warn(message, { ...this.fields, ...fields });
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.powertools.error(message, { ...this.fields, ...fields });
  }
  child(fields: Record<string, unknown>): FunctionLogger {
    return new FunctionLogger(this.powertools, { ...this.fields, ...fields });
  }
}

/**
 * `service` names the function in every line; the other base fields are added
 * to every line too. The level comes from the environment unless given:
 * Lambda's log level (AWS_LAMBDA_LOG_LEVEL) wins, then POWERTOOLS_LOG_LEVEL,
 * then LOG_LEVEL (what the stack sets), in any case; the default is info.
 * Tests pass a sink to read the lines.
 */
export function createLogger(
  base: Record<string, unknown> = {},
  sink?: LogSink,
  level: string | undefined = process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL,
): FunctionLogger {
  const { service, ...fields } = base;
  const options: ConstructorOptions = {
    serviceName: typeof service === 'string' ? service : undefined,
    // Powertools reads the environment's level only in upper case; the stack and the tests write it in lower case.
    logLevel: level?.toUpperCase() as ConstructorOptions['logLevel'],
  };
  const powertools = sink ? new SinkLogger(sink, options) : new PowertoolsLogger(options);
  return new FunctionLogger(powertools, fields);
}

/** Powertools Logger writing its lines to a sink instead of stdout. */
class SinkLogger extends PowertoolsLogger {
  constructor(
    private readonly sink: LogSink,
    options: ConstructorOptions,
  ) {
    super(options);
  }

  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    this.sink(JSON.stringify(log.getAttributes(), this.getJsonReplacer()));
  }

  protected override createLogger(options?: ConstructorOptions): PowertoolsLogger {
    return new SinkLogger(this.sink, options ?? {});
  }
}
