import type { TableContext } from '../adapters/dynamodb/client';
import type { OutboundMail } from '../domain/shared/mail';
import type { ReminderScheduler } from '../domain/work-orders/reminder';
import { type Clock, type IdGenerator, systemClock, ulidGenerator } from '../shared/clock';

/**
 * What the use cases are built from. The table, clock and ids are always
 * there; the outbound ports are given only where a function uses them, so no
 * bundle carries an AWS client it never calls.
 */
export interface Ports {
  table: TableContext;
  clock: Clock;
  ids: IdGenerator;
  /** Outbound mail: SES in AWS, `.eml` files locally. */
  mail?: OutboundMail;
  /** The sender of every mail we send. */
  mailFrom: string;
  /** One-time schedules for reminders: EventBridge Scheduler in AWS, in-process locally. */
  reminders?: ReminderScheduler;
}

/** The ports every function has: a table, a clock (the system's unless given) and ids from that clock. */
export function basePorts(
  table: TableContext,
  options: { clock?: Clock; mailFrom?: string } & Partial<Pick<Ports, 'mail' | 'reminders'>> = {},
): Ports {
  const clock = options.clock ?? systemClock;
  return {
    table,
    clock,
    ids: ulidGenerator(clock),
    mailFrom: options.mailFrom ?? 'service@localhost',
    ...(options.mail ? { mail: options.mail } : {}),
    ...(options.reminders ? { reminders: options.reminders } : {}),
  };
}

/** A port the function was built without: a wiring mistake, reported by name. */
export function requirePort<K extends 'mail' | 'reminders'>(ports: Ports, name: K): NonNullable<Ports[K]> {
  const port = ports[name];
  if (!port) throw new Error(`This function was composed without the ${name} port`);
  return port as NonNullable<Ports[K]>;
}
