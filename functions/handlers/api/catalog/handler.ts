import { defaultDependencies, idempotencyStore, services } from '../../dependencies';
import { apiHandler } from '../http/api-handler';
import { masterDataImplementations } from '../master-data-routes';
import { productRoutes } from './routes';

const deps = defaultDependencies();
const { products } = services(deps);

export const handler = apiHandler(masterDataImplementations(productRoutes, products), {
  idempotency: idempotencyStore(deps),
});
