import * as z from 'zod/mini';
import {
  agreementSchema,
  createAgreementInput,
  terminateAgreementInput,
} from '../../../domain/agreements/agreement';
import {
  agreementRuleSchema,
  createAgreementRuleInput,
  updateAgreementRuleInput,
} from '../../../domain/agreements/agreement-rule';
import { ledgerEntrySchema } from '../../../domain/agreements/ledger';
import { createSalesOrderInput, salesOrderSchema } from '../../../domain/agreements/sales-order';
import { expectedVersion, identifier, idParams, pageQuery } from '../../../domain/shared/schema';
import { defineRoute } from '../http/route';
import { listResponse, masterDataRoutes } from '../master-data-routes';

const TAG = 'Agreements';

export const agreementRuleRoutes = masterDataRoutes({
  basePath: '/agreement-rules',
  tag: TAG,
  singular: 'AgreementRule',
  plural: 'AgreementRules',
  create: createAgreementRuleInput,
  update: updateAgreementRuleInput,
  entity: agreementRuleSchema,
});

const generationResponse = z.object({
  salesOrderId: z.string(),
  created: z.array(agreementSchema),
  existing: z.array(z.object({ ruleId: z.string(), agreementId: z.string() })),
  skipped: z.array(z.object({ ruleId: z.string(), reason: z.string() })),
});

export const salesOrderRoutes = {
  create: defineRoute({
    method: 'POST',
    path: '/sales-orders',
    operationId: 'createSalesOrder',
    summary: 'Place a sales order (priced from the catalog); its agreements are generated after it',
    tag: TAG,
    body: createSalesOrderInput,
    response: salesOrderSchema,
    status: 201,
    idempotent: true,
  }),
  list: defineRoute({
    method: 'GET',
    path: '/sales-orders',
    operationId: 'listSalesOrders',
    summary: 'List sales orders, oldest first',
    tag: TAG,
    query: pageQuery,
    response: listResponse(salesOrderSchema),
    status: 200,
  }),
  get: defineRoute({
    method: 'GET',
    path: '/sales-orders/{id}',
    operationId: 'getSalesOrder',
    summary: 'Read one sales order',
    tag: TAG,
    params: idParams,
    response: salesOrderSchema,
    status: 200,
  }),
  generate: defineRoute({
    method: 'POST',
    path: '/sales-orders/{id}/generate-agreements',
    operationId: 'generateAgreements',
    summary:
      "Generate the order's agreements by the tenant's rules now; what exists already is named, not made again",
    tag: TAG,
    params: idParams,
    response: generationResponse,
    status: 200,
  }),
};

export const agreementRoutes = {
  create: defineRoute({
    method: 'POST',
    path: '/service-agreements',
    operationId: 'createServiceAgreement',
    summary: 'Create a service agreement directly (as a draft)',
    tag: TAG,
    body: createAgreementInput,
    response: agreementSchema,
    status: 201,
    idempotent: true,
  }),
  list: defineRoute({
    method: 'GET',
    path: '/service-agreements',
    operationId: 'listServiceAgreements',
    summary: "List service agreements, oldest first; `accountId` lists one account's (its devices' too)",
    tag: TAG,
    query: z.strictObject({
      accountId: z.optional(identifier),
      limit: pageQuery.shape.limit,
      cursor: pageQuery.shape.cursor,
    }),
    response: listResponse(agreementSchema),
    status: 200,
  }),
  get: defineRoute({
    method: 'GET',
    path: '/service-agreements/{id}',
    operationId: 'getServiceAgreement',
    summary: 'Read one service agreement, every counted line with its ledger',
    tag: TAG,
    params: idParams,
    response: agreementSchema,
    status: 200,
  }),
  activate: defineRoute({
    method: 'POST',
    path: '/service-agreements/{id}/activate',
    operationId: 'activateServiceAgreement',
    summary:
      'Activate a draft agreement (send the version you read); it turns non-warranty after its last day',
    tag: TAG,
    params: idParams,
    body: z.strictObject({ version: expectedVersion }),
    response: agreementSchema,
    status: 200,
  }),
  terminate: defineRoute({
    method: 'POST',
    path: '/service-agreements/{id}/terminate',
    operationId: 'terminateServiceAgreement',
    summary:
      'End an active agreement early, with a reason (send the version you read): it covers nothing from now on and its service plans end',
    tag: TAG,
    params: idParams,
    body: terminateAgreementInput,
    response: agreementSchema,
    status: 200,
  }),
  ledger: defineRoute({
    method: 'GET',
    path: '/service-agreements/{id}/lines/{lineId}/ledger',
    operationId: 'getAgreementLineLedger',
    summary: "A counted line's count and every redemption and release of it, oldest first",
    tag: TAG,
    params: z.strictObject({
      id: identifier,
      lineId: z.string().check(z.regex(/^[0-9]{1,3}$/, 'A line number')),
    }),
    response: z.object({
      agreementId: z.string(),
      lineId: z.string(),
      quantity: z.int(),
      redeemed: z.int(),
      released: z.int(),
      remaining: z.int(),
      entries: z.array(ledgerEntrySchema),
    }),
    status: 200,
  }),
};

export const allAgreementRoutes = [
  ...Object.values(salesOrderRoutes),
  ...Object.values(agreementRuleRoutes),
  ...Object.values(agreementRoutes),
];
