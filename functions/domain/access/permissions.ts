import { ForbiddenError } from '../shared/errors';
import type { Principal, Role } from './principal';

/**
 * The master-data permission table: which roles may do what. Reads are open to
 * every role of the tenant; writes follow what an admin console allows.
 * docs/permissions.md shows the same table and a test keeps the two in step.
 */
export const MASTER_DATA_PERMISSIONS = {
  'tenant:read': ['crm-admin', 'service-manager', 'service-staff', 'call-center-agent', 'integration'],
  'tenant:configure': ['crm-admin'],
  'user:read': ['crm-admin', 'service-manager', 'service-staff', 'call-center-agent', 'integration'],
  'user:write': ['crm-admin'],
  'department:read': ['crm-admin', 'service-manager', 'service-staff', 'call-center-agent', 'integration'],
  'department:write': ['crm-admin'],
  'user-group:read': ['crm-admin', 'service-manager', 'service-staff', 'call-center-agent', 'integration'],
  'user-group:write': ['crm-admin'],
  'product:read': ['crm-admin', 'service-manager', 'service-staff', 'call-center-agent', 'integration'],
  'product:write': ['crm-admin'],
  'customer:read': ['crm-admin', 'service-manager', 'service-staff', 'call-center-agent', 'integration'],
  'customer:write': ['crm-admin', 'service-manager', 'service-staff', 'call-center-agent', 'integration'],
  'customer:delete': ['crm-admin'],
  'sharing-rule:read': ['crm-admin', 'service-manager'],
  'sharing-rule:write': ['crm-admin'],
  'work-order-type:read': [
    'crm-admin',
    'service-manager',
    'service-staff',
    'call-center-agent',
    'integration',
  ],
  'work-order-type:write': ['crm-admin'],
  'work-order:create': ['crm-admin', 'service-manager', 'service-staff', 'call-center-agent', 'integration'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof MASTER_DATA_PERMISSIONS;

export function can(principal: Principal, permission: Permission): boolean {
  const allowed: readonly Role[] = MASTER_DATA_PERMISSIONS[permission];
  return principal.roles.some((role) => allowed.includes(role));
}

export function authorize(principal: Principal, permission: Permission): void {
  if (!can(principal, permission)) {
    throw new ForbiddenError(
      `Permission ${permission} needs one of the roles: ${MASTER_DATA_PERMISSIONS[permission].join(', ')}`,
    );
  }
}
