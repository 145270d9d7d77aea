import * as z from 'zod/mini';
import { generatedOccurrenceSchema, planProgressSchema } from '../../../domain/service-plans/occurrence';
import {
  createServicePlanInput,
  endServicePlanInput,
  servicePlanSchema,
  updateServicePlanInput,
} from '../../../domain/service-plans/plan-input';
import {
  createPlanRuleInput,
  planRuleSchema,
  updatePlanRuleInput,
} from '../../../domain/service-plans/plan-rule';
import { decimalInt, idParams, pageQuery } from '../../../domain/shared/schema';
import { defineRoute } from '../http/route';
import { deleteQuery, listResponse, masterDataRoutes } from '../master-data-routes';

const TAG = 'Service plans';

export const planRuleRoutes = masterDataRoutes({
  basePath: '/plan-rules',
  tag: TAG,
  singular: 'PlanRule',
  plural: 'PlanRules',
  create: createPlanRuleInput,
  update: updatePlanRuleInput,
  entity: planRuleSchema,
});

const planView = z.object({ ...servicePlanSchema.shape, progress: planProgressSchema });
const occurrenceSummary = z.object({ date: z.string(), local: z.string(), at: z.string() });

/** Most occurrences a forecast lists. */
export const MAX_FORECAST = 100;

export const servicePlanRoutes = {
  create: defineRoute({
    method: 'POST',
    path: '/service-plans',
    operationId: 'createServicePlan',
    summary: 'Create a service plan under an active agreement; its schedule is set to its first work order',
    tag: TAG,
    body: createServicePlanInput,
    response: planView,
    status: 201,
    idempotent: true,
  }),
  list: defineRoute({
    method: 'GET',
    path: '/service-plans',
    operationId: 'listServicePlans',
    summary: 'List service plans, oldest first, each with its progress',
    tag: TAG,
    query: pageQuery,
    response: listResponse(planView),
    status: 200,
  }),
  get: defineRoute({
    method: 'GET',
    path: '/service-plans/{id}',
    operationId: 'getServicePlan',
    summary: 'Read a service plan with its progress: last generated, next due, last error',
    tag: TAG,
    params: idParams,
    response: planView,
    status: 200,
  }),
  update: defineRoute({
    method: 'PATCH',
    path: '/service-plans/{id}',
    operationId: 'updateServicePlan',
    summary:
      'Change a service plan (send the version you read); answers which occurrences without a work order were added, removed or moved',
    tag: TAG,
    params: idParams,
    body: updateServicePlanInput,
    response: z.object({
      plan: planView,
      changes: z.object({
        added: z.array(occurrenceSummary),
        removed: z.array(occurrenceSummary),
        moved: z.array(z.object({ from: occurrenceSummary, to: occurrenceSummary })),
      }),
    }),
    status: 200,
  }),
  delete: defineRoute({
    method: 'DELETE',
    path: '/service-plans/{id}',
    operationId: 'deleteServicePlan',
    summary: 'Delete a service plan and its schedule (send the version you read); its work orders stay',
    tag: TAG,
    params: idParams,
    query: deleteQuery,
    status: 204,
  }),
  end: defineRoute({
    method: 'POST',
    path: '/service-plans/{id}/end',
    operationId: 'endServicePlan',
    summary: 'End a service plan: nothing more is generated, what was generated stays',
    tag: TAG,
    params: idParams,
    body: endServicePlanInput,
    response: servicePlanSchema,
    status: 200,
  }),
  forecast: defineRoute({
    method: 'GET',
    path: '/service-plans/{id}/forecast',
    operationId: 'forecastServicePlan',
    summary: 'The next occurrences from today and the work order each has or would get; creates nothing',
    tag: TAG,
    params: idParams,
    query: z.strictObject({ count: z.optional(decimalInt(1, MAX_FORECAST)) }),
    response: z.object({
      planId: z.string(),
      occurrences: z.array(
        z.object({
          date: z.string(),
          local: z.string(),
          at: z.string(),
          generateAt: z.string(),
          shifted: z.optional(z.boolean()),
          state: z.enum(['generated', 'due', 'scheduled']),
          workOrderId: z.optional(z.string()),
          workOrderNumber: z.optional(z.string()),
        }),
      ),
    }),
    status: 200,
  }),
  generate: defineRoute({
    method: 'POST',
    path: '/service-plans/{id}/generate',
    operationId: 'generateServicePlan',
    summary:
      "Run the plan now, as its schedule would (within a minute; at once locally): every occurrence whose lead window has opened gets its work order, once; the plan's progress shows the run",
    tag: TAG,
    params: idParams,
    response: z.object({ planId: z.string(), runAt: z.string() }),
    status: 202,
  }),
  occurrences: defineRoute({
    method: 'GET',
    path: '/service-plans/{id}/occurrences',
    operationId: 'listServicePlanOccurrences',
    summary: 'The occurrences that have their work order, by local date (from, to: YYYY-MM-DD)',
    tag: TAG,
    params: idParams,
    query: z.strictObject({ from: z.optional(z.iso.date()), to: z.optional(z.iso.date()) }),
    response: z.object({ items: z.array(generatedOccurrenceSchema) }),
    status: 200,
  }),
};

export const allServicePlanRoutes = [...Object.values(planRuleRoutes), ...Object.values(servicePlanRoutes)];
