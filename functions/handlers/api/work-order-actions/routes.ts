import * as z from 'zod/mini';
import { identifier, idParams, pageQuery } from '../../../domain/shared/schema';
import { forwardInput } from '../../../domain/work-orders/forward';
import { reminderSchema, setReminderInput } from '../../../domain/work-orders/reminder';
import { serviceRecordSchema } from '../../../domain/work-orders/service-record';
import { defineRoute } from '../http/route';
import { listResponse } from '../master-data-routes';

const TAG = 'Work orders';

/** What people do with a work order besides handling it: print, forward, remind. */
export const workOrderActionRoutes = {
  print: defineRoute({
    method: 'GET',
    path: '/work-orders/{id}/print',
    operationId: 'printWorkOrder',
    summary: 'A printable HTML page of the work order: fields, customer, team and the whole timeline',
    tag: TAG,
    params: idParams,
    responseBody: 'text/html',
    status: 200,
  }),
  forward: defineRoute({
    method: 'POST',
    path: '/work-orders/{id}/forward',
    operationId: 'forwardWorkOrder',
    summary: 'E-mail the work order to up to 10 addresses; the mail goes out asynchronously',
    tag: TAG,
    params: idParams,
    body: forwardInput,
    response: serviceRecordSchema,
    status: 202,
  }),
  setReminder: defineRoute({
    method: 'POST',
    path: '/work-orders/{id}/reminders',
    operationId: 'setWorkOrderReminder',
    summary: 'Remind a user of the work order by e-mail at a time (in the future, within a year)',
    tag: TAG,
    params: idParams,
    body: setReminderInput,
    response: reminderSchema,
    status: 201,
    idempotent: true,
  }),
  listReminders: defineRoute({
    method: 'GET',
    path: '/work-orders/{id}/reminders',
    operationId: 'listWorkOrderReminders',
    summary: 'The reminders of a work order (scheduled, fired, cancelled), oldest first',
    tag: TAG,
    params: idParams,
    query: pageQuery,
    response: listResponse(reminderSchema),
    status: 200,
  }),
  cancelReminder: defineRoute({
    method: 'DELETE',
    path: '/work-orders/{id}/reminders/{reminderId}',
    operationId: 'cancelWorkOrderReminder',
    summary:
      'Cancel a scheduled reminder (whoever set it, the person it reminds, or who may handle the work order)',
    tag: TAG,
    params: z.strictObject({ id: identifier, reminderId: identifier }),
    response: reminderSchema,
    status: 200,
  }),
};

export const allWorkOrderActionRoutes = Object.values(workOrderActionRoutes);
