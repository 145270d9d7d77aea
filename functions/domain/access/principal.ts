export const ROLES = [
  'crm-admin',
  'service-manager',
  'service-staff',
  'call-center-agent',
  'integration',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: always inside exactly one tenant. */
export interface Principal {
  tenantId: string;
  userId: string;
  roles: readonly Role[];
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return principal.roles.some((role) => roles.includes(role));
}
