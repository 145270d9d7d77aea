import type { TableContext } from '../adapters/dynamodb/client';
import type { AgreementExpiryScheduler } from '../domain/agreements/ports';
import type { ApprovalTasks, ConfirmationWorkflow } from '../domain/consumption/workflow';
import type { RawMailStore } from '../domain/inbound-mail/intake-ports';
import type { ReplyTokens } from '../domain/inbound-mail/threading';
import type { PlanScheduler } from '../domain/service-plans/ports';
import type { OutboundMail } from '../domain/shared/mail';
import type { AttachmentStore } from '../domain/work-orders/attachments';
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
  /** One-time schedules that expire agreements after their last day. */
  agreementExpiry?: AgreementExpiryScheduler;
  /** Raw inbound mail and attachments: the mail bucket in AWS, a folder locally. */
  mailBucket?: RawMailStore & AttachmentStore;
  /** Signs and checks the reply tokens of mailbox addresses (secret loaded). */
  replyTokens?: ReplyTokens;
  /** The domain every mailbox address must be in; unset locally. */
  mailDomain?: string;
  /** Starts consumption confirmations: Step Functions in AWS, the local interpreter locally. */
  workflow?: ConfirmationWorkflow;
  /** Hands a person's approval or rejection to the confirmation's waiting flow. */
  approvals?: ApprovalTasks;
  /** One schedule per service plan: EventBridge Scheduler in AWS, in-process locally. */
  planSchedules?: PlanScheduler;
}

/** The ports a function may be built with beyond table, clock and ids. */
const OPTIONAL_PORTS = [
  'mail',
  'reminders',
  'agreementExpiry',
  'mailBucket',
  'replyTokens',
  'mailDomain',
  'workflow',
  'approvals',
  'planSchedules',
] as const;
type OptionalPortName = (typeof OPTIONAL_PORTS)[number];
export type OptionalPorts = Partial<Pick<Ports, OptionalPortName>>;

/** The ports every function has: a table, a clock (the system's unless given) and ids from that clock. */
export function basePorts(
  table: TableContext,
  options: { clock?: Clock; mailFrom?: string } & OptionalPorts = {},
): Ports {
  const clock = options.clock ?? systemClock;
  const ports: Ports = {
    table,
    clock,
    ids: ulidGenerator(clock),
    mailFrom: options.mailFrom ?? 'service@localhost',
  };
  // Only the ports given: a port left out stays absent, so `requirePort` names it.
  for (const name of OPTIONAL_PORTS) if (options[name]) Object.assign(ports, { [name]: options[name] });
  return ports;
}

/** A port the function was built without: a wiring mistake, reported by name. */
export function requirePort<K extends Exclude<OptionalPortName, 'mailDomain'>>(
  ports: Ports,
  name: K,
): NonNullable<Ports[K]> {
  const port = ports[name];
  if (!port) throw new Error(`This function was composed without the ${name} port`);
  return port as NonNullable<Ports[K]>;
}
