import type { Application } from '../../../composition/application';
import { applicationFromEnvironment } from '../../../composition/environment';
import { builtOnFirstCall } from '../../entry';
import { apiHandler } from '../http/api-handler';
import { masterDataImplementations } from '../master-data-routes';
import { productRoutes } from './routes';

export const createHandler = (app: Application) =>
  apiHandler(masterDataImplementations(productRoutes, app.masterData.products), {
    idempotency: app.idempotency,
  });

export const handler = builtOnFirstCall(() => createHandler(applicationFromEnvironment()));
