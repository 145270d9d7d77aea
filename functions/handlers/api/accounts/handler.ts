import { apiHandler } from '../../../shared/http/api-handler';
import { accountService, defaultDependencies, idempotencyStore } from '../../dependencies';
import { masterDataImplementations } from '../master-data-routes';
import { accountRoutes } from './routes';

const deps = defaultDependencies();
const accounts = accountService(deps);

export const handler = apiHandler(
  masterDataImplementations(accountRoutes, () => accounts),
  { idempotency: idempotencyStore(deps) },
);
