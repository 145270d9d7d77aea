import { fromEnvironment } from '../../../composition/environment';
import { type MasterDataApplication, masterDataApplication } from '../../../composition/master-data';
import { pageRequest } from '../../../domain/shared/entity';
import { builtOnFirstCall } from '../../entry';
import { apiHandler } from '../http/api-handler';
import { implement } from '../http/route';
import { masterDataImplementations } from '../master-data-routes';
import {
  departmentRoutes,
  organisationRoutes,
  sceneReindexRoutes,
  userGroupRoutes,
  userRoutes,
} from './routes';

export function createHandler(app: MasterDataApplication) {
  const { tenants, users, departments, userGroups, repositories, sceneReindexJobs } = app.masterData;
  return apiHandler(
    [
      implement(organisationRoutes.getTenant, ({ principal }) => tenants.get(principal)),
      implement(organisationRoutes.updateTenant, ({ principal, body }) => tenants.update(principal, body)),
      ...masterDataImplementations(userRoutes, users),
      implement(organisationRoutes.subordinates, async ({ principal, params, query }) => {
        const user = await users.get(principal, params.id);
        return repositories.users.subordinates(principal.tenantId, user.id, pageRequest(query));
      }),
      ...masterDataImplementations(departmentRoutes, departments),
      ...masterDataImplementations(userGroupRoutes, userGroups),
      implement(organisationRoutes.groupMembers, ({ principal, params, query }) =>
        userGroups.members(principal, params.id, query),
      ),
      implement(organisationRoutes.changeGroupMembers, ({ principal, params, body }) =>
        userGroups.changeMembers(principal, params.id, body),
      ),
      implement(sceneReindexRoutes.list, ({ principal, query }) => sceneReindexJobs.list(principal, query)),
      implement(sceneReindexRoutes.get, ({ principal, params }) =>
        sceneReindexJobs.get(principal, params.id),
      ),
    ],
    { idempotency: app.idempotency },
  );
}

export const handler = builtOnFirstCall(() => createHandler(fromEnvironment(masterDataApplication)));
