import * as z from 'zod/mini';
import { SUBJECTS } from '../agreements/agreement-rule';
import {
  entityFields,
  expectedVersion,
  identifier,
  multiLineText,
  singleLineText,
  text,
} from '../shared/schema';
import { MAX_TEAM_SIZE, PRIORITIES } from '../work-orders/work-order';
import { isTimeZone, MAX_EXDATES, parseRule, type Recurrence, RecurrenceError } from './recurrence';
import { END_REASONS, MAX_LEAD_DAYS, MAX_TEMPLATE_PRODUCTS, PLAN_STATUSES } from './service-plan';
import { parseLocalDate, parseLocalDateTime } from './zoned-time';

/*
 * What the API takes and answers for service plans. Kept apart from the
 * plan's types and rules (service-plan.ts, recurrence.ts), so the generator,
 * which only reads stored plans, carries none of these schemas.
 */

const LOCAL_DATE_MESSAGE = 'Must be a local date YYYY-MM-DD (years 1900 to 9999)';
const localDate = z
  .string()
  .check(z.refine((value) => parseLocalDate(value) !== undefined, LOCAL_DATE_MESSAGE));

/** A zod/mini schema of a recurrence that checks every field and the rule; the issues name the wrong field. */
export const recurrenceInput: z.ZodMiniType<Recurrence> = z
  .strictObject({
    rrule: z.string().check(
      z.maxLength(500),
      z.superRefine((value, context) => {
        try {
          parseRule(value);
        } catch (error) {
          if (!(error instanceof RecurrenceError)) throw error;
          context.issues.push({ code: 'custom', message: error.message, input: value });
        }
      }),
    ),
    timeZone: z.string().check(z.refine(isTimeZone, 'Must be an IANA time zone such as Europe/Berlin')),
    start: z
      .string()
      .check(
        z.refine(
          (value) => parseLocalDateTime(value) !== undefined,
          'Must be a local date-time YYYY-MM-DDTHH:mm (years 1900 to 9999)',
        ),
      ),
    until: z.optional(localDate),
    exdates: z.optional(z.array(localDate).check(z.maxLength(MAX_EXDATES))),
  })
  .check(
    z.superRefine((value, context) => {
      const start = parseLocalDateTime(value.start);
      const until = value.until === undefined ? undefined : parseLocalDate(value.until);
      if (start && until !== undefined && until < start.days) {
        context.issues.push({
          code: 'custom',
          message: 'Must not be before the day of the start',
          path: ['until'],
          input: value.until,
        });
      }
    }),
  );

const templateProduct = z.strictObject({
  lineId: identifier,
  quantity: z.int().check(z.gte(1), z.lte(1000)),
});

const templateInput = z.strictObject({
  title: z.optional(singleLineText(150)),
  description: z.optional(multiLineText(10_000)),
  typeId: z.optional(identifier),
  priority: z.optional(z.enum(PRIORITIES)),
  ownerId: z.optional(identifier),
  team: z.optional(
    z
      .array(z.strictObject({ userId: identifier, access: z.enum(['read-only', 'read-write']) }))
      .check(z.maxLength(MAX_TEAM_SIZE)),
  ),
  serviceProducts: z.optional(z.array(templateProduct).check(z.maxLength(MAX_TEMPLATE_PRODUCTS))),
});

const leadDays = z.int().check(z.gte(0), z.lte(MAX_LEAD_DAYS));

export const createServicePlanInput = z.strictObject({
  name: text(200),
  agreementId: identifier,
  agreementLineId: z.optional(identifier),
  /** Default: the agreement's subject. A device plan of an account agreement names one of its devices. */
  target: z.optional(z.enum(SUBJECTS)),
  deviceId: z.optional(identifier),
  recurrence: recurrenceInput,
  leadDays: z.optional(leadDays),
  template: z.optional(templateInput),
});
export type CreateServicePlanInput = z.infer<typeof createServicePlanInput>;

export const updateServicePlanInput = z.strictObject({
  name: z.optional(text(200)),
  agreementLineId: z.optional(z.nullable(identifier)),
  recurrence: z.optional(recurrenceInput),
  leadDays: z.optional(leadDays),
  template: z.optional(templateInput),
  version: expectedVersion,
});
export type UpdateServicePlanInput = z.infer<typeof updateServicePlanInput>;

export const endServicePlanInput = z.strictObject({ version: expectedVersion });

export const servicePlanSchema = z.object({
  ...entityFields,
  name: z.string(),
  agreementId: z.string(),
  agreementLineId: z.optional(z.string()),
  lineRuleId: z.optional(z.string()),
  target: z.object({ kind: z.enum(SUBJECTS), accountId: z.string(), deviceId: z.optional(z.string()) }),
  recurrence: z.object({
    rrule: z.string(),
    timeZone: z.string(),
    start: z.string(),
    until: z.optional(z.string()),
    exdates: z.optional(z.array(z.string())),
  }),
  leadDays: z.int(),
  template: z.object({
    title: z.optional(z.string()),
    description: z.optional(z.string()),
    typeId: z.optional(z.string()),
    priority: z.optional(z.enum(PRIORITIES)),
    ownerId: z.optional(z.string()),
    team: z.optional(z.array(z.object({ userId: z.string(), access: z.enum(['read-only', 'read-write']) }))),
    serviceProducts: z.optional(z.array(z.object({ lineId: z.string(), quantity: z.int() }))),
  }),
  status: z.enum(PLAN_STATUSES),
  revision: z.optional(z.int()),
  endedAt: z.optional(z.string()),
  endReason: z.optional(z.enum(END_REASONS)),
  seriesFrom: z.optional(z.string()),
});
