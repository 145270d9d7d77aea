import { IDENTITY_EVENTS } from '../domain/organisation/identity';

/**
 * The functions that are not behind the API, with what triggers them. Plain
 * data: the CDK stack, the bench and `npm run invoke` read it.
 */
export const EVENT_FUNCTIONS = {
  'outbox-publisher': {
    entry: 'functions/handlers/streams/outbox-publisher.ts',
    trigger: 'the table stream (inserted outbox items)',
  },
  'identity-provisioner': {
    entry: 'functions/handlers/events/identity-provisioner.ts',
    trigger: 'EventBridge',
    events: IDENTITY_EVENTS,
  },
  'work-order-mailer': {
    entry: 'functions/handlers/events/work-order-mailer.ts',
    trigger: 'EventBridge',
    events: { source: 'fieldservice.work-orders', types: ['WorkOrderForwarded'] },
  },
  reminder: {
    entry: 'functions/handlers/schedules/reminder.ts',
    trigger: 'EventBridge Scheduler (one one-time schedule per reminder)',
  },
  'inbound-mail': {
    entry: 'functions/handlers/mail/inbound-mail.ts',
    trigger: 'SES receipt rule (asynchronous Lambda action, after the S3 action stored the raw mail)',
  },
} as const;
