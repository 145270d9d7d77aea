type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger whose every line also carries these fields (e.g. the correlation id). */
  child(fields: Record<string, unknown>): Logger;
}

export type LogSink = (line: string) => void;

/** Structured JSON logs, one object per line, as CloudWatch Logs Insights reads them. */
export function createLogger(
  base: Record<string, unknown> = {},
  sink: LogSink = (line) => process.stdout.write(`${line}\n`),
  minLevel: Level = (process.env.LOG_LEVEL as Level | undefined) ?? 'info',
): Logger {
  const write = (level: Level, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < (ORDER[minLevel] ?? ORDER.info)) return;
    sink(
      JSON.stringify(
        { timestamp: new Date().toISOString(), level, message, ...base, ...fields },
        errorReplacer,
      ),
    );
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ ...base, ...fields }, sink, minLevel),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
