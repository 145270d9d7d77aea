import * as z from 'zod/mini';
import type { Entity } from '../shared/entity';
import { ConflictError } from '../shared/errors';
import type { MasterDataRules } from '../shared/master-data-service';
import { applyChanges, partial } from '../shared/partial';
import { address, email, entityFields, expectedVersion, optionalText, phone, text } from '../shared/schema';

const accountFields = {
  name: text(200),
  kind: z.optional(z.enum(['company', 'person'])),
  email: z.optional(email),
  phone: z.optional(phone),
  address: z.optional(address),
  notes: optionalText(2000),
};

export const createAccountInput = z.strictObject(accountFields);
export const updateAccountInput = z.strictObject({ ...partial(accountFields), version: expectedVersion });
export const accountSchema = z.object({
  ...entityFields,
  ...accountFields,
  kind: z.enum(['company', 'person']),
});

export type CreateAccountInput = z.infer<typeof createAccountInput>;
export type UpdateAccountInput = z.infer<typeof updateAccountInput>;
export type Account = Entity & Omit<CreateAccountInput, 'kind'> & { kind: 'company' | 'person' };

export const accountRules = (children: {
  hasChildren(tenantId: string, accountId: string): Promise<boolean>;
}): MasterDataRules<Account, CreateAccountInput, UpdateAccountInput> => ({
  resource: 'Account',
  eventSource: 'fieldservice.customers',
  permissions: { read: 'customer:read', write: 'customer:write', delete: 'customer:delete' },
  create: (input, base) => ({ ...base, ...input, kind: input.kind ?? 'company' }),
  update: (account, changes) => applyChanges(account, changes),
  checkDelete: async (account) => {
    if (await children.hasChildren(account.tenantId, account.id)) {
      throw new ConflictError(
        `Account ${account.id} still has contacts or devices; move or delete them first`,
      );
    }
  },
});
