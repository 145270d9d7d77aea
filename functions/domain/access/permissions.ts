import { ForbiddenError } from '../shared/errors';
import { type Actor, isSystemActor, type SystemActorKind } from './actor';
import type { Role } from './principal';

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
  'mailbox:read': ['crm-admin'],
  'mailbox:write': ['crm-admin'],
  'inbound-mail:read': ['crm-admin'],
  'scene-index:read': ['crm-admin'],
  'sales-order:read': ['crm-admin', 'service-manager', 'service-staff', 'call-center-agent', 'integration'],
  'sales-order:write': ['crm-admin', 'service-manager', 'integration'],
  'agreement-rule:read': ['crm-admin', 'service-manager'],
  'agreement-rule:write': ['crm-admin'],
  'agreement:read': ['crm-admin', 'service-manager', 'service-staff', 'call-center-agent', 'integration'],
  'agreement:write': ['crm-admin', 'service-manager'],
  'agreement:activate': ['crm-admin', 'service-manager'],
  'agreement:generate': ['crm-admin', 'service-manager'],
  'service-product:write': ['crm-admin', 'service-staff'],
  'spare-part:record': ['crm-admin', 'service-staff'],
  'consumption:confirm': ['crm-admin', 'service-staff'],
  'consumption:approve': ['service-manager'],
  'billing-rule:read': ['crm-admin', 'service-manager'],
  'billing-rule:write': ['crm-admin'],
  'service-plan:read': ['crm-admin', 'service-manager', 'service-staff'],
  'service-plan:write': ['crm-admin', 'service-manager'],
  'plan-rule:read': ['crm-admin', 'service-manager'],
  'plan-rule:write': ['crm-admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof MASTER_DATA_PERMISSIONS;

/**
 * What only system actors do: comment on a work order they were led to by a
 * key (a reply's thread), and reopen it when that reply comes after it closed.
 */
export type SystemPermission = Permission | 'work-order:comment' | 'work-order:reopen';

/**
 * What each system actor may do. None of them browses: each reaches a work
 * order only by a key it was handed (the thread a reply belongs to, its own
 * plan's occurrence), so none reads scenes. docs/permissions.md shows this table.
 */
export const SYSTEM_ACTOR_PERMISSIONS = {
  mailbox: [
    'work-order:create',
    'work-order:comment',
    'work-order:reopen',
    'customer:read',
    'customer:write',
  ],
  'service-plan': ['work-order:create', 'customer:read'],
  workflow: ['work-order:comment', 'customer:read', 'agreement:generate'],
  'integration-client': ['work-order:create', 'customer:read'],
} as const satisfies Record<SystemActorKind, readonly SystemPermission[]>;

export function can(actor: Actor, permission: SystemPermission): boolean {
  if (isSystemActor(actor)) {
    const allowed: readonly SystemPermission[] = SYSTEM_ACTOR_PERMISSIONS[actor.system];
    return allowed.includes(permission);
  }
  if (permission === 'work-order:comment' || permission === 'work-order:reopen') return false;
  const allowed: readonly Role[] = MASTER_DATA_PERMISSIONS[permission];
  return actor.roles.some((role) => allowed.includes(role));
}

export function authorize(actor: Actor, permission: SystemPermission): void {
  if (can(actor, permission)) return;
  if (isSystemActor(actor))
    throw new ForbiddenError(`The ${actor.system} ${actor.id} may not ${permission.replace(':', ' ')}`);
  throw new ForbiddenError(
    `Permission ${permission} needs one of the roles: ${MASTER_DATA_PERMISSIONS[permission as Permission].join(', ')}`,
  );
}
