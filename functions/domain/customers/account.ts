import type { Entity } from '../shared/entity';
import type { MasterDataRules } from '../shared/master-data-service';
import {
  address,
  email,
  entityFields,
  expectedVersion,
  optionalText,
  phone,
  text,
  z,
} from '../shared/schema';

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

export const accountRules: MasterDataRules<Account, CreateAccountInput, UpdateAccountInput> = {
  resource: 'Account',
  eventSource: 'fieldservice.customers',
  permissions: { read: 'customer:read', write: 'customer:write', delete: 'customer:delete' },
  create: (input, base) => ({ ...base, ...input, kind: input.kind ?? 'company' }),
  update: (account, { version: _version, ...changes }) => ({ ...account, ...changes }),
};

/** Every field optional, for PATCH bodies. */
export function partial<S extends Record<string, z.ZodMiniType>>(
  shape: S,
): { [K in keyof S]: z.ZodMiniOptional<S[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, z.optional(v)])) as {
    [K in keyof S]: z.ZodMiniOptional<S[K]>;
  };
}
