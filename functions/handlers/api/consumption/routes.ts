import type { RouteContract } from '../http/route';

export const allConsumptionRoutes: RouteContract[] = [];
