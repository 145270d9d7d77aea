import type { ConfigKey } from '../../functions/shared/config';

/**
 * The environment variables the functions read (functions/shared/config.ts),
 * by name. Constructs set them only through these, so a renamed setting fails
 * the type check here instead of leaving a function unconfigured in AWS.
 */
export const FUNCTION_ENV = {
  TABLE_NAME: 'TABLE_NAME',
  EVENT_BUS_NAME: 'EVENT_BUS_NAME',
  USER_POOL_ID: 'USER_POOL_ID',
  SCENE_REINDEX_GRACE_SECONDS: 'SCENE_REINDEX_GRACE_SECONDS',
  MAIL_FROM: 'MAIL_FROM',
  SCHEDULE_GROUP: 'SCHEDULE_GROUP',
  REMINDER_TARGET_ARN: 'REMINDER_TARGET_ARN',
  SCHEDULER_ROLE_ARN: 'SCHEDULER_ROLE_ARN',
  REMINDER_DLQ_ARN: 'REMINDER_DLQ_ARN',
  AGREEMENT_EXPIRY_TARGET_ARN: 'AGREEMENT_EXPIRY_TARGET_ARN',
  AGREEMENT_EXPIRY_DLQ_ARN: 'AGREEMENT_EXPIRY_DLQ_ARN',
  MAIL_BUCKET: 'MAIL_BUCKET',
  RAW_MAIL_PREFIX: 'RAW_MAIL_PREFIX',
  MAIL_DOMAIN: 'MAIL_DOMAIN',
  THREAD_TOKEN_SECRET_ARN: 'THREAD_TOKEN_SECRET_ARN',
  CONSUMPTION_STATE_MACHINE_ARN: 'CONSUMPTION_STATE_MACHINE_ARN',
  LOG_LEVEL: 'LOG_LEVEL',
} as const satisfies { [K in ConfigKey]?: K };
