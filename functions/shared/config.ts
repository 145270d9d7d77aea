import * as z from 'zod/mini';

/**
 * Every setting the functions read from their environment, with its schema.
 * The stacks set these on each function; the local runtime and the tests set
 * them for DynamoDB Local. Read once per container through `config()`.
 */
const optionalText = z.optional(z.string().check(z.minLength(1)));

export const configSchema = z.object({
  /** The single table. */
  TABLE_NAME: optionalText,
  /** Only locally: DynamoDB Local's address. In AWS the SDK finds the regional endpoint. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  AWS_REGION: optionalText,
  /** The bus the outbox publisher puts events on. */
  EVENT_BUS_NAME: optionalText,
  /** The Cognito user pool the identity provisioner keeps logins in. */
  USER_POOL_ID: optionalText,
  /** The sender of every mail, `service@<mail domain>`. */
  MAIL_FROM: optionalText,
  /** Where reminders are scheduled: the stack's schedule group, target, role and DLQ. */
  SCHEDULE_GROUP: optionalText,
  REMINDER_TARGET_ARN: optionalText,
  SCHEDULER_ROLE_ARN: optionalText,
  REMINDER_DLQ_ARN: optionalText,
  /** The function an agreement's expiry schedule invokes, and its DLQ (same group and role). */
  AGREEMENT_EXPIRY_TARGET_ARN: optionalText,
  AGREEMENT_EXPIRY_DLQ_ARN: optionalText,
  /** Where service plans are scheduled: their own group, the generator they invoke, its role and DLQ. */
  PLAN_SCHEDULE_GROUP: optionalText,
  PLAN_GENERATOR_TARGET_ARN: optionalText,
  PLAN_SCHEDULER_ROLE_ARN: optionalText,
  PLAN_GENERATOR_DLQ_ARN: optionalText,
  /** The mail bucket: raw inbound mail (SES's S3 action) and attachments. */
  MAIL_BUCKET: optionalText,
  /** Where SES's S3 action writes raw mail in the bucket, e.g. `inbound/eu-west-1/`. */
  RAW_MAIL_PREFIX: optionalText,
  /** The region's mail domain: every mailbox address is in it. */
  MAIL_DOMAIN: optionalText,
  /** The secret that signs reply tokens (Secrets Manager). */
  THREAD_TOKEN_SECRET_ARN: optionalText,
  /** The consumption-billing state machine the consumption API starts and resumes. */
  CONSUMPTION_STATE_MACHINE_ARN: optionalText,
  /**
   * How long after an organisation change the scene re-filing walks the work orders (default 60 s:
   * longer than any write that may have read the chart before the change can take).
   */
  SCENE_REINDEX_GRACE_SECONDS: z.optional(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(600))),
  LOG_LEVEL: z.optional(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'debug', 'info', 'warn', 'error'])),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigKey = keyof Config;

/** Locally the mail comes from here; in AWS the stack sets MAIL_FROM from the region's mail domain. */
export const LOCAL_MAIL_FROM = 'service@localhost';

/** The environment, checked: a malformed value fails the cold start naming the variable. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(configSchema.shape)
      .map((key) => [key, env[key] === '' ? undefined : env[key]])
      .filter(([, value]) => value !== undefined),
  );
  const result = configSchema.safeParse(known);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`The environment is not valid: ${problems.join('; ')}`);
  }
  return result.data;
}

/** A setting this function cannot run without. */
export function required<K extends ConfigKey>(config: Config, key: K): NonNullable<Config[K]> {
  const value = config[key];
  if (value === undefined) throw new Error(`${key} is not set`);
  return value as NonNullable<Config[K]>;
}
