import * as z from 'zod/mini';
import {
  billingRuleSchema,
  createBillingRuleInput,
  updateBillingRuleInput,
} from '../../../domain/billing/billing-rule';
import { idParams } from '../../../domain/shared/schema';
import { defineRoute } from '../http/route';
import { masterDataRoutes } from '../master-data-routes';

const TAG = 'Billing';

export const billingRuleRoutes = masterDataRoutes({
  basePath: '/billing-rules',
  tag: TAG,
  singular: 'BillingRule',
  plural: 'BillingRules',
  create: createBillingRuleInput,
  update: updateBillingRuleInput,
  entity: billingRuleSchema,
});

export const paymentRoutes = {
  paymentQr: defineRoute({
    method: 'GET',
    path: '/sales-orders/{id}/payment-qr',
    operationId: 'getSalesOrderPaymentQr',
    summary:
      "The order's payment QR code by the tenant's payment settings (a payment link, or an EPC/SEPA credit transfer): SVG, or PNG with format=png",
    tag: TAG,
    params: idParams,
    query: z.strictObject({ format: z.optional(z.enum(['svg', 'png'])) }),
    responseBody: ['image/svg+xml', 'image/png'],
    status: 200,
  }),
};

export const allBillingRoutes = [...Object.values(billingRuleRoutes), ...Object.values(paymentRoutes)];
