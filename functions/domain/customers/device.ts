import * as z from 'zod/mini';
import type { Entity } from '../shared/entity';
import { type MasterDataRules, requireReference } from '../shared/master-data-service';
import { applyChanges, partial } from '../shared/partial';
import { address, entityFields, expectedVersion, identifier, optionalText, text } from '../shared/schema';
import type { Account } from './account';

const code = (max: number) =>
  z.string().check(z.trim(), z.minLength(1), z.maxLength(max), z.regex(/^[^\s#]+$/, 'No spaces or #'));

const deviceFields = {
  name: text(200),
  serialNumber: code(100),
  qrCode: z.optional(code(500)),
  accountId: z.optional(identifier),
  productId: z.optional(identifier),
  model: optionalText(200),
  installedOn: z.optional(z.iso.date()),
  warrantyUntil: z.optional(z.iso.date()),
  address: z.optional(address),
};

export const createDeviceInput = z.strictObject(deviceFields);
export const updateDeviceInput = z.strictObject({ ...partial(deviceFields), version: expectedVersion });
export const deviceSchema = z.object({ ...entityFields, ...deviceFields });
export const deviceLookupQuery = z.union([
  z.strictObject({ serialNumber: code(100) }),
  z.strictObject({ qrCode: code(500) }),
]);

export type CreateDeviceInput = z.infer<typeof createDeviceInput>;
export type UpdateDeviceInput = z.infer<typeof updateDeviceInput>;
export type Device = Entity & CreateDeviceInput;

export const deviceRules = (
  accounts: { get(tenantId: string, id: string): Promise<Account | undefined> },
  products: { get(tenantId: string, id: string): Promise<unknown> },
): MasterDataRules<Device, CreateDeviceInput, UpdateDeviceInput> => ({
  resource: 'Device',
  eventSource: 'fieldservice.customers',
  permissions: { read: 'customer:read', write: 'customer:write', delete: 'customer:delete' },
  create: (input, base) => ({ ...base, ...input }),
  update: (device, changes) => applyChanges(device, changes),
  check: async (device, previous) => {
    if (device.accountId !== previous?.accountId) {
      await requireReference('accountId', 'account', device.accountId, (id) =>
        accounts.get(device.tenantId, id),
      );
    }
    if (device.productId !== previous?.productId) {
      await requireReference('productId', 'product', device.productId, (id) =>
        products.get(device.tenantId, id),
      );
    }
  },
});
