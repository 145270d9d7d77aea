import { fromEnvironment } from '../../../composition/environment';
import { type MasterDataApplication, masterDataApplication } from '../../../composition/master-data';
import { authorize } from '../../../domain/access/permissions';
import { pageRequest } from '../../../domain/shared/entity';
import { NotFoundError } from '../../../domain/shared/errors';
import { builtOnFirstCall } from '../../entry';
import { apiHandler } from '../http/api-handler';
import { implement } from '../http/route';
import { masterDataImplementations } from '../master-data-routes';
import { accountRoutes, contactRoutes, customerRoutes, deviceRoutes } from './routes';

export function createHandler(app: MasterDataApplication) {
  const { accounts, contacts, devices, repositories, customerLookup } = app.masterData;
  return apiHandler(
    [
      ...masterDataImplementations(accountRoutes, accounts),
      ...masterDataImplementations(contactRoutes, contacts),
      ...masterDataImplementations(deviceRoutes, devices),
      implement(customerRoutes.accountContacts, async ({ principal, params, query }) => {
        const account = await accounts.get(principal, params.id);
        return repositories.contacts.ofAccount(principal.tenantId, account.id, pageRequest(query));
      }),
      implement(customerRoutes.accountDevices, async ({ principal, params, query }) => {
        const account = await accounts.get(principal, params.id);
        return repositories.devices.ofAccount(principal.tenantId, account.id, pageRequest(query));
      }),
      implement(customerRoutes.deviceLookup, async ({ principal, query }) => {
        authorize(principal, 'customer:read');
        const device = await repositories.devices.findBy(principal.tenantId, query);
        if (!device)
          throw new NotFoundError('Device', 'serialNumber' in query ? query.serialNumber : query.qrCode);
        return device;
      }),
      implement(customerRoutes.customerLookup, ({ principal, query }) =>
        customerLookup.lookup(principal, query.q),
      ),
    ],
    { idempotency: app.idempotency },
  );
}

export const handler = builtOnFirstCall(() => createHandler(fromEnvironment(masterDataApplication)));
