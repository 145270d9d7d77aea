import { allRoutes } from '../api-functions';
import { apiHandler } from '../http/api-handler';
import { implement } from '../http/route';
import { openApiDocument } from './openapi';
import { systemRoutes } from './routes';

let document: ReturnType<typeof openApiDocument> | undefined;

/** Health and the OpenAPI document: nothing of the application is needed. */
export const createHandler = (_app?: unknown) =>
  apiHandler(
    [
      implement(systemRoutes.health, async () => ({ status: 'ok' })),
      implement(systemRoutes.openapi, async () => {
        document ??= openApiDocument(allRoutes(), { title: 'Field service API', version: '1' });
        return document;
      }),
    ],
    {},
  );

export const handler = createHandler();
