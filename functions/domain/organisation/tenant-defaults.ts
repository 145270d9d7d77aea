import type { TenantSettings } from './tenant';

/**
 * A new tenant's settings. Apart from the tenant's schemas (which carry the
 * payment settings' validation), so what only reads settings carries none of it.
 */
export const DEFAULT_TENANT_SETTINGS: TenantSettings = {
  customerLookup: 'fuzzy',
  superiorVisibleDataScope: 'with-sub-departments',
};
