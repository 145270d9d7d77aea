import * as z from 'zod/mini';
import { accountSchema, createAccountInput, updateAccountInput } from '../../../domain/customers/account';
import { contactSchema, createContactInput, updateContactInput } from '../../../domain/customers/contact';
import {
  createDeviceInput,
  deviceLookupQuery,
  deviceSchema,
  updateDeviceInput,
} from '../../../domain/customers/device';
import { LOOKUP_MODES } from '../../../domain/customers/lookup';
import { idParams, pageQuery } from '../../../domain/shared/schema';
import { defineRoute } from '../http/route';
import { listResponse, masterDataRoutes } from '../master-data-routes';

const TAG = 'Customers';

const customerSummarySchema = z.object({
  type: z.enum(['account', 'contact']),
  id: z.string(),
  name: z.string(),
  accountId: z.optional(z.string()),
  email: z.optional(z.string()),
  phone: z.optional(z.string()),
});
const customerLookupQuery = z.strictObject({
  q: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
});
const customerLookupResponse = z.object({
  mode: z.enum(LOOKUP_MODES),
  items: z.array(customerSummarySchema),
});

export const accountRoutes = masterDataRoutes({
  basePath: '/accounts',
  tag: TAG,
  singular: 'Account',
  plural: 'Accounts',
  create: createAccountInput,
  update: updateAccountInput,
  entity: accountSchema,
});

export const contactRoutes = masterDataRoutes({
  basePath: '/contacts',
  tag: TAG,
  singular: 'Contact',
  plural: 'Contacts',
  create: createContactInput,
  update: updateContactInput,
  entity: contactSchema,
});

export const deviceRoutes = masterDataRoutes({
  basePath: '/devices',
  tag: TAG,
  singular: 'Device',
  plural: 'Devices',
  create: createDeviceInput,
  update: updateDeviceInput,
  entity: deviceSchema,
});

export const customerRoutes = {
  accountContacts: defineRoute({
    method: 'GET',
    path: '/accounts/{id}/contacts',
    operationId: 'listAccountContacts',
    summary: "List an account's contacts",
    tag: TAG,
    params: idParams,
    query: pageQuery,
    response: listResponse(contactSchema),
    status: 200,
  }),
  accountDevices: defineRoute({
    method: 'GET',
    path: '/accounts/{id}/devices',
    operationId: 'listAccountDevices',
    summary: "List an account's devices",
    tag: TAG,
    params: idParams,
    query: pageQuery,
    response: listResponse(deviceSchema),
    status: 200,
  }),
  deviceLookup: defineRoute({
    method: 'GET',
    path: '/devices/lookup',
    operationId: 'lookUpDevice',
    summary: 'Find a device by its serial number or the value of its QR code',
    tag: TAG,
    query: deviceLookupQuery,
    response: deviceSchema,
    status: 200,
  }),
  customerLookup: defineRoute({
    method: 'GET',
    path: '/customers/lookup',
    operationId: 'lookUpCustomer',
    summary:
      "Find accounts and contacts by name, e-mail or phone, in the tenant's lookup mode (fuzzy or exact)",
    tag: TAG,
    query: customerLookupQuery,
    response: customerLookupResponse,
    status: 200,
  }),
};

export const allCustomerRoutes = [
  ...Object.values(accountRoutes),
  ...Object.values(contactRoutes),
  ...Object.values(deviceRoutes),
  ...Object.values(customerRoutes),
];
