import * as z from 'zod/mini';
import {
  confirmationSchema,
  decisionInput,
  startConfirmationInput,
} from '../../../domain/consumption/confirmation';
import {
  addServiceProductInput,
  serviceProductSchema,
  updateServiceProductInput,
} from '../../../domain/consumption/service-product';
import { recordSparePartInput, sparePartSchema } from '../../../domain/consumption/spare-part';
import { identifier, idParams, pageQuery } from '../../../domain/shared/schema';
import { defineRoute } from '../http/route';
import { deleteQuery, listResponse } from '../master-data-routes';

const TAG = 'Consumption and billing';
const productParams = z.strictObject({ id: identifier, serviceProductId: identifier });
const items = <T extends z.ZodMiniType>(item: T) => z.object({ items: z.array(item) });

export const serviceProductRoutes = {
  list: defineRoute({
    method: 'GET',
    path: '/work-orders/{id}/service-products',
    operationId: 'listServiceProducts',
    summary: "The work order's service products: services and spare parts consumed, confirmed or not",
    tag: TAG,
    params: idParams,
    response: items(serviceProductSchema),
    status: 200,
  }),
  add: defineRoute({
    method: 'POST',
    path: '/work-orders/{id}/service-products',
    operationId: 'addServiceProduct',
    summary: 'Add a service product (quantity used, and to bill: the quantity used unless given)',
    tag: TAG,
    params: idParams,
    body: addServiceProductInput,
    response: serviceProductSchema,
    status: 201,
    idempotent: true,
  }),
  get: defineRoute({
    method: 'GET',
    path: '/work-orders/{id}/service-products/{serviceProductId}',
    operationId: 'getServiceProduct',
    summary: 'Read one service product of a work order',
    tag: TAG,
    params: productParams,
    response: serviceProductSchema,
    status: 200,
  }),
  update: defineRoute({
    method: 'PATCH',
    path: '/work-orders/{id}/service-products/{serviceProductId}',
    operationId: 'updateServiceProduct',
    summary: 'Change the quantities or note of an unconfirmed service product (send the version you read)',
    tag: TAG,
    params: productParams,
    body: updateServiceProductInput,
    response: serviceProductSchema,
    status: 200,
  }),
  delete: defineRoute({
    method: 'DELETE',
    path: '/work-orders/{id}/service-products/{serviceProductId}',
    operationId: 'deleteServiceProduct',
    summary: 'Remove an unconfirmed service product (send the version you read)',
    tag: TAG,
    params: productParams,
    query: deleteQuery,
    status: 204,
  }),
};

export const sparePartRoutes = {
  list: defineRoute({
    method: 'GET',
    path: '/work-orders/{id}/spare-parts',
    operationId: 'listSpareParts',
    summary: 'The spare parts recorded on a work order, and which service product each became',
    tag: TAG,
    params: idParams,
    response: items(sparePartSchema),
    status: 200,
  }),
  record: defineRoute({
    method: 'POST',
    path: '/work-orders/{id}/spare-parts',
    operationId: 'recordSparePart',
    summary: 'Record a spare part fitted; it becomes a service product when the consumption is confirmed',
    tag: TAG,
    params: idParams,
    body: recordSparePartInput,
    response: sparePartSchema,
    status: 201,
    idempotent: true,
  }),
};

export const confirmationRoutes = {
  start: defineRoute({
    method: 'POST',
    path: '/work-orders/{id}/consumption-confirmations',
    operationId: 'startConsumptionConfirmation',
    summary:
      "Confirm the work order's consumption: priced against its agreement, then waiting for a service manager (202; follow it at GET /consumption-confirmations/{id})",
    tag: TAG,
    params: idParams,
    body: startConfirmationInput,
    response: confirmationSchema,
    status: 202,
    idempotent: true,
  }),
  listForWorkOrder: defineRoute({
    method: 'GET',
    path: '/work-orders/{id}/consumption-confirmations',
    operationId: 'listConsumptionConfirmations',
    summary: "The work order's consumption confirmations, newest first",
    tag: TAG,
    params: idParams,
    query: pageQuery,
    response: listResponse(confirmationSchema),
    status: 200,
  }),
  get: defineRoute({
    method: 'GET',
    path: '/consumption-confirmations/{id}',
    operationId: 'getConsumptionConfirmation',
    summary: 'One confirmation with every step it went through',
    tag: TAG,
    params: idParams,
    response: confirmationSchema,
    status: 200,
  }),
  approve: defineRoute({
    method: 'POST',
    path: '/consumption-confirmations/{id}/approve',
    operationId: 'approveConsumptionConfirmation',
    summary: 'Approve a confirmation that awaits approval (service managers): it is billed',
    tag: TAG,
    params: idParams,
    body: decisionInput,
    response: confirmationSchema,
    status: 200,
  }),
  reject: defineRoute({
    method: 'POST',
    path: '/consumption-confirmations/{id}/reject',
    operationId: 'rejectConsumptionConfirmation',
    summary: 'Reject a confirmation that awaits approval (service managers): its coverage is released',
    tag: TAG,
    params: idParams,
    body: decisionInput,
    response: confirmationSchema,
    status: 200,
  }),
};

export const allConsumptionRoutes = [
  ...Object.values(serviceProductRoutes),
  ...Object.values(sparePartRoutes),
  ...Object.values(confirmationRoutes),
];
