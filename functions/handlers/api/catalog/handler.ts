import { fromEnvironment } from '../../../composition/environment';
import { type MasterDataApplication, masterDataApplication } from '../../../composition/master-data';
import { builtOnFirstCall } from '../../entry';
import { apiHandler } from '../http/api-handler';
import { masterDataImplementations } from '../master-data-routes';
import { productRoutes } from './routes';

export const createHandler = (app: MasterDataApplication) =>
  apiHandler(masterDataImplementations(productRoutes, app.masterData.products), {
    idempotency: app.idempotency,
  });

export const handler = builtOnFirstCall(() => createHandler(fromEnvironment(masterDataApplication)));
