import * as z from 'zod/mini';
import { defineRoute } from '../http/route';

export const systemRoutes = {
  health: defineRoute({
    method: 'GET',
    path: '/health',
    operationId: 'health',
    summary: 'Liveness check',
    tag: 'System',
    response: z.object({ status: z.literal('ok') }),
    status: 200,
    auth: 'none',
  }),
  openapi: defineRoute({
    method: 'GET',
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'System',
    status: 200,
    auth: 'none',
  }),
};
