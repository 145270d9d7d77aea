import { type ItemKey, tenant } from './key-types';

/** Master data lives in the tenant's partition, one sort-key prefix per entity type. */
export type MasterDataType =
  | 'USER'
  | 'DEPARTMENT'
  | 'GROUP'
  | 'ACCOUNT'
  | 'CONTACT'
  | 'DEVICE'
  | 'PRODUCT'
  | 'SHARING_RULE'
  | 'WORK_ORDER_TYPE'
  | 'MAILBOX'
  | 'SALES_ORDER'
  | 'AGREEMENT_RULE'
  | 'BILLING_RULE'
  | 'PLAN_RULE';

/** The tenant item and its master data: one sort-key prefix per entity type, in the tenant's partition. */
export const masterDataKeys = {
  tenant: (tenantId: string): ItemKey => ({ pk: tenant(tenantId), sk: 'TENANT' }),

  masterData: (tenantId: string, type: MasterDataType, id: string): ItemKey => ({
    pk: tenant(tenantId),
    sk: `${type}#${id}`,
  }),
  /** Query condition listing one type in creation order (ids are ULIDs). */
  masterDataList: (tenantId: string, type: MasterDataType) => ({
    pk: tenant(tenantId),
    skPrefix: `${type}#`,
  }),

  /** A guard item that makes a value unique in the tenant (user email, device serial number, ...). */
  unique: (tenantId: string, scope: string, value: string): ItemKey => ({
    pk: tenant(tenantId),
    sk: `UNIQUE#${scope}#${value}`,
  }),
} as const;
