import type { Role } from '../access/principal';

/** The organisation events after which a login must follow its user record. */
export const IDENTITY_EVENTS = {
  source: 'fieldservice.organisation',
  types: ['UserCreated', 'UserUpdated', 'UserDeleted', 'TenantCreated'],
} as const;

/** What the login directory must hold for one user of one tenant. */
export interface Identity {
  tenantId: string;
  userId: string;
  email: string;
  name: string;
  roles: readonly Role[];
  enabled: boolean;
}

/** The login directory (Cognito in AWS). Every method is idempotent. */
export interface IdentityDirectory {
  /** Creates the login (inviting the user) or brings it in line: attributes, groups, enabled. */
  ensure(identity: Identity): Promise<'created' | 'updated'>;
  remove(tenantId: string, userId: string): Promise<'removed' | 'absent'>;
}

/**
 * One login name per user across all tenants of a user pool: user ids are
 * only unique inside a tenant, so the tenant is part of the name.
 */
export const loginName = (tenantId: string, userId: string) => `${tenantId}.${userId}`;

/** The user id inside `tenantId`, or undefined when the login name belongs to another tenant. */
export function userIdFromLoginName(tenantId: string, login: string): string | undefined {
  const prefix = `${tenantId}.`;
  return login.startsWith(prefix) && login.length > prefix.length ? login.slice(prefix.length) : undefined;
}
