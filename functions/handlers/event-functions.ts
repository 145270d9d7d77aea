import { IDENTITY_EVENTS } from '../domain/organisation/identity';
import { REINDEX_EVENTS } from '../domain/work-orders/scene-reindexer';

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
  'scene-indexer': {
    entry: 'functions/handlers/events/scene-indexer.ts',
    trigger: 'EventBridge',
    events: REINDEX_EVENTS,
  },
  'agreement-generator': {
    entry: 'functions/handlers/events/agreement-generator.ts',
    trigger: 'EventBridge',
    events: { source: 'fieldservice.sales', types: ['SalesOrderCreated'] },
  },
  'agreement-products': {
    entry: 'functions/handlers/events/agreement-products.ts',
    trigger: 'EventBridge',
    events: { source: 'fieldservice.work-orders', types: ['WorkOrderCreated'] },
  },
  'agreement-expiry': {
    entry: 'functions/handlers/schedules/agreement-expiry.ts',
    trigger: 'EventBridge Scheduler (one one-time schedule per activated agreement)',
  },
  'service-plan-generator': {
    entry: 'functions/handlers/schedules/service-plan-generator.ts',
    trigger: 'EventBridge Scheduler (one schedule per service plan, at its next run)',
  },
  'plan-schedules': {
    entry: 'functions/handlers/streams/plan-schedules.ts',
    trigger: "the table stream (service plans' progress items): moves each plan's schedule to its next run",
  },
  'service-plan-agreement-end': {
    entry: 'functions/handlers/events/service-plan-agreement-end.ts',
    trigger: 'EventBridge',
    events: { source: 'fieldservice.agreements', types: ['AgreementExpired', 'AgreementTerminated'] },
  },
  'consumption-steps': {
    entry: 'functions/handlers/workflows/consumption-steps.ts',
    trigger: 'Step Functions (every step of the consumption-billing state machine)',
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
