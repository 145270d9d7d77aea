import { accountSchema, createAccountInput, updateAccountInput } from '../../../domain/customers/account';
import { masterDataRoutes } from '../master-data-routes';

export const accountRoutes = masterDataRoutes({
  basePath: '/accounts',
  tag: 'Customers',
  singular: 'Account',
  plural: 'Accounts',
  create: createAccountInput,
  update: updateAccountInput,
  entity: accountSchema,
});
