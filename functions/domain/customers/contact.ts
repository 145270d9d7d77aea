import * as z from 'zod/mini';
import type { Entity } from '../shared/entity';
import { type MasterDataRules, requireReference } from '../shared/master-data-service';
import { applyChanges, partial } from '../shared/partial';
import {
  email,
  entityFields,
  expectedVersion,
  identifier,
  optionalText,
  phone,
  text,
} from '../shared/schema';
import type { Account } from './account';

const contactFields = {
  accountId: z.optional(identifier),
  firstName: optionalText(100),
  lastName: text(100),
  title: optionalText(100),
  email: z.optional(email),
  phone: z.optional(phone),
  mobile: z.optional(phone),
  preferredChannel: z.optional(z.enum(['email', 'phone', 'sms'])),
};

export const createContactInput = z.strictObject(contactFields);
export const updateContactInput = z.strictObject({ ...partial(contactFields), version: expectedVersion });
export const contactSchema = z.object({ ...entityFields, ...contactFields });

export type CreateContactInput = z.infer<typeof createContactInput>;
export type UpdateContactInput = z.infer<typeof updateContactInput>;
export type Contact = Entity & CreateContactInput;

export const contactRules = (accounts: {
  get(tenantId: string, id: string): Promise<Account | undefined>;
}): MasterDataRules<Contact, CreateContactInput, UpdateContactInput> => ({
  resource: 'Contact',
  eventSource: 'fieldservice.customers',
  permissions: { read: 'customer:read', write: 'customer:write', delete: 'customer:delete' },
  create: (input, base) => ({ ...base, ...input }),
  update: (contact, changes) => applyChanges(contact, changes),
  check: async (contact, previous) => {
    if (contact.accountId !== previous?.accountId) {
      await requireReference('accountId', 'account', contact.accountId, (id) =>
        accounts.get(contact.tenantId, id),
      );
    }
  },
});
