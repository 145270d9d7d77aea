import {
  DynamoMailClaims,
  DynamoReminderRepository,
  DynamoTimeline,
} from '../adapters/dynamodb/repositories/work-order-actions';
import type { OutboundMail } from '../domain/shared/mail';
import type { ReminderScheduler } from '../domain/work-orders/reminder';
import {
  WorkOrderForwarding,
  WorkOrderMailer,
  WorkOrderPrinting,
  WorkOrderReminders,
} from '../domain/work-orders/work-order-actions';
import type { Dependencies } from './dependencies';
import { workOrderServices } from './work-order-dependencies';

/** Locally the mail comes from here; in AWS the stack sets MAIL_FROM from the region's mail domain. */
export const LOCAL_MAIL_FROM = 'service@localhost';

export const mailFromEnv = () => process.env.MAIL_FROM ?? LOCAL_MAIL_FROM;

/**
 * Print, forward and reminders over the work-order services. No AWS client
 * is created here: each handler brings the adapters it needs (Scheduler for
 * the API, SES for the mail), so no bundle carries a client it never calls.
 */
export function workOrderActionServices(deps: Dependencies, ports: { scheduler: ReminderScheduler }) {
  const wo = workOrderServices(deps);
  const { repositories: repos } = wo;
  return {
    forwarding: new WorkOrderForwarding(wo.workOrders, repos.workOrders, deps),
    printing: new WorkOrderPrinting(
      wo.workOrders,
      repos.workOrders,
      {
        accounts: repos.accounts,
        contacts: repos.contacts,
        devices: repos.devices,
        users: repos.users,
        types: repos.types,
      },
      deps,
    ),
    reminders: new WorkOrderReminders(
      wo.workOrders,
      new DynamoReminderRepository(deps.table, deps.clock),
      ports.scheduler,
      repos.users,
      deps,
    ),
  };
}

/** The mail side: the work-order mailer (forwarded work orders) and the reminder function share it. */
export function workOrderMailer(deps: Dependencies, mail: OutboundMail, from: string = mailFromEnv()) {
  const { repositories: repos } = workOrderServices(deps);
  return new WorkOrderMailer(
    {
      store: repos.workOrders,
      timeline: new DynamoTimeline(deps.table),
      reminders: new DynamoReminderRepository(deps.table, deps.clock),
      lookups: {
        accounts: repos.accounts,
        contacts: repos.contacts,
        devices: repos.devices,
        users: repos.users,
      },
      claims: new DynamoMailClaims(deps.table, deps.clock),
      mail,
      from,
    },
    deps,
  );
}

let localScheduler: ReminderScheduler | undefined;

/**
 * The local runtime (`npm start`) and the tests hand in the in-process
 * scheduler here; in AWS nothing is set and the API uses EventBridge Scheduler.
 */
export function useLocalReminderScheduler(scheduler: ReminderScheduler | undefined): void {
  localScheduler = scheduler;
}

export const localReminderScheduler = (): ReminderScheduler | undefined => localScheduler;
