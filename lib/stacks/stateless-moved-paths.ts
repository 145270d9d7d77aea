import { API_FUNCTIONS } from '../../functions/handlers/api/api-functions';
import type { MovedPath } from './deployed-logical-ids';

/** An asynchronous function's queue and alarms, which were created directly in the stack. */
const asyncFunction = (fn: string, queue: string): MovedPath[] => [
  { now: `${fn}/DeadLetterQueue`, deployedAs: queue },
  { now: `${fn}/DeadLetterQueueNotEmpty`, deployedAs: `${queue}NotEmpty` },
  { now: `${fn}/Errors`, deployedAs: `${fn}Errors` },
];

/**
 * Where the stateless stack's resources were deployed before each capability
 * got its construct. New resources need no entry; an entry is removed only
 * together with the resource it keeps.
 */
export const STATELESS_MOVED_PATHS: readonly MovedPath[] = [
  { now: 'HttpApi/AccessLogs', deployedAs: 'ApiAccessLogs' },
  { now: 'HttpApi/DefaultStage', deployedAs: 'DefaultStage' },
  { now: 'HttpApi/ServerErrors', deployedAs: 'ApiServerErrors' },
  ...Object.keys(API_FUNCTIONS).map((name) => ({ now: `HttpApi/Api-${name}`, deployedAs: `Api-${name}` })),
  { now: 'EventBus/IdentityEvents', deployedAs: 'IdentityEvents' },
  { now: 'EventBus/WorkOrderForwardedEvents', deployedAs: 'WorkOrderForwardedEvents' },
  ...asyncFunction('OutboxPublisher', 'OutboxDeadLetterQueue'),
  { now: 'OutboxPublisher/IteratorAge', deployedAs: 'OutboxPublisherIteratorAge' },
  ...asyncFunction('IdentityProvisioner', 'IdentityDeadLetterQueue'),
  ...asyncFunction('WorkOrderMailer', 'WorkOrderMailerDeadLetterQueue'),
  ...asyncFunction('Reminder', 'ReminderDeadLetterQueue'),
  { now: 'ReminderSchedules/SchedulerRole', deployedAs: 'ReminderSchedulerRole' },
];
