import { fromEnvironment } from '../../../composition/environment';
import { type WorkOrderApplication, workOrderApplication } from '../../../composition/work-orders';
import { authorize } from '../../../domain/access/permissions';
import { builtOnFirstCall } from '../../entry';
import { apiHandler } from '../http/api-handler';
import { implement } from '../http/route';
import { masterDataImplementations } from '../master-data-routes';
import { workOrderRoutes as routes, sharingRuleRoutes, workOrderTypeRoutes } from './routes';

export function createHandler(app: WorkOrderApplication) {
  const { accounts, repositories } = app.masterData;
  const { workOrders, sharingRules, workOrderTypes } = app.workOrders;
  return apiHandler(
    [
      implement(routes.create, async ({ principal, body, claims, metrics }) => {
        const workOrder = await workOrders.create(principal, body, claims);
        metrics.count('WorkOrdersCreated');
        return workOrder;
      }),
      implement(routes.scene, ({ principal, query }) => workOrders.scene(principal, query)),
      implement(routes.get, ({ principal, params }) => workOrders.get(principal, params.id)),
      implement(routes.byNumber, ({ principal, params }) => workOrders.getByNumber(principal, params.number)),
      implement(routes.update, ({ principal, params, body }) =>
        workOrders.update(principal, params.id, body),
      ),
      implement(routes.delete, ({ principal, params, query }) =>
        workOrders.delete(principal, params.id, query.version),
      ),
      implement(routes.assign, ({ principal, params, body }) =>
        workOrders.assign(principal, params.id, body.ownerId, body.version),
      ),
      implement(routes.assignBatch, async ({ principal, body }) => ({
        results: await workOrders.assignBatch(principal, body.ids, body.ownerId),
      })),
      implement(routes.handle, ({ principal, params, body }) =>
        workOrders.handle(principal, params.id, body.status, body.version, body.comment),
      ),
      implement(routes.addTeamMember, ({ principal, params, body }) =>
        workOrders.addTeamMember(
          principal,
          params.id,
          { userId: body.userId, access: body.access },
          body.version,
        ),
      ),
      implement(routes.removeTeamMember, ({ principal, params, query }) =>
        workOrders.removeTeamMember(principal, params.id, params.userId, query.version),
      ),
      implement(routes.lock, ({ principal, params, body }) =>
        workOrders.setLocked(principal, params.id, true, body.version),
      ),
      implement(routes.unlock, ({ principal, params, body }) =>
        workOrders.setLocked(principal, params.id, false, body.version),
      ),
      implement(routes.void, ({ principal, params, body }) =>
        workOrders.void(principal, params.id, body.version, body.reason),
      ),
      implement(routes.records, ({ principal, params, query }) =>
        workOrders.records(principal, params.id, query),
      ),
      implement(routes.comment, ({ principal, params, body }) =>
        workOrders.comment(principal, params.id, body.text),
      ),
      implement(routes.accountSummary, async ({ principal, params }) => {
        const account = await accounts.get(principal, params.id);
        authorize(principal, 'customer:read');
        const [contacts, devices, recent, agreements] = await Promise.all([
          repositories.contacts.ofAccount(principal.tenantId, account.id, { limit: 100 }),
          repositories.devices.ofAccount(principal.tenantId, account.id, { limit: 100 }),
          workOrders.accountHistory(principal, account.id, 10),
          app.activeAgreements(principal.tenantId, account.id),
        ]);
        return {
          account,
          contacts: contacts.items,
          devices: devices.items,
          recentWorkOrders: recent,
          activeAgreements: agreements,
        };
      }),
      ...masterDataImplementations(sharingRuleRoutes, sharingRules),
      ...masterDataImplementations(workOrderTypeRoutes, workOrderTypes),
    ],
    { idempotency: app.idempotency },
  );
}

export const handler = builtOnFirstCall(() => createHandler(fromEnvironment(workOrderApplication)));
