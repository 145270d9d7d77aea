import { ForbiddenError } from '../shared/errors';
import { type Actor, isSystemActor, type SystemActorKind } from './actor';
import { ROLES, type Role } from './principal';

/** Every role of a tenant: who may read what is open to the whole tenant. */
const EVERY_ROLE = ROLES;

/** Who configures the tenant. */
const ADMINS = ['crm-admin'] as const;
/** Who runs the service business: agreements, plans, their rules. */
const ADMINS_AND_MANAGERS = ['crm-admin', 'service-manager'] as const;
/** Who works on work orders in the field: their products and parts. */
const ADMINS_AND_STAFF = ['crm-admin', 'service-staff'] as const;

/**
 * The master-data permission table: which roles may do what. Reads are open to
 * every role of the tenant; writes follow what an admin console allows.
 * docs/permissions.md shows the same table and a test keeps the two in step.
 */
export const MASTER_DATA_PERMISSIONS = {
  'tenant:read': EVERY_ROLE,
  'tenant:configure': ADMINS,
  'user:read': EVERY_ROLE,
  'user:write': ADMINS,
  'department:read': EVERY_ROLE,
  'department:write': ADMINS,
  'user-group:read': EVERY_ROLE,
  'user-group:write': ADMINS,
  'product:read': EVERY_ROLE,
  'product:write': ADMINS,
  'customer:read': EVERY_ROLE,
  'customer:write': EVERY_ROLE,
  'customer:delete': ADMINS,
  'sharing-rule:read': ADMINS_AND_MANAGERS,
  'sharing-rule:write': ADMINS,
  'work-order-type:read': EVERY_ROLE,
  'work-order-type:write': ADMINS,
  'work-order:create': EVERY_ROLE,
  'mailbox:read': ADMINS,
  'mailbox:write': ADMINS,
  'inbound-mail:read': ADMINS,
  'scene-index:read': ADMINS,
  'sales-order:read': EVERY_ROLE,
  'sales-order:write': ['crm-admin', 'service-manager', 'integration'],
  'agreement-rule:read': ADMINS_AND_MANAGERS,
  'agreement-rule:write': ADMINS,
  'agreement:read': EVERY_ROLE,
  'agreement:write': ADMINS_AND_MANAGERS,
  'agreement:activate': ADMINS_AND_MANAGERS,
  'agreement:terminate': ADMINS_AND_MANAGERS,
  'agreement:generate': ADMINS_AND_MANAGERS,
  'service-product:write': ADMINS_AND_STAFF,
  'spare-part:record': ADMINS_AND_STAFF,
  'consumption:confirm': ADMINS_AND_STAFF,
  'consumption:approve': ['service-manager'],
  'billing-rule:read': ADMINS_AND_MANAGERS,
  'billing-rule:write': ADMINS,
  'service-plan:read': ['crm-admin', 'service-manager', 'service-staff'],
  'service-plan:write': ADMINS_AND_MANAGERS,
  'plan-rule:read': ADMINS_AND_MANAGERS,
  'plan-rule:write': ADMINS,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof MASTER_DATA_PERMISSIONS;

/**
 * What only system actors do: comment on a work order they were led to by a
 * key (a reply's thread), reopen it when that reply comes after it closed,
 * and take back (cancel) a work order a plan generated that nobody started.
 */
export type SystemPermission =
  | Permission
  | 'work-order:comment'
  | 'work-order:reopen'
  | 'work-order:withdraw';

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
  'service-plan': ['work-order:create', 'work-order:withdraw', 'customer:read'],
  workflow: ['work-order:comment', 'customer:read', 'agreement:generate'],
  'integration-client': ['work-order:create', 'customer:read'],
} as const satisfies Record<SystemActorKind, readonly SystemPermission[]>;

export function can(actor: Actor, permission: SystemPermission): boolean {
  if (isSystemActor(actor)) {
    const allowed: readonly SystemPermission[] = SYSTEM_ACTOR_PERMISSIONS[actor.system];
    return allowed.includes(permission);
  }
  if (
    permission === 'work-order:comment' ||
    permission === 'work-order:reopen' ||
    permission === 'work-order:withdraw'
  )
    return false;
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
