import * as z from 'zod/mini';
import { accountSchema } from '../../../domain/customers/account';
import { contactSchema } from '../../../domain/customers/contact';
import { deviceSchema } from '../../../domain/customers/device';
import { expectedVersion, identifier, idParams, pageQuery } from '../../../domain/shared/schema';
import { commentInput, serviceRecordSchema } from '../../../domain/work-orders/service-record';
import {
  createSharingRuleInput,
  sharingRuleSchema,
  updateSharingRuleInput,
} from '../../../domain/work-orders/sharing-rule';
import {
  CHANNELS,
  createWorkOrderInput,
  PRIORITIES,
  STATUSES,
  updateWorkOrderInput,
  workOrderSchema,
} from '../../../domain/work-orders/work-order';
import { MAX_BATCH_ASSIGN } from '../../../domain/work-orders/work-order-service';
import {
  createWorkOrderTypeInput,
  updateWorkOrderTypeInput,
  workOrderTypeSchema,
} from '../../../domain/work-orders/work-order-type';
import { defineRoute } from '../http/route';
import { deleteQuery, listResponse, masterDataRoutes } from '../master-data-routes';
import { sceneQuery } from './scene-query';

const TAG = 'Work orders';
const versionBody = z.strictObject({ version: expectedVersion });

export const workOrderSummarySchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  number: z.string(),
  title: z.string(),
  typeId: z.optional(z.string()),
  priority: z.enum(PRIORITIES),
  status: z.enum(STATUSES),
  lifecycle: z.enum(['normal', 'obsolete']),
  locked: z.boolean(),
  channel: z.enum(CHANNELS),
  ownerId: z.optional(z.string()),
  accountId: z.optional(z.string()),
  contactId: z.optional(z.string()),
  deviceId: z.optional(z.string()),
  version: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const batchOutcome = z.enum([
  'assigned',
  'unchanged',
  'forbidden',
  'not-found',
  'locked',
  'obsolete',
  'conflict',
]);

export const workOrderRoutes = {
  create: defineRoute({
    method: 'POST',
    path: '/work-orders',
    operationId: 'createWorkOrder',
    summary: 'Create a work order (from the list, an account, a contact, a call, or an integration)',
    tag: TAG,
    body: createWorkOrderInput,
    response: workOrderSchema,
    status: 201,
    idempotent: true,
  }),
  scene: defineRoute({
    method: 'GET',
    path: '/work-orders',
    operationId: 'listWorkOrders',
    summary: 'One scene of work orders (all, my-responsible, unresolved, ...), newest first by default',
    tag: TAG,
    query: sceneQuery,
    response: listResponse(workOrderSummarySchema),
    status: 200,
  }),
  get: defineRoute({
    method: 'GET',
    path: '/work-orders/{id}',
    operationId: 'getWorkOrder',
    summary: 'Read one work order',
    tag: TAG,
    params: idParams,
    response: workOrderSchema,
    status: 200,
  }),
  byNumber: defineRoute({
    method: 'GET',
    path: '/work-orders/by-number/{number}',
    operationId: 'getWorkOrderByNumber',
    summary: 'Read one work order by its number (WO-2026-000123)',
    tag: TAG,
    params: z.strictObject({
      number: z.string().check(z.regex(/^WO-\d{4}-\d{6,}$/, 'A work-order number like WO-2026-000123')),
    }),
    response: workOrderSchema,
    status: 200,
  }),
  update: defineRoute({
    method: 'PATCH',
    path: '/work-orders/{id}',
    operationId: 'updateWorkOrder',
    summary: 'Edit a work order (send the version you read)',
    tag: TAG,
    params: idParams,
    body: updateWorkOrderInput,
    response: workOrderSchema,
    status: 200,
  }),
  delete: defineRoute({
    method: 'DELETE',
    path: '/work-orders/{id}',
    operationId: 'deleteWorkOrder',
    summary: 'Delete a work order and its timeline (CRM admin)',
    tag: TAG,
    params: idParams,
    query: deleteQuery,
    status: 204,
  }),
  assign: defineRoute({
    method: 'POST',
    path: '/work-orders/{id}/assign',
    operationId: 'assignWorkOrder',
    summary: 'Change the person in charge',
    tag: TAG,
    params: idParams,
    body: z.strictObject({ ownerId: identifier, version: z.optional(expectedVersion) }),
    response: workOrderSchema,
    status: 200,
  }),
  assignBatch: defineRoute({
    method: 'POST',
    path: '/work-orders/assign',
    operationId: 'assignWorkOrders',
    summary: `Change the person in charge of up to ${MAX_BATCH_ASSIGN} work orders; answers per work order`,
    tag: TAG,
    body: z.strictObject({
      ids: z.array(identifier).check(z.minLength(1), z.maxLength(MAX_BATCH_ASSIGN)),
      ownerId: identifier,
    }),
    response: z.object({
      results: z.array(z.object({ id: z.string(), outcome: batchOutcome, number: z.optional(z.string()) })),
    }),
    status: 200,
  }),
  handle: defineRoute({
    method: 'POST',
    path: '/work-orders/{id}/status',
    operationId: 'changeWorkOrderStatus',
    summary: 'Handle: move the business status (New → In progress → Resolved → Closed, or Cancelled)',
    tag: TAG,
    params: idParams,
    body: z.strictObject({
      status: z.enum(STATUSES),
      version: expectedVersion,
      comment: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(10_000))),
    }),
    response: workOrderSchema,
    status: 200,
  }),
  addTeamMember: defineRoute({
    method: 'POST',
    path: '/work-orders/{id}/team',
    operationId: 'addWorkOrderTeamMember',
    summary: 'Add a team member (read-only or read-write), or change their access',
    tag: TAG,
    params: idParams,
    body: z.strictObject({
      userId: identifier,
      access: z.enum(['read-only', 'read-write']),
      version: expectedVersion,
    }),
    response: workOrderSchema,
    status: 200,
  }),
  removeTeamMember: defineRoute({
    method: 'DELETE',
    path: '/work-orders/{id}/team/{userId}',
    operationId: 'removeWorkOrderTeamMember',
    summary: 'Remove a team member',
    tag: TAG,
    params: z.strictObject({ id: identifier, userId: identifier }),
    query: deleteQuery,
    response: workOrderSchema,
    status: 200,
  }),
  lock: defineRoute({
    method: 'POST',
    path: '/work-orders/{id}/lock',
    operationId: 'lockWorkOrder',
    summary: 'Lock a work order against handling (service manager, CRM admin)',
    tag: TAG,
    params: idParams,
    body: versionBody,
    response: workOrderSchema,
    status: 200,
  }),
  unlock: defineRoute({
    method: 'POST',
    path: '/work-orders/{id}/unlock',
    operationId: 'unlockWorkOrder',
    summary: 'Unlock a work order (service manager, CRM admin)',
    tag: TAG,
    params: idParams,
    body: versionBody,
    response: workOrderSchema,
    status: 200,
  }),
  void: defineRoute({
    method: 'POST',
    path: '/work-orders/{id}/void',
    operationId: 'voidWorkOrder',
    summary: 'Void a work order: it becomes Obsolete, visible to CRM admins only',
    tag: TAG,
    params: idParams,
    body: z.strictObject({
      version: expectedVersion,
      reason: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(2000))),
    }),
    response: workOrderSchema,
    status: 200,
  }),
  records: defineRoute({
    method: 'GET',
    path: '/work-orders/{id}/records',
    operationId: 'listServiceRecords',
    summary: 'The timeline of a work order, oldest first',
    tag: TAG,
    params: idParams,
    query: pageQuery,
    response: listResponse(serviceRecordSchema),
    status: 200,
  }),
  comment: defineRoute({
    method: 'POST',
    path: '/work-orders/{id}/comments',
    operationId: 'commentOnWorkOrder',
    summary: 'Add a comment to the timeline',
    tag: TAG,
    params: idParams,
    body: commentInput,
    response: serviceRecordSchema,
    status: 201,
  }),
  accountSummary: defineRoute({
    method: 'GET',
    path: '/accounts/{id}/summary',
    operationId: 'getAccountSummary',
    summary:
      'What staff see on choosing an account: the account, its contacts and devices, its last 10 work orders, its active agreements',
    tag: TAG,
    params: idParams,
    response: z.object({
      account: accountSchema,
      contacts: z.array(contactSchema),
      devices: z.array(deviceSchema),
      recentWorkOrders: z.array(workOrderSummarySchema),
      activeAgreements: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          subject: z.object({ kind: z.string(), accountId: z.string(), deviceId: z.optional(z.string()) }),
          startDate: z.string(),
          endDate: z.string(),
          coverage: z.string(),
        }),
      ),
    }),
    status: 200,
  }),
};

export const sharingRuleRoutes = masterDataRoutes({
  basePath: '/sharing-rules',
  tag: TAG,
  singular: 'SharingRule',
  plural: 'SharingRules',
  create: createSharingRuleInput,
  update: updateSharingRuleInput,
  entity: sharingRuleSchema,
});

export const workOrderTypeRoutes = masterDataRoutes({
  basePath: '/work-order-types',
  tag: TAG,
  singular: 'WorkOrderType',
  plural: 'WorkOrderTypes',
  create: createWorkOrderTypeInput,
  update: updateWorkOrderTypeInput,
  entity: workOrderTypeSchema,
});

export const allWorkOrderRoutes = [
  ...Object.values(workOrderRoutes),
  ...Object.values(sharingRuleRoutes),
  ...Object.values(workOrderTypeRoutes),
];
