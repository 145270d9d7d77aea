import { paymentQrPng, paymentQrSvg } from '../../../adapters/qr/payment-qr';
import { type BillingApplication, billingApplication } from '../../../composition/billing';
import { fromEnvironment } from '../../../composition/environment';
import { builtOnFirstCall } from '../../entry';
import { apiHandler } from '../http/api-handler';
import { implement, rawResponse } from '../http/route';
import { masterDataImplementations } from '../master-data-routes';
import { billingRuleRoutes, paymentRoutes } from './routes';

/** Billing rules, and the payment QR of orders. */
export function createHandler(app: BillingApplication) {
  const { billingRules, payments } = app.billing;
  return apiHandler(
    [
      ...masterDataImplementations(billingRuleRoutes, billingRules),
      implement(paymentRoutes.paymentQr, async ({ principal, params, query }) => {
        const payload = await payments.payload(principal, params.id);
        const image = query.format === 'png' ? paymentQrPng(payload) : paymentQrSvg(payload);
        return rawResponse(image.contentType, image.body, { 'cache-control': 'private, max-age=300' });
      }),
    ],
    { idempotency: app.idempotency },
  );
}

export const handler = builtOnFirstCall(() => createHandler(fromEnvironment(billingApplication)));
