import { allAgreementRoutes } from './agreements/routes';
import { allBillingRoutes } from './billing/routes';
import { productRoutes } from './catalog/routes';
import { allConsumptionRoutes } from './consumption/routes';
import { allCustomerRoutes } from './customers/routes';
import type { RouteContract } from './http/route';
import { allMailRoutes } from './mail/routes';
import { allOrganisationRoutes } from './organisation/routes';
import { allServicePlanRoutes } from './service-plans/routes';
import { systemRoutes } from './system/routes';
import { allWorkOrderActionRoutes } from './work-order-actions/routes';
import { workOrderTransferRoutes } from './work-order-transfer/routes';
import { allWorkOrderRoutes } from './work-orders/routes';

export interface ApiFunction {
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  /** Asynchronous work or heavy dependencies may need more. */
  memoryMb?: number;
  /** Longer than the default 10 s only for bulk work; API Gateway stops waiting at 30 s. */
  timeoutSeconds?: number;
  routes: RouteContract[];
}

/**
 * Every API function and the routes it serves. The CDK stack creates one
 * Lambda and its API Gateway routes per entry, the local server dispatches
 * with it, and the OpenAPI document is generated from it.
 */
export const API_FUNCTIONS = {
  system: { entry: 'functions/handlers/api/system/handler.ts', routes: Object.values(systemRoutes) },
  organisation: { entry: 'functions/handlers/api/organisation/handler.ts', routes: allOrganisationRoutes },
  customers: { entry: 'functions/handlers/api/customers/handler.ts', routes: allCustomerRoutes },
  catalog: { entry: 'functions/handlers/api/catalog/handler.ts', routes: Object.values(productRoutes) },
  'work-orders': { entry: 'functions/handlers/api/work-orders/handler.ts', routes: allWorkOrderRoutes },
  'work-order-actions': {
    entry: 'functions/handlers/api/work-order-actions/handler.ts',
    routes: allWorkOrderActionRoutes,
  },
  'work-order-transfer': {
    entry: 'functions/handlers/api/work-order-transfer/handler.ts',
    timeoutSeconds: 29,
    memoryMb: 1024,
    routes: Object.values(workOrderTransferRoutes),
  },
  agreements: { entry: 'functions/handlers/api/agreements/handler.ts', routes: allAgreementRoutes },
  consumption: { entry: 'functions/handlers/api/consumption/handler.ts', routes: allConsumptionRoutes },
  billing: { entry: 'functions/handlers/api/billing/handler.ts', routes: allBillingRoutes },
  'service-plans': { entry: 'functions/handlers/api/service-plans/handler.ts', routes: allServicePlanRoutes },
  mail: {
    entry: 'functions/handlers/api/mail/handler.ts',
    // Testing rules and replaying parse a stored mail (up to SES's 40 MB).
    memoryMb: 1024,
    timeoutSeconds: 29,
    routes: allMailRoutes,
  },
} satisfies Record<string, ApiFunction>;

export type ApiFunctionName = keyof typeof API_FUNCTIONS;

export const allRoutes = (): RouteContract[] => Object.values(API_FUNCTIONS).flatMap((fn) => fn.routes);
